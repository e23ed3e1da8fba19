package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Where logs and alerts go: OpenSearch for everything, routes for alerts that page someone. */
@JsonClassDescription(
    "Where logs and alerts go: OpenSearch for everything, routes for alerts that page someone.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertPipelineSpec {

  @Required
  @JsonPropertyDescription("The OpenSearch cluster that stores logs and alerts.")
  private OpenSearch opensearch;

  @JsonPropertyDescription("How long each data class is kept; unset classes keep their defaults.")
  private Retention retention;

  @Size(max = 32)
  @ValidationRule(
      value = "self.all(r, self.exists_one(s, s.name == r.name))",
      message = "route names must be unique")
  @JsonPropertyDescription("Notification routes; an alert goes to every route it matches.")
  private List<Route> routes;

  @Default("5m")
  @Size(max = 16)
  @ValidationRule(
      value =
          "self.matches('^([0-9]+h)?([0-9]+m)?([0-9]+s)?$') && self != ''"
              + " && duration(self) <= duration('24h')",
      message = "dedupWindow must be a duration up to 24h, such as 5m or 0s to turn dedup off")
  @JsonPropertyDescription(
      "Identical alerts (same detector, source, destination) within this window notify once.")
  private String dedupWindow;

  @Default("{}")
  @JsonPropertyDescription("Cap on notifications per route, so an incident does not flood a pager.")
  private RateLimit rateLimit;

  public OpenSearch getOpensearch() {
    return opensearch;
  }

  public void setOpensearch(OpenSearch opensearch) {
    this.opensearch = opensearch;
  }

  public Retention getRetention() {
    return retention;
  }

  public void setRetention(Retention retention) {
    this.retention = retention;
  }

  public List<Route> getRoutes() {
    return routes;
  }

  public void setRoutes(List<Route> routes) {
    this.routes = routes;
  }

  public String getDedupWindow() {
    return dedupWindow;
  }

  public void setDedupWindow(String dedupWindow) {
    this.dedupWindow = dedupWindow;
  }

  public RateLimit getRateLimit() {
    return rateLimit;
  }

  public void setRateLimit(RateLimit rateLimit) {
    this.rateLimit = rateLimit;
  }
}
