package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** GPU sampling of the host agent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GpuSampling {

  /** Which GPU interface to use. */
  public enum Mode {
    /** Use NVML or ROCm SMI where the node has GPUs, nothing elsewhere. */
    @JsonProperty("auto")
    AUTO,
    @JsonProperty("nvidia")
    NVIDIA,
    @JsonProperty("amd")
    AMD,
    @JsonProperty("off")
    OFF
  }

  @Default("auto")
  @JsonPropertyDescription("auto (detect per node), nvidia, amd or off.")
  private Mode mode;

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }
}
