package dev.vigil.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.VigilStatus;

/** Observed state of the agent DaemonSet. */
@JsonClassDescription("Observed state of the agent DaemonSet.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HostAgentStatus extends VigilStatus {

  @JsonPropertyDescription("Nodes that should run the agent.")
  private Integer desiredNodes;

  @JsonPropertyDescription("Nodes whose agent is running with all probes loaded.")
  private Integer readyNodes;

  @JsonPropertyDescription("Nodes running the agent of the current spec.")
  private Integer updatedNodes;

  public Integer getDesiredNodes() {
    return desiredNodes;
  }

  public void setDesiredNodes(Integer desiredNodes) {
    this.desiredNodes = desiredNodes;
  }

  public Integer getReadyNodes() {
    return readyNodes;
  }

  public void setReadyNodes(Integer readyNodes) {
    this.readyNodes = readyNodes;
  }

  public Integer getUpdatedNodes() {
    return updatedNodes;
  }

  public void setUpdatedNodes(Integer updatedNodes) {
    this.updatedNodes = updatedNodes;
  }
}
