package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A pod toleration, copied to the pods Vigil runs (as in {@code core/v1 Toleration}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.operator != 'Exists' || !has(self.value)",
    message = "a toleration with operator Exists must not set value")
@ValidationRule(
    value = "has(self.key) || self.operator == 'Exists'",
    message = "a toleration without key must use operator Exists (it then tolerates every taint)")
public class Toleration {

  /** How key and value are matched against a taint. */
  public enum Operator {
    @JsonProperty("Equal")
    EQUAL,
    @JsonProperty("Exists")
    EXISTS
  }

  /** Taint effect. */
  public enum Effect {
    @JsonProperty("NoSchedule")
    NO_SCHEDULE,
    @JsonProperty("PreferNoSchedule")
    PREFER_NO_SCHEDULE,
    @JsonProperty("NoExecute")
    NO_EXECUTE
  }

  @Size(max = 317)
  @JsonPropertyDescription(
      "Taint key to tolerate; empty with operator Exists tolerates all taints.")
  private String key;

  @Default("Equal")
  @JsonPropertyDescription("Equal (key and value match) or Exists (key present, any value).")
  private Operator operator;

  @Size(max = 63)
  @JsonPropertyDescription("Taint value to match when operator is Equal.")
  private String value;

  @JsonPropertyDescription("Taint effect to tolerate; empty tolerates every effect.")
  private Effect effect;

  @Min(0)
  @JsonPropertyDescription(
      "For NoExecute: seconds the pod stays bound after the taint appears; unset means forever.")
  private Long tolerationSeconds;

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public Operator getOperator() {
    return operator;
  }

  public void setOperator(Operator operator) {
    this.operator = operator;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  public Effect getEffect() {
    return effect;
  }

  public void setEffect(Effect effect) {
    this.effect = effect;
  }

  public Long getTolerationSeconds() {
    return tolerationSeconds;
  }

  public void setTolerationSeconds(Long tolerationSeconds) {
    this.tolerationSeconds = tolerationSeconds;
  }
}
