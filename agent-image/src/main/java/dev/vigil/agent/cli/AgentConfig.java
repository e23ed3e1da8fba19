package dev.vigil.agent.cli;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line of {@code vigil-agent}.
 *
 * <pre>
 * vigil-agent --events DIR [--policy FILE] [--node NAME] [--metrics-port N]
 *             [--proc /proc] [--cgroup-root /sys/fs/cgroup] [--passwd /etc/passwd]
 *             [--pod-logs /var/log/pods] [--bpf-object FILE] [--sample-interval-ms 1000]
 * </pre>
 */
public record AgentConfig(
    Path events,
    Path policy,
    String node,
    int metricsPort,
    Path proc,
    Path cgroupRoot,
    Path passwd,
    Path podLogs,
    Path bpfObject,
    long sampleIntervalMillis) {

  public static final String USAGE =
      "usage: vigil-agent --events DIR [--policy FILE] [--node NAME] [--metrics-port N]\n"
          + "                   [--proc DIR] [--cgroup-root DIR] [--passwd FILE] [--pod-logs DIR]\n"
          + "                   [--bpf-object FILE] [--sample-interval-ms N]";

  public static AgentConfig parse(String... args) {
    Path events = null;
    Path policy = null;
    String node = null;
    int metricsPort = -1;
    Path proc = Path.of("/proc");
    Path cgroupRoot = Path.of("/sys/fs/cgroup");
    Path passwd = Path.of("/etc/passwd");
    Path podLogs = Path.of("/var/log/pods");
    Path bpfObject = null;
    long interval = 1000;
    List<String> a = new ArrayList<>(List.of(args));
    for (int i = 0; i < a.size(); i++) {
      String k = a.get(i);
      if (k.equals("-h") || k.equals("--help")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (i + 1 >= a.size()) {
        throw new IllegalArgumentException("missing value after " + k + "\n" + USAGE);
      }
      String v = a.get(++i);
      switch (k) {
        case "--events" -> events = Path.of(v);
        case "--policy" -> policy = Path.of(v);
        case "--node" -> node = v;
        case "--metrics-port" -> metricsPort = Integer.parseInt(v);
        case "--proc" -> proc = Path.of(v);
        case "--cgroup-root" -> cgroupRoot = Path.of(v);
        case "--passwd" -> passwd = Path.of(v);
        case "--pod-logs" -> podLogs = Path.of(v);
        case "--bpf-object" -> bpfObject = Path.of(v);
        case "--sample-interval-ms" -> interval = Long.parseLong(v);
        default -> throw new IllegalArgumentException("unknown option " + k + "\n" + USAGE);
      }
    }
    if (events == null) {
      throw new IllegalArgumentException("--events is required\n" + USAGE);
    }
    if (interval < 100) {
      throw new IllegalArgumentException("--sample-interval-ms must be >= 100");
    }
    return new AgentConfig(
        events,
        policy,
        node != null ? node : hostname(),
        metricsPort,
        proc,
        cgroupRoot,
        passwd,
        podLogs,
        bpfObject,
        interval);
  }

  static String hostname() {
    String env = System.getenv("NODE_NAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }
}
