package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.Severity;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A ConfigMap of trail files in Maltrail's static format: one trail (IP, domain or URL) per line,
 * {@code #} comments; the file name (key) without extension is the trail's info, as in Maltrail's
 * {@code trails/static/malware/*.txt}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrailConfigMap {

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("ConfigMap name, in the policy's namespace.")
  private String name;

  @Size(max = 253)
  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription("Only this key (file); unset reads every key.")
  private String key;

  @Default("high")
  @JsonPropertyDescription("Severity of alerts from these trails.")
  private Severity severity;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public Severity getSeverity() {
    return severity;
  }

  public void setSeverity(Severity severity) {
    this.severity = severity;
  }
}
