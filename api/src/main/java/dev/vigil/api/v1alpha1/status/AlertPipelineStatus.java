package dev.vigil.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.VigilStatus;
import java.util.Map;

/** Observed state of the pipeline. */
@JsonClassDescription("Observed state of the pipeline.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertPipelineStatus extends VigilStatus {

  @JsonPropertyDescription("Whether the operator reached OpenSearch with the given credentials.")
  private Boolean connected;

  @JsonPropertyDescription("OpenSearch cluster health: green, yellow or red.")
  private String clusterHealth;

  @JsonPropertyDescription(
      "Days each data class (conn, dns, ssl, http, alerts, host) will actually be kept at the"
          + " current ingest rate, given maxSize; below retention days means maxSize binds first.")
  private Map<String, Integer> projectedRetentionDays;

  @JsonPropertyDescription(
      "Primary store bytes per complete day of each data class, averaged over its daily indices"
          + " (today's, still filling, is left out); absent for a class with no complete day yet.")
  private Map<String, Long> bytesPerDay;

  public Map<String, Long> getBytesPerDay() {
    return bytesPerDay;
  }

  public void setBytesPerDay(Map<String, Long> bytesPerDay) {
    this.bytesPerDay = bytesPerDay;
  }

  public Boolean getConnected() {
    return connected;
  }

  public void setConnected(Boolean connected) {
    this.connected = connected;
  }

  public String getClusterHealth() {
    return clusterHealth;
  }

  public void setClusterHealth(String clusterHealth) {
    this.clusterHealth = clusterHealth;
  }

  public Map<String, Integer> getProjectedRetentionDays() {
    return projectedRetentionDays;
  }

  public void setProjectedRetentionDays(Map<String, Integer> projectedRetentionDays) {
    this.projectedRetentionDays = projectedRetentionDays;
  }
}
