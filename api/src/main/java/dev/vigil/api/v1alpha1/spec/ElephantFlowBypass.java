package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Thresholds after which a flow is bypassed: its payload is no longer analysed; setup and teardown
 * are still logged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.bytes) || has(self.packets)",
    message = "elephantFlowBypass needs bytes, packets or both; remove it to never bypass")
public class ElephantFlowBypass {

  @Min(1048576)
  @JsonPropertyDescription("Bypass a flow after this many bytes (both directions), at least 1 MiB.")
  private Long bytes;

  @Min(1000)
  @JsonPropertyDescription(
      "Bypass a flow after this many packets (both directions), at least 1000.")
  private Long packets;

  public Long getBytes() {
    return bytes;
  }

  public void setBytes(Long bytes) {
    this.bytes = bytes;
  }

  public Long getPackets() {
    return packets;
  }

  public void setPackets(Long packets) {
    this.packets = packets;
  }
}
