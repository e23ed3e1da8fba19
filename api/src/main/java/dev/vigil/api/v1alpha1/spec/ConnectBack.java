package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.ItemMaxLength;
import dev.vigil.api.v1alpha1.Selector;
import dev.vigil.api.v1alpha1.Severity;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Connect-back detection: compute nodes should not open connections to the internet; login and
 * data-transfer nodes may.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConnectBack {

  @Default("true")
  @JsonPropertyDescription("Run the detector.")
  private Boolean enabled;

  @ItemMaxLength(43)
  @Size(max = 256)
  @ValidationRule(
      value = "self.all(c, isCIDR(c))",
      messageExpression =
          "'connectBack.internalNetworks must be CIDRs such as 10.0.0.0/8; not a CIDR: '"
              + " + self.filter(c, !isCIDR(c))[0]")
  @JsonPropertyDescription(
      "CIDRs of the nodes watched; unset uses the SensorCluster's internalNetworks.")
  private List<String> internalNetworks;

  @ItemMaxLength(43)
  @Size(max = 1024)
  @ValidationRule(
      value = "self.all(c, isCIDR(c))",
      messageExpression =
          "'connectBack.allowedDestinations must be CIDRs such as 192.0.2.0/24; not a CIDR: '"
              + " + self.filter(c, !isCIDR(c))[0]")
  @JsonPropertyDescription(
      "External CIDRs any node may reach (licence servers, package mirrors, partner sites).")
  private List<String> allowedDestinations;

  @JsonPropertyDescription(
      "Nodes (by node label) that may reach the internet, e.g. login and data-transfer nodes."
          + " Unset: none may.")
  private Selector internetNodeSelector;

  @Default("medium")
  @JsonPropertyDescription("Severity of the alert.")
  private Severity severity;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public List<String> getInternalNetworks() {
    return internalNetworks;
  }

  public void setInternalNetworks(List<String> internalNetworks) {
    this.internalNetworks = internalNetworks;
  }

  public List<String> getAllowedDestinations() {
    return allowedDestinations;
  }

  public void setAllowedDestinations(List<String> allowedDestinations) {
    this.allowedDestinations = allowedDestinations;
  }

  public Selector getInternetNodeSelector() {
    return internetNodeSelector;
  }

  public void setInternetNodeSelector(Selector internetNodeSelector) {
    this.internetNodeSelector = internetNodeSelector;
  }

  public Severity getSeverity() {
    return severity;
  }

  public void setSeverity(Severity severity) {
    this.severity = severity;
  }
}
