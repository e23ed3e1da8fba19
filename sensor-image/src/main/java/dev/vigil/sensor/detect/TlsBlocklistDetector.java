package dev.vigil.sensor.detect;

import dev.vigil.common.policy.PolicyDocument;
import dev.vigil.common.policy.PolicyDocument.Fingerprint;
import dev.vigil.sensor.analyzer.SslSession;
import java.util.List;
import java.util.Map;

/**
 * Blocklisted TLS fingerprints: the client's JA3 and JA4 (from the ClientHello) and the server's
 * JA3S (from the ServerHello), each looked up in the policy's lists. One finding per listed
 * fingerprint the connection shows.
 */
public final class TlsBlocklistDetector {
  public static final String RULE = "TlsBlocklist";

  /** At the ClientHello: the client's JA3 and JA4. */
  public void onClientHello(
      SensorPolicy.Rules rules, FlowContext ctx, SslSession s, List<Finding> out) {
    if (s.sslv2) {
      return;
    }
    check(lookup(rules.ja3(), s.ja3), s, ctx, out);
    check(lookup(rules.ja4(), s.ja4), s, ctx, out);
  }

  /** At the ServerHello: the server's JA3S (the finding carries the client's JA3/JA4 and SNI). */
  public void onServerHello(
      SensorPolicy.Rules rules, FlowContext ctx, SslSession s, List<Finding> out) {
    if (s.sslv2) {
      return;
    }
    check(lookup(rules.ja3s(), s.ja3s), s, ctx, out);
  }

  /** Absent fingerprints (no ClientHello or ServerHello seen) are null: the maps refuse null. */
  private static Fingerprint lookup(Map<String, Fingerprint> list, String value) {
    return value == null || list.isEmpty() ? null : list.get(value);
  }

  private static void check(Fingerprint f, SslSession s, FlowContext ctx, List<Finding> out) {
    if (f == null) {
      return;
    }
    String kind = f.kind().toUpperCase(java.util.Locale.ROOT);
    String who = f.kind().equals("ja3s") ? "server " + ctx.respIp() : "client " + ctx.origIp();
    String msg =
        "TLS "
            + who
            + " has blocklisted "
            + kind
            + " "
            + f.value()
            + " ("
            + f.name()
            + ")"
            + (s.serverName != null ? ", SNI " + s.serverName : "");
    out.add(
        new Finding(
            PolicyDocument.TLS_BLOCKLIST,
            RULE,
            f.severity(),
            msg,
            f.value(),
            s.ja3,
            s.ja4,
            null,
            f.value(),
            f.name() + " (" + kind + ")",
            s.tsNanos != 0 ? s.tsNanos : ctx.tsNanos,
            s.serverName != null ? Map.of("server_name", s.serverName) : Map.of()));
  }
}
