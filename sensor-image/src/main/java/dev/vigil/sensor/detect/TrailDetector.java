package dev.vigil.sensor.detect;

import dev.vigil.common.policy.Cidr;
import dev.vigil.common.policy.PolicyDocument;
import dev.vigil.common.policy.PolicyDocument.Indicator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Threat-intel trails (Maltrail static trails compiled by the operator, plus inline ones) matched
 * against what the sensor sees: both addresses of every connection (IP, CIDR, IP:port trails), the
 * TLS SNI, DNS query names and answers, and HTTP Host and URL. A domain trail matches the name and
 * every name under it ({@code evil.example} matches {@code a.b.evil.example}).
 */
public final class TrailDetector {
  public static final String RULE = "ThreatIntelTrail";

  /** Both endpoints of a connection. */
  public void onConnection(SensorPolicy.Rules rules, FlowContext ctx, List<Finding> out) {
    SensorPolicy.Trails t = rules.trails();
    if (t.addresses().isEmpty() && t.addressPorts().isEmpty()) {
      return;
    }
    Indicator resp = t.address(ctx.respHi, ctx.respLo, ctx.respPort);
    if (resp != null) {
      address(resp, ctx, ctx.respIp(), "destination", out);
    }
    Indicator orig = t.address(ctx.origHi, ctx.origLo, ctx.origPort);
    if (orig != null) {
      address(orig, ctx, ctx.origIp(), "source", out);
    }
  }

  private static void address(
      Indicator i, FlowContext ctx, String ip, String side, List<Finding> out) {
    out.add(
        finding(
            i,
            ip.indexOf(':') >= 0 ? "ipv6-addr" : "ipv4-addr",
            ip,
            "connection " + side + " " + ip,
            ctx.tsNanos));
  }

  /** The server name a TLS client asked for. */
  public void onSni(
      SensorPolicy.Rules rules, FlowContext ctx, String sni, long tsNanos, List<Finding> out) {
    Indicator i = rules.trails().domain(sni);
    if (i != null) {
      out.add(finding(i, "domain-name", sni, "TLS server name " + sni, tsNanos));
    }
  }

  /** A DNS query name, and the names and addresses in its answers. */
  public void onDnsQuery(
      SensorPolicy.Rules rules,
      FlowContext ctx,
      String query,
      List<String> answers,
      List<Finding> out) {
    SensorPolicy.Trails t = rules.trails();
    Indicator q = t.domain(query);
    if (q != null) {
      out.add(finding(q, "domain-name", query, "DNS query for " + query, ctx.tsNanos));
    }
    if (answers == null) {
      return;
    }
    for (String a : answers) {
      if (a == null || a.isEmpty()) {
        continue;
      }
      Indicator i = null;
      String type = "domain-name";
      if (a.indexOf(':') >= 0 || Character.isDigit(a.charAt(a.length() - 1))) {
        try {
          long[] x = Cidr.hiLo(a);
          i = t.address(x[0], x[1], -1);
          type = a.indexOf(':') >= 0 ? "ipv6-addr" : "ipv4-addr";
        } catch (IllegalArgumentException notAnAddress) {
          i = t.domain(a);
        }
      } else {
        i = t.domain(a);
      }
      if (i != null) {
        out.add(finding(i, type, a, "DNS answer " + a + " for " + query, ctx.tsNanos));
      }
    }
  }

  /** An HTTP request's Host header and request target. */
  public void onHttpRequest(
      SensorPolicy.Rules rules, FlowContext ctx, String host, String uri, List<Finding> out) {
    SensorPolicy.Trails t = rules.trails();
    Indicator u = t.url(host, uri);
    if (u != null) {
      String seen = "http://" + (host == null ? "" : SensorPolicy.hostOnly(host)) + uri;
      out.add(finding(u, "url", seen, "HTTP request " + seen, ctx.tsNanos));
      return; // the URL trail is the more specific of the two
    }
    if (host != null) {
      String h = SensorPolicy.hostOnly(host);
      Indicator d = t.domain(h);
      if (d != null) {
        out.add(finding(d, "domain-name", h, "HTTP request to host " + h, ctx.tsNanos));
      }
    }
  }

  private static Finding finding(Indicator i, String type, String seen, String what, long tsNanos) {
    Map<String, String> ev = new LinkedHashMap<>();
    ev.put("trail.matched", seen);
    ev.put("trail.type", i.type());
    if (i.source() != null) {
      ev.put("trail.source", i.source());
    }
    return new Finding(
        PolicyDocument.TRAIL,
        RULE,
        i.severity(),
        what
            + " is on a threat-intel trail: "
            + i.value()
            + (i.info() != null ? " (" + i.info() + ")" : ""),
        null,
        null,
        null,
        type,
        i.value(),
        i.info(),
        tsNanos,
        ev);
  }
}
