package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Retention of one data class. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetentionClass {

  @Required
  @ValidationRule(
      value = "self >= 1 && self <= 3650",
      message =
          "retention days must be between 1 and 3650; 0 would delete data as soon as it is"
              + " written")
  @JsonPropertyDescription("Days to keep data (1-3650).")
  private Integer days;

  @Size(max = 32)
  @ValidationRule(
      value = "isQuantity(self) && quantity(self).compareTo(quantity('1Gi')) >= 0",
      message = "retention maxSize must be a quantity of at least 1Gi, such as 500Gi or 2Ti")
  @JsonPropertyDescription(
      "Upper bound on the class's primary store size (quantity, e.g. 2Ti); unset: only days.")
  private String maxSize;

  public Integer getDays() {
    return days;
  }

  public void setDays(Integer days) {
    this.days = days;
  }

  public String getMaxSize() {
    return maxSize;
  }

  public void setMaxSize(String maxSize) {
    this.maxSize = maxSize;
  }
}
