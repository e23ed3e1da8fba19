package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Hugepages for DPDK workers; the node must have them pre-allocated. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Hugepages {

  /** Hugepage size; the pod requests resource hugepages-{pageSize}. */
  public enum PageSize {
    @JsonProperty("2Mi")
    MI_2,
    @JsonProperty("1Gi")
    GI_1
  }

  @Required
  @JsonPropertyDescription("Hugepage size: 2Mi or 1Gi.")
  private PageSize pageSize;

  @Required
  @Size(max = 32)
  @ValidationRule(
      value = "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))",
      message = "hugepages.perWorker must be a positive quantity such as 2Gi")
  @JsonPropertyDescription(
      "Hugepage memory per worker (a Kubernetes quantity, e.g. 2Gi); a multiple of pageSize.")
  private String perWorker;

  public PageSize getPageSize() {
    return pageSize;
  }

  public void setPageSize(PageSize pageSize) {
    this.pageSize = pageSize;
  }

  public String getPerWorker() {
    return perWorker;
  }

  public void setPerWorker(String perWorker) {
    this.perWorker = perWorker;
  }
}
