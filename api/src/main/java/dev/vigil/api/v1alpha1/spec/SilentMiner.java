package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.Severity;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Thresholds of the silent-miner detector: a process (or job) that keeps compute busy with little
 * memory, for longer than sustainedFor, with no Stratum on the wire (e.g. through a proxy).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SilentMiner {

  @Default("true")
  @JsonPropertyDescription("Run the detector.")
  private Boolean enabled;

  @Default("90")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "CPU utilisation (% of the cores allocated) above which a process is suspect.")
  private Integer cpuPercentAbove;

  @Default("256Mi")
  @Size(max = 32)
  @ValidationRule(
      value = "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))",
      message = "silentMiner.memoryPerCoreBelow must be a positive quantity such as 256Mi")
  @JsonPropertyDescription("Resident memory per busy core below which a process is suspect.")
  private String memoryPerCoreBelow;

  @Default("90")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("GPU utilisation (%) above which a GPU process is suspect.")
  private Integer gpuUtilizationAbove;

  @Default("2Gi")
  @Size(max = 32)
  @ValidationRule(
      value = "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))",
      message = "silentMiner.gpuMemoryBelow must be a positive quantity such as 2Gi")
  @JsonPropertyDescription("GPU memory in use below which a busy GPU process is suspect.")
  private String gpuMemoryBelow;

  @Default("15m")
  @Size(max = 16)
  @ValidationRule(
      value =
          "self.matches('^([0-9]+h)?([0-9]+m)?([0-9]+s)?$') && self != ''"
              + " && duration(self) >= duration('1m') && duration(self) <= duration('168h')",
      message = "silentMiner.sustainedFor must be a duration from 1m to 168h, such as 15m or 1h30m")
  @JsonPropertyDescription("How long the thresholds must hold before an alert, e.g. 15m (1m-168h).")
  private String sustainedFor;

  @Default("high")
  @JsonPropertyDescription("Severity of the alert.")
  private Severity severity;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getCpuPercentAbove() {
    return cpuPercentAbove;
  }

  public void setCpuPercentAbove(Integer cpuPercentAbove) {
    this.cpuPercentAbove = cpuPercentAbove;
  }

  public String getMemoryPerCoreBelow() {
    return memoryPerCoreBelow;
  }

  public void setMemoryPerCoreBelow(String memoryPerCoreBelow) {
    this.memoryPerCoreBelow = memoryPerCoreBelow;
  }

  public Integer getGpuUtilizationAbove() {
    return gpuUtilizationAbove;
  }

  public void setGpuUtilizationAbove(Integer gpuUtilizationAbove) {
    this.gpuUtilizationAbove = gpuUtilizationAbove;
  }

  public String getGpuMemoryBelow() {
    return gpuMemoryBelow;
  }

  public void setGpuMemoryBelow(String gpuMemoryBelow) {
    this.gpuMemoryBelow = gpuMemoryBelow;
  }

  public String getSustainedFor() {
    return sustainedFor;
  }

  public void setSustainedFor(String sustainedFor) {
    this.sustainedFor = sustainedFor;
  }

  public Severity getSeverity() {
    return severity;
  }

  public void setSeverity(Severity severity) {
    this.severity = severity;
  }
}
