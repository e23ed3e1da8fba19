package dev.vigil.sensor.detect;

import dev.vigil.common.policy.PolicyDocument;
import dev.vigil.sensor.analyzer.StratumSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cryptocurrency mining: a connection the Stratum analyzer recognised by content (any port). The
 * alert names the pool (the miner's peer) and the login the miner authorised with (worker or
 * wallet), when it was sent within the analyzed prefix.
 */
public final class StratumDetector {
  public static final String RULE = "StratumMining";

  public void onStratum(
      SensorPolicy.Rules rules, FlowContext ctx, StratumSession m, List<Finding> out) {
    if (!rules.stratum()) {
      return;
    }
    String miner = m.minerIsOrig ? ctx.origIp() : ctx.respIp();
    String pool =
        m.minerIsOrig ? hostPort(ctx.respIp(), ctx.respPort) : hostPort(ctx.origIp(), ctx.origPort);
    Map<String, String> ev = new LinkedHashMap<>();
    ev.put("stratum.pool", pool);
    ev.put("stratum.method", m.method);
    if (m.login != null) {
      ev.put("stratum.login", m.login);
    }
    if (m.agent != null) {
      ev.put("stratum.agent", m.agent);
    }
    String msg =
        "Stratum mining from "
            + miner
            + " to pool "
            + pool
            + (m.login != null ? " as " + m.login : " (no login seen)")
            + (m.agent != null ? ", agent " + m.agent : "");
    out.add(
        new Finding(
            PolicyDocument.STRATUM,
            RULE,
            rules.stratumSeverity(),
            msg,
            null,
            null,
            null,
            null,
            null,
            null,
            m.tsNanos != 0 ? m.tsNanos : ctx.tsNanos,
            ev));
  }

  static String hostPort(String ip, int port) {
    return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
  }
}
