package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Known-benign activity: alerts that match are logged as suppressed, not routed, until expiry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Suppression {

  @Required
  @JsonPropertyDescription("What to suppress; every field set must match.")
  private SuppressionMatch match;

  @Required
  @Size(min = 1, max = 512)
  @JsonPropertyDescription("Why this is benign, and who said so (ticket, name).")
  private String reason;

  @Required
  @Size(max = 64)
  @ValidationRule(
      value =
          "self.matches('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$')",
      message = "expires must be an RFC 3339 time such as 2026-12-31T23:59:59Z")
  @JsonPropertyDescription(
      "When the suppression stops applying (RFC 3339); every suppression expires, so it gets"
          + " reviewed.")
  private String expires;

  public SuppressionMatch getMatch() {
    return match;
  }

  public void setMatch(SuppressionMatch match) {
    this.match = match;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getExpires() {
    return expires;
  }

  public void setExpires(String expires) {
    this.expires = expires;
  }
}
