package dev.vigil.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class PayloadsTest {

  static Group group(long count) {
    Group g =
        Group.first(
            new AlertRecord(
                "0123456789abcdef0123456789abcdef",
                "stratum-mining",
                99,
                "2026-11-23T10:00:00Z",
                "stratum login",
                "10.1.1.1",
                "203.0.113.9",
                "cn-0042",
                "alice"),
            1000,
            1);
    g.count = count;
    g.lastTimestamp = "2026-11-23T10:04:00Z";
    return g;
  }

  @Test
  void pagerDutyTriggerCarriesTheAlertKeyAsDedupKey() {
    ObjectNode e = Payloads.pagerDutyTrigger("rk", group(5), Payloads.HeldBack.NONE);
    assertThat(e.path("routing_key").asText()).isEqualTo("rk");
    assertThat(e.path("event_action").asText()).isEqualTo("trigger");
    assertThat(e.path("dedup_key").asText()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(e.at("/payload/severity").asText()).isEqualTo("critical");
    assertThat(e.at("/payload/source").asText()).isEqualTo("cn-0042");
    assertThat(e.at("/payload/summary").asText())
        .isEqualTo(
            "[critical] stratum-mining 10.1.1.1 -> 203.0.113.9 on cn-0042 user alice: stratum"
                + " login");
    assertThat(e.at("/payload/timestamp").asText()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(e.at("/payload/custom_details/count").asLong()).isEqualTo(5);
    assertThat(e.at("/payload/custom_details").has("rate_limited_since_last")).isFalse();
  }

  @Test
  void pagerDutySummaryIsCutToItsLimit() {
    Group g = group(1);
    g.message = "x".repeat(5000);
    String s =
        Payloads.pagerDutyTrigger("rk", g, Payloads.HeldBack.NONE).at("/payload/summary").asText();
    assertThat(s).hasSize(1024).endsWith("...");
  }

  @Test
  void pagerDutyResolveHasOnlyKeyAndAction() {
    ObjectNode e = Payloads.pagerDutyResolve("rk", group(5));
    assertThat(e.toString())
        .isEqualTo(
            "{\"routing_key\":\"rk\",\"event_action\":\"resolve\","
                + "\"dedup_key\":\"0123456789abcdef0123456789abcdef\"}");
  }

  @Test
  void slackMessageCarriesCountAndHeldBackNotifications() {
    String text = Payloads.slack(group(100_000), Payloads.HeldBack.NONE).path("text").asText();
    assertThat(text)
        .isEqualTo(
            "[critical] stratum-mining 10.1.1.1 -> 203.0.113.9 on cn-0042 user alice: stratum"
                + " login\n100000 alerts from 2026-11-23T10:00:00Z to 2026-11-23T10:04:00Z"
                + " (dedup key 0123456789abcdef0123456789abcdef)");
    String held = Payloads.slack(group(1), new Payloads.HeldBack(4, 170)).path("text").asText();
    assertThat(held)
        .contains("\n1 alert from")
        .endsWith(
            "\nRate limit held back 4 notifications (170 alerts) on this route since the last"
                + " message.");
  }

  @Test
  void webhookBodyNamesActionRouteAndCounts() {
    ObjectNode m = Payloads.webhook("resolve", "siem", group(7), new Payloads.HeldBack(1, 2));
    assertThat(m.path("action").asText()).isEqualTo("resolve");
    assertThat(m.path("route").asText()).isEqualTo("siem");
    assertThat(m.path("count").asLong()).isEqualTo(7);
    assertThat(m.path("severity").asInt()).isEqualTo(99);
    assertThat(m.at("/rate_limited_since_last/notifications").asLong()).isEqualTo(1);
    assertThat(m.at("/rate_limited_since_last/alerts").asLong()).isEqualTo(2);
  }

  @Test
  void severityBands() {
    assertThat(Severities.pagerDuty(99)).isEqualTo("critical");
    assertThat(Severities.pagerDuty(73)).isEqualTo("error");
    assertThat(Severities.pagerDuty(47)).isEqualTo("warning");
    assertThat(Severities.pagerDuty(21)).isEqualTo("info");
    assertThat(Severities.name(50)).isEqualTo("medium");
    assertThat(Severities.name(0)).isEqualTo("info");
  }
}
