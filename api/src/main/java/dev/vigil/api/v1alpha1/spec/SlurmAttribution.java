package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Slurm job attribution from the cgroup tree slurmstepd creates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SlurmAttribution {

  /** The cgroup hierarchy slurmd uses (Slurm's CgroupPlugin). */
  public enum CgroupLayout {
    /** cgroup v2, Slurm 22.05+: .../slurmstepd.scope/job_ID/step_ID. */
    @JsonProperty("v2")
    V2,
    /** cgroup v1: .../slurm/uid_UID/job_ID/step_ID. */
    @JsonProperty("v1")
    V1
  }

  @Default("false")
  @JsonPropertyDescription("Read Slurm job IDs (and user) from process cgroups.")
  private Boolean enabled;

  @Default("v2")
  @JsonPropertyDescription("cgroup layout of slurmd: v2 (cgroup/v2 plugin) or v1.")
  private CgroupLayout cgroupLayout;

  @Default("/sys/fs/cgroup/system.slice/slurmstepd.scope")
  @Size(max = 1024)
  @ValidationRule(
      value = "self.startsWith('/') && !self.contains('..')",
      message = "slurm.cgroupRoot must be an absolute path without '..'")
  @JsonPropertyDescription("Root of the job cgroups on the host.")
  private String cgroupRoot;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public CgroupLayout getCgroupLayout() {
    return cgroupLayout;
  }

  public void setCgroupLayout(CgroupLayout cgroupLayout) {
    this.cgroupLayout = cgroupLayout;
  }

  public String getCgroupRoot() {
    return cgroupRoot;
  }

  public void setCgroupRoot(String cgroupRoot) {
    this.cgroupRoot = cgroupRoot;
  }
}
