package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * What every Vigil status carries: the generation acted on and the Ready/Progressing/Degraded
 * conditions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class VigilStatus {

  @JsonPropertyDescription(
      "The metadata.generation the operator last reconciled; older than metadata.generation means"
          + " the status describes a previous spec.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready, Progressing and Degraded conditions, at most one of each type.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
