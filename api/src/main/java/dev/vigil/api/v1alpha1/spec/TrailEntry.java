package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.Severity;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One inline trail. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.type != 'ip' || isIP(self.value)",
    message = "an ip trail needs an IPv4 or IPv6 address in value",
    fieldPath = ".value")
@ValidationRule(
    value = "self.type != 'cidr' || isCIDR(self.value)",
    message = "a cidr trail needs a CIDR such as 198.51.100.0/24 in value",
    fieldPath = ".value")
@ValidationRule(
    value =
        "self.type != 'domain'"
            + " || self.value.matches('^([a-z0-9]([-a-z0-9]*[a-z0-9])?[.])+[a-z0-9-]{2,63}$')",
    message = "a domain trail needs a lowercase domain name such as evil.example in value",
    fieldPath = ".value")
@ValidationRule(
    value = "self.type != 'url' || (isURL(self.value) && url(self.value).getHostname() != '')",
    message = "a url trail needs an absolute URL such as http://evil.example/gate.php in value",
    fieldPath = ".value")
public class TrailEntry {

  /** Kind of indicator. */
  public enum Type {
    @JsonProperty("ip")
    IP,
    @JsonProperty("cidr")
    CIDR,
    @JsonProperty("domain")
    DOMAIN,
    @JsonProperty("url")
    URL
  }

  @Required
  @JsonPropertyDescription("ip, cidr, domain or url.")
  private Type type;

  @Required
  @Size(min = 1, max = 1024)
  @JsonPropertyDescription("The indicator, e.g. 203.0.113.7, evil.example, http://evil.example/x.")
  private String value;

  @Required
  @Size(min = 1, max = 128)
  @JsonPropertyDescription("What it is, shown in the alert, e.g. 'xmrig pool' (Maltrail's info).")
  private String info;

  @Size(max = 512)
  @JsonPropertyDescription("Where it comes from (report URL, ticket).")
  private String reference;

  @Default("high")
  @JsonPropertyDescription("Severity of the alert.")
  private Severity severity;

  public Type getType() {
    return type;
  }

  public void setType(Type type) {
    this.type = type;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  public String getInfo() {
    return info;
  }

  public void setInfo(String info) {
    this.info = info;
  }

  public String getReference() {
    return reference;
  }

  public void setReference(String reference) {
    this.reference = reference;
  }

  public Severity getSeverity() {
    return severity;
  }

  public void setSeverity(Severity severity) {
    this.severity = severity;
  }
}
