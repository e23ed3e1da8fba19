package dev.vigil.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.VigilStatus;
import java.util.List;

/** Observed state of a policy: where it applies and how big it came out. */
@JsonClassDescription("Observed state of a policy: where it applies and how big it came out.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DetectorPolicyStatus extends VigilStatus {

  @JsonPropertyDescription(
      "SensorClusters and HostAgents that select this policy, as Kind/name (e.g. SensorCluster/dc1).")
  private List<String> appliedTo;

  @JsonPropertyDescription("Trail entries loaded from ConfigMaps and inline, after deduplication.")
  private Long trailEntries;

  @JsonPropertyDescription("Trail lines that could not be parsed (see the Degraded condition).")
  private Long rejectedTrailEntries;

  @JsonPropertyDescription(
      "Detections that would have alerted in shadow mode, since the policy was last changed.")
  private Long shadowAlerts;

  public List<String> getAppliedTo() {
    return appliedTo;
  }

  public void setAppliedTo(List<String> appliedTo) {
    this.appliedTo = appliedTo;
  }

  public Long getTrailEntries() {
    return trailEntries;
  }

  public void setTrailEntries(Long trailEntries) {
    this.trailEntries = trailEntries;
  }

  public Long getRejectedTrailEntries() {
    return rejectedTrailEntries;
  }

  public void setRejectedTrailEntries(Long rejectedTrailEntries) {
    this.rejectedTrailEntries = rejectedTrailEntries;
  }

  public Long getShadowAlerts() {
    return shadowAlerts;
  }

  public void setShadowAlerts(Long shadowAlerts) {
    this.shadowAlerts = shadowAlerts;
  }
}
