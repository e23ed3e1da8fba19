package dev.vigil.sensor.detect;

import dev.vigil.common.policy.PolicyDocument;
import java.util.List;
import java.util.Map;

/**
 * Connect-back: a TCP or UDP connection opened by an address in the policy's internal networks (or
 * the SensorCluster's, when the policy lists none) to an address outside them and outside the
 * policy's allowed destinations — a reverse shell or an exfiltration channel from a compute node.
 * The originator is the side that opened the connection (SYN sender, first UDP datagram).
 */
public final class ConnectBackDetector {
  public static final String RULE = "ConnectBack";

  public void onConnection(SensorPolicy.Rules rules, FlowContext ctx, List<Finding> out) {
    if (!rules.connectBack() || (ctx.proto != 6 && ctx.proto != 17)) {
      return;
    }
    if (!rules.internal().contains(ctx.origHi, ctx.origLo)
        || rules.internal().contains(ctx.respHi, ctx.respLo)
        || rules.allowed().contains(ctx.respHi, ctx.respLo)) {
      return;
    }
    String proto = ctx.proto == 6 ? "tcp" : "udp";
    out.add(
        new Finding(
            PolicyDocument.CONNECT_BACK,
            RULE,
            rules.connectBackSeverity(),
            "internal "
                + ctx.origIp()
                + " connected out to "
                + StratumDetector.hostPort(ctx.respIp(), ctx.respPort)
                + "/"
                + proto
                + ", outside the internal networks and the allowed destinations",
            null,
            null,
            null,
            null,
            null,
            null,
            ctx.tsNanos,
            Map.of()));
  }
}
