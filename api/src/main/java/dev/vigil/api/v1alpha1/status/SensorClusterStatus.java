package dev.vigil.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.VigilStatus;
import java.util.List;

/** Observed state of a SensorCluster, summed over its TapAssignments. */
@JsonClassDescription("Observed state of a SensorCluster, summed over its TapAssignments.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SensorClusterStatus extends VigilStatus {

  @JsonPropertyDescription("TapAssignments that reference this cluster.")
  private Integer links;

  @JsonPropertyDescription("Sensor workers wanted, over all links.")
  private Integer desiredWorkers;

  @JsonPropertyDescription("Sensor workers capturing, over all links.")
  private Integer readyWorkers;

  @JsonPropertyDescription("DetectorPolicies currently applied (selected and valid).")
  private List<String> appliedPolicies;

  public Integer getLinks() {
    return links;
  }

  public void setLinks(Integer links) {
    this.links = links;
  }

  public Integer getDesiredWorkers() {
    return desiredWorkers;
  }

  public void setDesiredWorkers(Integer desiredWorkers) {
    this.desiredWorkers = desiredWorkers;
  }

  public Integer getReadyWorkers() {
    return readyWorkers;
  }

  public void setReadyWorkers(Integer readyWorkers) {
    this.readyWorkers = readyWorkers;
  }

  public List<String> getAppliedPolicies() {
    return appliedPolicies;
  }

  public void setAppliedPolicies(List<String> appliedPolicies) {
    this.appliedPolicies = appliedPolicies;
  }
}
