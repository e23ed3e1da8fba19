package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.Severity;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A TLS fingerprint to alert on; the subclass fixes the format of {@link #value}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsFingerprint {

  @Required
  @Size(min = 1, max = 64)
  @JsonPropertyDescription("The fingerprint; JA3 and JA3S are MD5 digests, JA4 is a_b_c.")
  private String value;

  @Required
  @Size(min = 1, max = 128)
  @JsonPropertyDescription("What it identifies, shown in the alert, e.g. 'Cobalt Strike beacon'.")
  private String name;

  @Default("high")
  @JsonPropertyDescription("Severity of the alert: info, low, medium, high or critical.")
  private Severity severity;

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Severity getSeverity() {
    return severity;
  }

  public void setSeverity(Severity severity) {
    this.severity = severity;
  }
}
