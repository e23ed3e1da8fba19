package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.ItemMaxLength;
import dev.vigil.api.v1alpha1.Severity;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A notification route: which alerts, and exactly one target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.pagerDuty) || has(self.slack) || has(self.webhook)",
    message = "route has no target: set one of pagerDuty, slack, webhook")
@ValidationRule(
    value = "[has(self.pagerDuty), has(self.slack), has(self.webhook)].filter(x, x).size() <= 1",
    message = "route has more than one target: use one route per target")
public class Route {

  @Required
  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Route name (a DNS label), unique in the pipeline.")
  private String name;

  @Default("high")
  @JsonPropertyDescription("Lowest severity routed: info, low, medium, high or critical.")
  private Severity minSeverity;

  @ItemMaxLength(63)
  @Size(max = 32)
  @JsonPropertyDescription("Only alerts of these detectors; unset routes every detector.")
  private List<String> detectors;

  @JsonPropertyDescription("PagerDuty Events API v2 target.")
  private PagerDutyTarget pagerDuty;

  @JsonPropertyDescription("Slack incoming-webhook target.")
  private SlackTarget slack;

  @JsonPropertyDescription("Generic webhook target (JSON POST).")
  private WebhookTarget webhook;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Severity getMinSeverity() {
    return minSeverity;
  }

  public void setMinSeverity(Severity minSeverity) {
    this.minSeverity = minSeverity;
  }

  public List<String> getDetectors() {
    return detectors;
  }

  public void setDetectors(List<String> detectors) {
    this.detectors = detectors;
  }

  public PagerDutyTarget getPagerDuty() {
    return pagerDuty;
  }

  public void setPagerDuty(PagerDutyTarget pagerDuty) {
    this.pagerDuty = pagerDuty;
  }

  public SlackTarget getSlack() {
    return slack;
  }

  public void setSlack(SlackTarget slack) {
    this.slack = slack;
  }

  public WebhookTarget getWebhook() {
    return webhook;
  }

  public void setWebhook(WebhookTarget webhook) {
    this.webhook = webhook;
  }
}
