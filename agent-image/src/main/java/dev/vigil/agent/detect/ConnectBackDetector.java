package dev.vigil.agent.detect;

import dev.vigil.agent.attrib.ProcessInfo;
import dev.vigil.common.policy.Cidr;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Raises {@link Alert#CONNECT_BACK} when a process on this node starts a TCP connection to an
 * address that is neither in the internal networks nor on the allowlist. Evaluated at connect time
 * (SYN_SENT), when the kernel runs in the connecting task, so pid and exe are exact. Never raised
 * on the policy's internet nodes (login and data-mover nodes, {@code connectBack.internetNodes}).
 */
public final class ConnectBackDetector {
  private final String node;
  private volatile Compiled compiled;

  private record Compiled(Policy.ConnectBack policy, List<Cidr> internal, List<Cidr> allow) {}

  public ConnectBackDetector(String node, Policy policy) {
    this.node = node;
    update(policy);
  }

  public void update(Policy policy) {
    Policy.ConnectBack c = policy.connectBack();
    compiled =
        new Compiled(
            c,
            c.internalNetworks().stream().map(Cidr::parse).toList(),
            c.allowlist().stream().map(Cidr::parse).toList());
  }

  /** Where the address falls: "internal", "allowlisted" or "external". */
  public String classify(InetAddress dst) {
    Compiled k = compiled;
    if (k.internal().stream().anyMatch(n -> n.contains(dst))) {
      return "internal";
    }
    if (k.allow().stream().anyMatch(n -> n.contains(dst))) {
      return "allowlisted";
    }
    return "external";
  }

  public Optional<Alert> onConnect(
      ProcessInfo p, InetAddress src, int sport, InetAddress dst, int dport) {
    Compiled k = compiled;
    if (!k.policy().on()
        || k.policy().internetNodes().contains(node)
        || !classify(dst).equals("external")) {
      return Optional.empty();
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("node", node);
    f.put("pid", p.pid());
    f.put("ppid", p.ppid());
    f.put("uid", p.uid());
    f.put("user", p.user());
    f.put("exe", p.exe());
    f.put("comm", p.comm());
    f.put("cmdline", p.cmdline());
    f.put("workload", p.workload().toMap());
    if (p.workload().jobId() != null) {
      f.put("job_id", p.workload().jobId());
    }
    f.put("src", src.getHostAddress());
    f.put("sport", sport);
    f.put("dst", dst.getHostAddress());
    f.put("dport", dport);
    String who =
        p.workload().jobId() != null
            ? "job " + p.workload().jobId()
            : p.workload().podUid() != null ? "pod " + p.workload().podUid() : "host";
    return Optional.of(
        new Alert(
            Alert.CONNECT_BACK,
            String.format(
                "%s on %s (%s, user %s, pid %d) connected to external %s:%d",
                p.exe().isEmpty() ? p.comm() : p.exe(),
                node,
                who,
                p.user(),
                p.pid(),
                dst.getHostAddress(),
                dport),
            f));
  }
}
