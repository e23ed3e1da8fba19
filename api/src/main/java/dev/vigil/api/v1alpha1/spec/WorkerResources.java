package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Resources of one sensor worker pod; requests equal limits (Guaranteed QoS). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerResources {

  @Default("2")
  @Min(1)
  @Max(64)
  @JsonPropertyDescription(
      "Whole CPUs per worker. Integer so that, with the static CPU manager policy, each worker"
          + " gets exclusive cores.")
  private Integer cpus;

  @Default("4Gi")
  @Size(max = 32)
  @ValidationRule(
      value = "isQuantity(self) && quantity(self).compareTo(quantity('256Mi')) >= 0",
      message = "resources.memory must be a quantity of at least 256Mi, such as 4Gi")
  @JsonPropertyDescription("Memory per worker (a Kubernetes quantity, e.g. 4Gi).")
  private String memory;

  public Integer getCpus() {
    return cpus;
  }

  public void setCpus(Integer cpus) {
    this.cpus = cpus;
  }

  public String getMemory() {
    return memory;
  }

  public void setMemory(String memory) {
    this.memory = memory;
  }
}
