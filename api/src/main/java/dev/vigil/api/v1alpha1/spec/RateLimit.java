package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Token bucket per route; alerts over the limit are logged, not sent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RateLimit {

  @Default("30")
  @Min(1)
  @Max(10000)
  @JsonPropertyDescription("Sustained notifications per minute per route.")
  private Integer perMinute;

  @Default("10")
  @Min(1)
  @Max(10000)
  @JsonPropertyDescription("Notifications a route may send at once above the sustained rate.")
  private Integer burst;

  public Integer getPerMinute() {
    return perMinute;
  }

  public void setPerMinute(Integer perMinute) {
    this.perMinute = perMinute;
  }

  public Integer getBurst() {
    return burst;
  }

  public void setBurst(Integer burst) {
    this.burst = burst;
  }
}
