package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.Severity;
import io.fabric8.generator.annotation.Default;

/** Stratum (mining pool protocol) detection on the wire, on any port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StratumDetection {

  @Default("true")
  @JsonPropertyDescription("Alert on Stratum sessions (mining.subscribe, mining.authorize, ...).")
  private Boolean enabled;

  @Default("high")
  @JsonPropertyDescription("Severity of the alert.")
  private Severity severity;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Severity getSeverity() {
    return severity;
  }

  public void setSeverity(Severity severity) {
    this.severity = severity;
  }
}
