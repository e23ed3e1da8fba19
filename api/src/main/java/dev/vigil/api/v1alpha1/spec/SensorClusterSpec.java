package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.ItemMaxLength;
import dev.vigil.api.v1alpha1.ObjectRef;
import dev.vigil.api.v1alpha1.Selector;
import dev.vigil.api.v1alpha1.Toleration;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** Configuration shared by every TapAssignment (monitored link) of a sensor cluster. */
@JsonClassDescription(
    "Configuration shared by every TapAssignment (monitored link) of a sensor cluster.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SensorClusterSpec {

  @Required
  @Size(min = 1, max = 512)
  @JsonPropertyDescription(
      "Sensor container image, e.g. registry.example/vigil/sensor:0.1.0; pin a digest in"
          + " production.")
  private String image;

  @Default("{}")
  @JsonPropertyDescription("How sensor workers read packets from the monitored interfaces.")
  private Capture capture;

  @Default("{}")
  @JsonPropertyDescription("CPU and memory of each sensor worker pod.")
  private WorkerResources resources;

  @Default("{}")
  @JsonPropertyDescription("Which protocol analyzers run; all are on unless switched off.")
  private Analyzers analyzers;

  @JsonPropertyDescription(
      "Bypass for elephant flows (bulk transfers): after either threshold only flow setup and"
          + " teardown are logged. Unset logs every flow in full.")
  private ElephantFlowBypass elephantFlowBypass;

  @ItemMaxLength(43)
  @Required
  @Size(min = 1, max = 256)
  @ValidationRule(
      value = "self.all(c, isCIDR(c))",
      messageExpression =
          "'internalNetworks must be CIDRs such as 10.0.0.0/8 or fd00::/8; not a CIDR: '"
              + " + self.filter(c, !isCIDR(c))[0]")
  @ValidationRule(
      value = "self.all(c, !isCIDR(c) || cidr(c) == cidr(c).masked())",
      message =
          "internalNetworks entries must not have host bits set: write 10.0.0.0/8, not"
              + " 10.1.2.3/8")
  @JsonPropertyDescription(
      "The site's own address space (CIDRs). Flows between two internal addresses are east-west;"
          + " detectors use this to tell inbound from outbound.")
  private List<String> internalNetworks;

  @JsonPropertyDescription(
      "Labels a node must have to run sensor workers (merged with each TapAssignment's"
          + " nodeName).")
  private Map<String, String> nodeSelector;

  @Size(max = 32)
  @JsonPropertyDescription("Tolerations for the sensor worker pods, e.g. for tainted sensor nodes.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription(
      "DetectorPolicies (by label, in this namespace) that apply to this cluster's traffic. Unset"
          + " applies none.")
  private Selector detectorPolicySelector;

  @Required
  @JsonPropertyDescription("The AlertPipeline that receives this cluster's logs and alerts.")
  private ObjectRef alertPipelineRef;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Capture getCapture() {
    return capture;
  }

  public void setCapture(Capture capture) {
    this.capture = capture;
  }

  public WorkerResources getResources() {
    return resources;
  }

  public void setResources(WorkerResources resources) {
    this.resources = resources;
  }

  public Analyzers getAnalyzers() {
    return analyzers;
  }

  public void setAnalyzers(Analyzers analyzers) {
    this.analyzers = analyzers;
  }

  public ElephantFlowBypass getElephantFlowBypass() {
    return elephantFlowBypass;
  }

  public void setElephantFlowBypass(ElephantFlowBypass elephantFlowBypass) {
    this.elephantFlowBypass = elephantFlowBypass;
  }

  public List<String> getInternalNetworks() {
    return internalNetworks;
  }

  public void setInternalNetworks(List<String> internalNetworks) {
    this.internalNetworks = internalNetworks;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Selector getDetectorPolicySelector() {
    return detectorPolicySelector;
  }

  public void setDetectorPolicySelector(Selector detectorPolicySelector) {
    this.detectorPolicySelector = detectorPolicySelector;
  }

  public ObjectRef getAlertPipelineRef() {
    return alertPipelineRef;
  }

  public void setAlertPipelineRef(ObjectRef alertPipelineRef) {
    this.alertPipelineRef = alertPipelineRef;
  }
}
