package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An SR-IOV virtual function handed to the worker by the SR-IOV device plugin and Multus. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SriovInterface {

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9.-]+/[A-Za-z0-9_.-]+$")
  @JsonPropertyDescription("Device plugin resource name, e.g. intel.com/sriov_tap_vf.")
  private String resourceName;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription(
      "NetworkAttachmentDefinition (Multus) attaching the VF, as name or namespace/name.")
  private String networkAttachment;

  public String getResourceName() {
    return resourceName;
  }

  public void setResourceName(String resourceName) {
    this.resourceName = resourceName;
  }

  public String getNetworkAttachment() {
    return networkAttachment;
  }

  public void setNetworkAttachment(String networkAttachment) {
    this.networkAttachment = networkAttachment;
  }
}
