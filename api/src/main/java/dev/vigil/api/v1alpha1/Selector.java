package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * A label selector, as in {@code metav1.LabelSelector}: every matchLabels entry and every
 * expression must match. An empty selector matches everything.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Selector {

  @Size(max = 64)
  @JsonPropertyDescription("Labels that must all be present with these values.")
  private Map<String, String> matchLabels;

  @Size(max = 32)
  @JsonPropertyDescription("Set-based requirements that must all hold.")
  private List<SelectorRequirement> matchExpressions;

  public Map<String, String> getMatchLabels() {
    return matchLabels;
  }

  public void setMatchLabels(Map<String, String> matchLabels) {
    this.matchLabels = matchLabels;
  }

  public List<SelectorRequirement> getMatchExpressions() {
    return matchExpressions;
  }

  public void setMatchExpressions(List<SelectorRequirement> matchExpressions) {
    this.matchExpressions = matchExpressions;
  }
}
