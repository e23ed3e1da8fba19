package dev.vigil.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.api.v1alpha1.SensorCluster;
import dev.vigil.api.v1alpha1.TapAssignment;
import dev.vigil.api.v1alpha1.spec.Analyzers;
import dev.vigil.api.v1alpha1.spec.Capture;
import dev.vigil.api.v1alpha1.spec.ElephantFlowBypass;
import dev.vigil.api.v1alpha1.spec.SensorClusterSpec;
import dev.vigil.api.v1alpha1.spec.TapAssignmentSpec;
import dev.vigil.api.v1alpha1.spec.TapInterface;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The configuration file a sensor worker reads ({@code /etc/vigil/sensor.json}), rendered from a
 * TapAssignment and its SensorCluster. Per-worker facts (index) come from the pod, not from here,
 * so every worker of a tap shares one ConfigMap.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public record SensorConfig(
    String tap,
    String sensorCluster,
    String link,
    int speedGbps,
    String source,
    String direction,
    String node,
    String captureMode,
    String interfaceName,
    String pciAddress,
    String sriovResource,
    int fanoutGroup,
    String fanoutMode,
    int snaplen,
    int ringSizeMiB,
    String bpfFilter,
    List<Integer> vlans,
    Analyzers analyzers,
    ElephantFlowBypass elephantFlowBypass,
    List<String> internalNetworks,
    String alertPipeline) {

  public static final String FILE = "sensor.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  public static SensorConfig of(TapAssignment tap, SensorCluster cluster) {
    TapAssignmentSpec t = tap.getSpec();
    SensorClusterSpec c = cluster.getSpec();
    Capture capture = c.getCapture() != null ? c.getCapture() : new Capture();
    TapInterface iface = t.getInterface();
    String bpf = t.getBpfFilter() != null ? t.getBpfFilter() : capture.getBpfFilter();
    return new SensorConfig(
        tap.getMetadata().getName(),
        cluster.getMetadata().getName(),
        t.getLink().getName(),
        t.getLink().getSpeedGbps(),
        enumValue(t.getLink().getSource()),
        enumValue(t.getLink().getDirection()),
        t.getNodeName(),
        captureMode(capture),
        iface.getName(),
        iface.getPciAddress(),
        iface.getSriov() != null ? iface.getSriov().getResourceName() : null,
        FanoutGroup.of(t.getNodeName(), interfaceId(iface)),
        capture.getFanoutMode() != null ? enumValue(capture.getFanoutMode()) : "hash",
        capture.getSnaplen() != null ? capture.getSnaplen() : 262144,
        capture.getRingSizeMiB() != null ? capture.getRingSizeMiB() : 256,
        bpf,
        t.getVlans(),
        c.getAnalyzers(),
        c.getElephantFlowBypass(),
        c.getInternalNetworks(),
        c.getAlertPipelineRef() != null ? c.getAlertPipelineRef().getName() : null);
  }

  /** The capture mode as written in the CR ({@code afpacket} when unset). */
  public static String captureMode(Capture capture) {
    return capture == null || capture.getMode() == null ? "afpacket" : enumValue(capture.getMode());
  }

  /** A stable identifier of the NIC a tap reads: interface name, PCI address or VF resource. */
  public static String interfaceId(TapInterface iface) {
    if (iface.getName() != null) {
      return iface.getName();
    }
    if (iface.getPciAddress() != null) {
      return iface.getPciAddress();
    }
    return iface.getSriov() != null ? iface.getSriov().getResourceName() : "";
  }

  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
    } catch (Exception e) {
      throw new IllegalStateException("cannot render sensor config", e);
    }
  }

  /** Short content hash for the pod-template annotation that rolls pods on change. */
  public static String hash(String content) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String enumValue(Enum<?> e) {
    if (e == null) {
      return null;
    }
    try {
      var p =
          e.getDeclaringClass()
              .getField(e.name())
              .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      return p != null ? p.value() : e.name().toLowerCase(java.util.Locale.ROOT);
    } catch (NoSuchFieldException ex) {
      return e.name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
