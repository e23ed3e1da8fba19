package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.ObjectRef;
import dev.vigil.api.v1alpha1.Selector;
import dev.vigil.api.v1alpha1.Toleration;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** The eBPF host agent DaemonSet on a set of nodes (e.g. one compute partition). */
@JsonClassDescription(
    "The eBPF host agent DaemonSet on a set of nodes (e.g. one compute partition).")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HostAgentSpec {

  @Required
  @Size(min = 1, max = 512)
  @JsonPropertyDescription("Agent container image; pin a digest in production.")
  private String image;

  @JsonPropertyDescription(
      "Labels a node must have to run the agent, e.g. {slurm.example/partition: gpu}. Unset: every"
          + " node the tolerations allow.")
  private Map<String, String> nodeSelector;

  @Size(max = 32)
  @JsonPropertyDescription(
      "Tolerations for the agent pods; compute nodes are often tainted for batch jobs only.")
  private List<Toleration> tolerations;

  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "PriorityClass of the agent pods; use a high one so jobs cannot evict the agent.")
  private String priorityClassName;

  @Default("{}")
  @JsonPropertyDescription("Which eBPF probes are loaded.")
  private Probes probes;

  @Default("1s")
  @Size(max = 16)
  @ValidationRule(
      value =
          "self.matches('^[0-9]+(ms|s|m)$') && duration(self) >= duration('100ms')"
              + " && duration(self) <= duration('60s')",
      message = "samplingInterval must be a duration between 100ms and 60s, such as 1s or 500ms")
  @JsonPropertyDescription(
      "How often per-process CPU, memory and GPU usage is sampled, e.g. 1s (100ms-60s).")
  private String samplingInterval;

  @Default("{}")
  @JsonPropertyDescription("How processes and connections are attributed to pods and batch jobs.")
  private Attribution attribution;

  @Default("{}")
  @JsonPropertyDescription("GPU utilisation and memory sampling.")
  private GpuSampling gpu;

  @Default("{}")
  @JsonPropertyDescription("DaemonSet rollout settings.")
  private Rollout rollout;

  @JsonPropertyDescription(
      "DetectorPolicies (by label, in this namespace) evaluated against this agent's events.")
  private Selector detectorPolicySelector;

  @Required
  @JsonPropertyDescription("The AlertPipeline that receives the agents' events and alerts.")
  private ObjectRef alertPipelineRef;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
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

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public Probes getProbes() {
    return probes;
  }

  public void setProbes(Probes probes) {
    this.probes = probes;
  }

  public String getSamplingInterval() {
    return samplingInterval;
  }

  public void setSamplingInterval(String samplingInterval) {
    this.samplingInterval = samplingInterval;
  }

  public Attribution getAttribution() {
    return attribution;
  }

  public void setAttribution(Attribution attribution) {
    this.attribution = attribution;
  }

  public GpuSampling getGpu() {
    return gpu;
  }

  public void setGpu(GpuSampling gpu) {
    this.gpu = gpu;
  }

  public Rollout getRollout() {
    return rollout;
  }

  public void setRollout(Rollout rollout) {
    this.rollout = rollout;
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
