package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The capture interface on the sensor node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.name), has(self.pciAddress), has(self.sriov)].filter(x, x).size() == 1",
    message = "set exactly one of interface.name, interface.pciAddress, interface.sriov")
public class TapInterface {

  @Size(min = 1, max = 15)
  @Pattern("^[a-zA-Z0-9][-a-zA-Z0-9_.]*$")
  @JsonPropertyDescription("Kernel interface name on the node, e.g. ens1f0 (afpacket, libpcap).")
  private String name;

  @Pattern("^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}[.][0-7]$")
  @JsonPropertyDescription(
      "PCI address of a NIC port bound to a DPDK driver, e.g. 0000:3b:00.0 (lowercase hex).")
  private String pciAddress;

  @JsonPropertyDescription("An SR-IOV virtual function from a device plugin resource.")
  private SriovInterface sriov;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getPciAddress() {
    return pciAddress;
  }

  public void setPciAddress(String pciAddress) {
    this.pciAddress = pciAddress;
  }

  public SriovInterface getSriov() {
    return sriov;
  }

  public void setSriov(SriovInterface sriov) {
    this.sriov = sriov;
  }
}
