package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One aspect of a resource's state, as in {@code metav1.Condition}. The operator changes {@link
 * #lastTransitionTime} only when {@link #status} changes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {

  /** The condition types every Vigil resource reports. */
  public enum Type {
    /** The resource does what it describes (all workers capturing, all agents running, ...). */
    @JsonProperty("Ready")
    READY,
    /** The operator is changing something towards the desired state. */
    @JsonProperty("Progressing")
    PROGRESSING,
    /** Something works at reduced capacity (drops, a down node, a failing route). */
    @JsonProperty("Degraded")
    DEGRADED
  }

  /** Whether the condition holds. */
  public enum Status {
    @JsonProperty("True")
    TRUE,
    @JsonProperty("False")
    FALSE,
    @JsonProperty("Unknown")
    UNKNOWN
  }

  @Required
  @JsonPropertyDescription("Condition type: Ready, Progressing or Degraded.")
  private Type type;

  @Required
  @JsonPropertyDescription("True, False or Unknown.")
  private Status status;

  @Size(max = 1024)
  @Pattern("^([A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?)?$")
  @JsonPropertyDescription(
      "Machine-readable CamelCase reason for the last transition, e.g. WorkersStarting.")
  private String reason;

  @Size(max = 32768)
  @JsonPropertyDescription("Human-readable detail about the last transition.")
  private String message;

  @JsonPropertyDescription(
      "When status last changed (RFC 3339), not when the condition was last checked.")
  private String lastTransitionTime;

  @Min(0)
  @JsonPropertyDescription("The metadata.generation the condition was computed from.")
  private Long observedGeneration;

  public Type getType() {
    return type;
  }

  public void setType(Type type) {
    this.type = type;
  }

  public Status getStatus() {
    return status;
  }

  public void setStatus(Status status) {
    this.status = status;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }
}
