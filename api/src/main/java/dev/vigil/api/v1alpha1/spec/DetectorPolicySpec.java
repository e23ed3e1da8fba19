package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** What to detect and what to ignore, for the SensorClusters and HostAgents that select it. */
@JsonClassDescription(
    "What to detect and what to ignore, for the SensorClusters and HostAgents that select it.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DetectorPolicySpec {

  /** Whether detections page anyone. */
  public enum Mode {
    /** Alerts go to the AlertPipeline's routes. */
    @JsonProperty("enforce")
    ENFORCE,
    /** Detections are counted and logged as would-alert, but no route is notified. */
    @JsonProperty("shadow")
    SHADOW
  }

  @Required
  @JsonPropertyDescription(
      "enforce (alerts are routed) or shadow (count and log what would alert, page nobody). No"
          + " default: choose deliberately; start new policies in shadow.")
  private Mode mode;

  @JsonPropertyDescription("TLS client and server fingerprint blocklists.")
  private TlsBlocklists tls;

  @Default("{}")
  @JsonPropertyDescription("Cryptocurrency mining pool (Stratum protocol) detection.")
  private StratumDetection stratum;

  @Default("{}")
  @JsonPropertyDescription(
      "Silent-miner detection on hosts: a process keeps CPU or GPU busy with little memory, the"
          + " signature of mining rather than science.")
  private SilentMiner silentMiner;

  @Default("{}")
  @JsonPropertyDescription("Connect-back detection: internal hosts opening connections outward.")
  private ConnectBack connectBack;

  @JsonPropertyDescription("Threat-intelligence trails (indicators) matched against traffic.")
  private Trails trails;

  @Size(max = 256)
  @JsonPropertyDescription("Known-benign activity not to alert on, each with a reason and expiry.")
  private List<Suppression> suppressions;

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public TlsBlocklists getTls() {
    return tls;
  }

  public void setTls(TlsBlocklists tls) {
    this.tls = tls;
  }

  public StratumDetection getStratum() {
    return stratum;
  }

  public void setStratum(StratumDetection stratum) {
    this.stratum = stratum;
  }

  public SilentMiner getSilentMiner() {
    return silentMiner;
  }

  public void setSilentMiner(SilentMiner silentMiner) {
    this.silentMiner = silentMiner;
  }

  public ConnectBack getConnectBack() {
    return connectBack;
  }

  public void setConnectBack(ConnectBack connectBack) {
    this.connectBack = connectBack;
  }

  public Trails getTrails() {
    return trails;
  }

  public void setTrails(Trails trails) {
    this.trails = trails;
  }

  public List<Suppression> getSuppressions() {
    return suppressions;
  }

  public void setSuppressions(List<Suppression> suppressions) {
    this.suppressions = suppressions;
  }
}
