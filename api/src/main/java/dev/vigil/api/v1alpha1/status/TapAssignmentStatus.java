package dev.vigil.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.VigilStatus;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

/** Observed state of one monitored link. */
@JsonClassDescription("Observed state of one monitored link.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TapAssignmentStatus extends VigilStatus {

  @StatusReplicas
  @JsonPropertyDescription("Workers running and capturing (the scale subresource's replicas).")
  private Integer readyWorkers;

  @LabelSelector
  @JsonPropertyDescription(
      "Label selector of the worker pods, in string form (for the scale subresource and HPA).")
  private String selector;

  @JsonPropertyDescription("Packets dropped by capture (kernel or NIC) since the workers started.")
  private Long droppedPackets;

  @JsonPropertyDescription("Packets captured since the workers started.")
  private Long capturedPackets;

  public Integer getReadyWorkers() {
    return readyWorkers;
  }

  public void setReadyWorkers(Integer readyWorkers) {
    this.readyWorkers = readyWorkers;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public Long getDroppedPackets() {
    return droppedPackets;
  }

  public void setDroppedPackets(Long droppedPackets) {
    this.droppedPackets = droppedPackets;
  }

  public Long getCapturedPackets() {
    return capturedPackets;
  }

  public void setCapturedPackets(Long capturedPackets) {
    this.capturedPackets = capturedPackets;
  }
}
