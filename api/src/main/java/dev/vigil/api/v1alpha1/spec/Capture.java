package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Packet capture settings of a SensorCluster. */
/*
 * CEL rules here also run against the CRD's default ({}), before field defaults are filled in, so
 * they treat an absent field as its default.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.mode) || self.mode != 'dpdk' || has(self.hugepages)",
    message =
        "dpdk capture needs hugepages: set capture.hugepages.pageSize and"
            + " capture.hugepages.perWorker",
    fieldPath = ".hugepages")
@ValidationRule(
    value = "(has(self.mode) && self.mode == 'dpdk') || !has(self.hugepages)",
    message = "capture.hugepages is only used by dpdk capture: remove it or set capture.mode: dpdk")
@ValidationRule(
    value =
        "!has(self.mode) || self.mode == 'afpacket'"
            + " || (!has(self.fanoutMode) && !has(self.ringSizeMiB))",
    message = "capture.fanoutMode and capture.ringSizeMiB only apply to afpacket capture")
public class Capture {

  /** Capture back end. */
  public enum Mode {
    /** Linux AF_PACKET v3 rings with fanout across workers; no special NIC or node setup. */
    @JsonProperty("afpacket")
    AFPACKET,
    /** DPDK poll-mode driver on a dedicated NIC or SR-IOV VF; needs hugepages. */
    @JsonProperty("dpdk")
    DPDK,
    /** libpcap; portable and slow, for labs and low-rate links. */
    @JsonProperty("libpcap")
    LIBPCAP
  }

  /** How AF_PACKET spreads packets over the workers of one interface. */
  public enum FanoutMode {
    /** By flow hash, so both directions of a flow reach the same worker (the sensible default). */
    @JsonProperty("hash")
    HASH,
    /** Round robin; breaks flow affinity. */
    @JsonProperty("lb")
    LB,
    /** By the CPU that received the packet (pair with RSS). */
    @JsonProperty("cpu")
    CPU,
    /** By the NIC's receive queue. */
    @JsonProperty("qm")
    QM
  }

  @Default("afpacket")
  @JsonPropertyDescription("Capture back end: afpacket, dpdk or libpcap.")
  private Mode mode;

  @Default("9216")
  @Min(64)
  @Max(65535)
  @JsonPropertyDescription(
      "Bytes captured per packet; at least the largest frame on the link (jumbo frames: 9216).")
  private Integer snaplen;

  @Min(16)
  @Max(65536)
  @JsonPropertyDescription(
      "afpacket only: ring buffer per worker in MiB; larger rides out bursts. Unset: 256.")
  private Integer ringSizeMiB;

  @JsonPropertyDescription(
      "afpacket only: how packets are spread over the workers of an interface. Unset: hash.")
  private FanoutMode fanoutMode;

  @Size(max = 4096)
  @JsonPropertyDescription(
      "BPF filter (tcpdump syntax) applied before analysis, e.g. 'not net 10.99.0.0/16'."
          + " TapAssignments may override it.")
  private String bpfFilter;

  @JsonPropertyDescription("dpdk only: hugepages each worker reserves.")
  private Hugepages hugepages;

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public Integer getSnaplen() {
    return snaplen;
  }

  public void setSnaplen(Integer snaplen) {
    this.snaplen = snaplen;
  }

  public Integer getRingSizeMiB() {
    return ringSizeMiB;
  }

  public void setRingSizeMiB(Integer ringSizeMiB) {
    this.ringSizeMiB = ringSizeMiB;
  }

  public FanoutMode getFanoutMode() {
    return fanoutMode;
  }

  public void setFanoutMode(FanoutMode fanoutMode) {
    this.fanoutMode = fanoutMode;
  }

  public String getBpfFilter() {
    return bpfFilter;
  }

  public void setBpfFilter(String bpfFilter) {
    this.bpfFilter = bpfFilter;
  }

  public Hugepages getHugepages() {
    return hugepages;
  }

  public void setHugepages(Hugepages hugepages) {
    this.hugepages = hugepages;
  }
}
