package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** How agent updates roll across the nodes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Rollout {

  @Default("10%")
  @ValidationRule(
      value = "type(self) == int ? self >= 1 : self.matches('^([1-9][0-9]?|100)%$')",
      message =
          "rollout.maxUnavailable must be a node count of at least 1 or a percentage from 1% to"
              + " 100%")
  @JsonPropertyDescription(
      "Nodes that may be without a running agent during an update: a count or a percentage.")
  private IntOrString maxUnavailable;

  public IntOrString getMaxUnavailable() {
    return maxUnavailable;
  }

  public void setMaxUnavailable(IntOrString maxUnavailable) {
    this.maxUnavailable = maxUnavailable;
  }
}
