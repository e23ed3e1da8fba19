package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Criteria of a suppression; all that are set must match. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.detector) || has(self.source) || has(self.destination) || has(self.fingerprint)"
            + " || has(self.node)",
    message =
        "suppression match needs at least one of detector, source, destination, fingerprint,"
            + " node")
public class SuppressionMatch {

  @Size(max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Detector name, e.g. tls-blocklist, stratum, silent-miner, connect-back, trail.")
  private String detector;

  @Size(max = 43)
  @ValidationRule(
      value = "isCIDR(self)",
      message = "match.source must be a CIDR such as 10.1.2.3/32")
  @JsonPropertyDescription("Source address range (CIDR).")
  private String source;

  @Size(max = 43)
  @ValidationRule(
      value = "isCIDR(self)",
      message = "match.destination must be a CIDR such as 192.0.2.0/24")
  @JsonPropertyDescription("Destination address range (CIDR).")
  private String destination;

  @Size(max = 64)
  @JsonPropertyDescription("A JA3, JA3S or JA4 fingerprint.")
  private String fingerprint;

  @Size(max = 253)
  @JsonPropertyDescription("Kubernetes node name the event came from (host detectors).")
  private String node;

  public String getDetector() {
    return detector;
  }

  public void setDetector(String detector) {
    this.detector = detector;
  }

  public String getSource() {
    return source;
  }

  public void setSource(String source) {
    this.source = source;
  }

  public String getDestination() {
    return destination;
  }

  public void setDestination(String destination) {
    this.destination = destination;
  }

  public String getFingerprint() {
    return fingerprint;
  }

  public void setFingerprint(String fingerprint) {
    this.fingerprint = fingerprint;
  }

  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
  }
}
