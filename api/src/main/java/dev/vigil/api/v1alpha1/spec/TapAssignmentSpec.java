package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;

/** One monitored link: where its packets arrive and how many workers analyse them. */
@JsonClassDescription(
    "One monitored link: where its packets arrive and how many workers analyse them.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TapAssignmentSpec {

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the SensorCluster (same namespace) whose settings apply.")
  private String sensorCluster;

  @Required
  @JsonPropertyDescription("The monitored link.")
  private Link link;

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("The sensor node the link is cabled to; workers are pinned to it.")
  private String nodeName;

  @Required
  @JsonProperty("interface")
  @JsonPropertyDescription(
      "The capture interface on nodeName: exactly one of name, pciAddress or sriov.")
  private TapInterface iface;

  @SpecReplicas
  @Default("1")
  @ValidationRule(value = "self >= 1 && self <= 64", message = "workers must be between 1 and 64")
  @JsonPropertyDescription(
      "Sensor workers for this link (1-64), each with the SensorCluster's CPUs. Scalable with"
          + " kubectl scale tapassignment/NAME --replicas=N.")
  private Integer workers;

  @Size(max = 4096)
  @JsonPropertyDescription(
      "BPF filter for this link; replaces the SensorCluster's capture.bpfFilter.")
  private String bpfFilter;

  @Size(max = 64)
  @ValidationRule(
      value = "self.all(v, v >= 1 && v <= 4094)",
      message = "vlans must be VLAN IDs between 1 and 4094")
  @ValidationRule(
      value = "self.all(v, self.exists_one(w, w == v))",
      message = "vlans must not repeat an ID")
  @JsonPropertyDescription(
      "Capture only these 802.1Q VLAN IDs (outer tag); unset captures every VLAN.")
  private List<Integer> vlans;

  public String getSensorCluster() {
    return sensorCluster;
  }

  public void setSensorCluster(String sensorCluster) {
    this.sensorCluster = sensorCluster;
  }

  public Link getLink() {
    return link;
  }

  public void setLink(Link link) {
    this.link = link;
  }

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public TapInterface getInterface() {
    return iface;
  }

  public void setInterface(TapInterface iface) {
    this.iface = iface;
  }

  public Integer getWorkers() {
    return workers;
  }

  public void setWorkers(Integer workers) {
    this.workers = workers;
  }

  public String getBpfFilter() {
    return bpfFilter;
  }

  public void setBpfFilter(String bpfFilter) {
    this.bpfFilter = bpfFilter;
  }

  public List<Integer> getVlans() {
    return vlans;
  }

  public void setVlans(List<Integer> vlans) {
    this.vlans = vlans;
  }
}
