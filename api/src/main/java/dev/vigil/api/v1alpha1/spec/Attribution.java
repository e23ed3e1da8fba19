package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Which workload owns a process: a Kubernetes pod, a Slurm job, or neither (the host). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Attribution {

  @Default("true")
  @JsonPropertyDescription("Attribute processes to Kubernetes pods (namespace, pod, container).")
  private Boolean kubernetes;

  @Default("{}")
  @JsonPropertyDescription("Attribute processes to Slurm jobs through their cgroups.")
  private SlurmAttribution slurm;

  public Boolean getKubernetes() {
    return kubernetes;
  }

  public void setKubernetes(Boolean kubernetes) {
    this.kubernetes = kubernetes;
  }

  public SlurmAttribution getSlurm() {
    return slurm;
  }

  public void setSlurm(SlurmAttribution slurm) {
    this.slurm = slurm;
  }
}
