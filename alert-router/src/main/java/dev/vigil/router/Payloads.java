package dev.vigil.router;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders notification bodies; pure. */
final class Payloads {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int PD_SUMMARY_MAX = 1024;

  private Payloads() {}

  /**
   * Notifications a route held back under its rate limit since it last delivered one: reported in
   * the next message it sends, so nothing is dropped silently.
   */
  record HeldBack(long groups, long alerts) {
    static final HeldBack NONE = new HeldBack(0, 0);

    boolean any() {
      return groups > 0;
    }
  }

  /** One line a person reads: {@code [high] rule: N alerts ...}. */
  static String summary(Group g) {
    StringBuilder b = new StringBuilder();
    b.append('[').append(Severities.name(g.severity)).append("] ").append(g.ruleName);
    if (g.sourceIp != null || g.destinationIp != null) {
      b.append(' ')
          .append(g.sourceIp == null ? "?" : g.sourceIp)
          .append(" -> ")
          .append(g.destinationIp == null ? "?" : g.destinationIp);
    }
    if (g.hostName != null) {
      b.append(" on ").append(g.hostName);
    }
    if (g.userName != null) {
      b.append(" user ").append(g.userName);
    }
    if (g.message != null) {
      b.append(": ").append(g.message);
    }
    return b.toString();
  }

  /** Events API v2 trigger, deduplicated by PagerDuty on the alert's key. */
  static ObjectNode pagerDutyTrigger(String routingKey, Group g, HeldBack held) {
    ObjectNode e = NODES.objectNode();
    e.put("routing_key", routingKey);
    e.put("event_action", "trigger");
    e.put("dedup_key", g.key);
    e.put("client", "Vigil");
    ObjectNode p = e.putObject("payload");
    String summary = summary(g);
    p.put(
        "summary",
        summary.length() > PD_SUMMARY_MAX
            ? summary.substring(0, PD_SUMMARY_MAX - 3) + "..."
            : summary);
    p.put("source", g.hostName != null ? g.hostName : g.sourceIp != null ? g.sourceIp : "vigil");
    p.put("severity", Severities.pagerDuty(g.severity));
    if (g.firstTimestamp != null) {
      p.put("timestamp", g.firstTimestamp);
    }
    p.put("component", g.ruleName);
    p.put("class", g.ruleName);
    ObjectNode d = p.putObject("custom_details");
    details(d, g);
    heldBack(d, held);
    return e;
  }

  /** Events API v2 resolve for the key a trigger was sent with. */
  static ObjectNode pagerDutyResolve(String routingKey, Group g) {
    ObjectNode e = NODES.objectNode();
    e.put("routing_key", routingKey);
    e.put("event_action", "resolve");
    e.put("dedup_key", g.key);
    return e;
  }

  /** One Slack message per group, when it closes, with its count. */
  static ObjectNode slack(Group g, HeldBack held) {
    StringBuilder t = new StringBuilder();
    t.append(summary(g)).append('\n');
    t.append(g.count).append(g.count == 1 ? " alert" : " alerts");
    t.append(" from ").append(g.firstTimestamp).append(" to ").append(g.lastTimestamp);
    t.append(" (dedup key ").append(g.key).append(')');
    if (held.any()) {
      t.append("\nRate limit held back ")
          .append(held.groups())
          .append(held.groups() == 1 ? " notification" : " notifications")
          .append(" (")
          .append(held.alerts())
          .append(" alerts) on this route since the last message.");
    }
    ObjectNode m = NODES.objectNode();
    m.put("text", t.toString());
    return m;
  }

  /** The generic webhook's body: {@code action} is trigger (group opened) or resolve (closed). */
  static ObjectNode webhook(String action, String route, Group g, HeldBack held) {
    ObjectNode m = NODES.objectNode();
    m.put("action", action);
    m.put("route", route);
    m.put("summary", summary(g));
    details(m, g);
    heldBack(m, held);
    return m;
  }

  private static void details(ObjectNode d, Group g) {
    d.put("dedup_key", g.key);
    d.put("rule", g.ruleName);
    d.put("severity", g.severity);
    d.put("count", g.count);
    d.put("first_seen", g.firstTimestamp);
    d.put("last_seen", g.lastTimestamp);
    putIf(d, "message", g.message);
    putIf(d, "source_ip", g.sourceIp);
    putIf(d, "destination_ip", g.destinationIp);
    putIf(d, "host", g.hostName);
    putIf(d, "user", g.userName);
  }

  private static void heldBack(ObjectNode d, HeldBack held) {
    if (held.any()) {
      ObjectNode h = d.putObject("rate_limited_since_last");
      h.put("notifications", held.groups());
      h.put("alerts", held.alerts());
    }
  }

  private static void putIf(ObjectNode n, String f, String v) {
    if (v != null) {
      n.put(f, v);
    }
  }
}
