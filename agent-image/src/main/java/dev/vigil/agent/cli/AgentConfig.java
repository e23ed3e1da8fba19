package dev.vigil.agent.cli;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line of {@code vigil-agent}.
 *
 * <pre>
 * vigil-agent --events DIR [--policy FILE | --policy-dir DIR] [--node NAME] [--metrics-port N]
 *             [--proc /proc] [--cgroup-root /sys/fs/cgroup] [--passwd /etc/passwd]
 *             [--pod-logs /var/log/pods] [--bpf-object FILE] [--sample-interval-ms 1000]
 *             [--opensearch URL [--opensearch-user U --opensearch-password-file F]
 *              [--opensearch-ca PEM] [--index-prefix vigil] [--spool-dir DIR/spool]]
 * </pre>
 *
 * The password is read from its file when the shipper starts; only the path is held here, so
 * printing a config never shows it.
 */
public record AgentConfig(
    Path events,
    Path policy,
    Path policyDir,
    String node,
    int metricsPort,
    Path proc,
    Path cgroupRoot,
    Path passwd,
    Path podLogs,
    Path bpfObject,
    long sampleIntervalMillis,
    URI opensearch,
    String opensearchUser,
    Path opensearchPasswordFile,
    Path opensearchCa,
    String indexPrefix,
    Path spoolDir,
    boolean loopbackSockets) {

  public static final String USAGE =
      "usage: vigil-agent --events DIR [--policy FILE | --policy-dir DIR] [--node NAME]"
          + " [--metrics-port N]\n"
          + "                   [--proc DIR] [--cgroup-root DIR] [--passwd FILE] [--pod-logs DIR]\n"
          + "                   [--bpf-object FILE] [--sample-interval-ms N]"
          + " [--loopback-sockets off|on]\n"
          + "                   [--opensearch URL] [--opensearch-user USER"
          + " --opensearch-password-file FILE]\n"
          + "                   [--opensearch-ca PEM] [--index-prefix vigil]"
          + " [--spool-dir DIR (default EVENTS/spool)]";

  public static AgentConfig parse(String... args) {
    Path events = null;
    Path policy = null;
    Path policyDir = null;
    String node = null;
    int metricsPort = -1;
    Path proc = Path.of("/proc");
    Path cgroupRoot = Path.of("/sys/fs/cgroup");
    Path passwd = Path.of("/etc/passwd");
    Path podLogs = Path.of("/var/log/pods");
    Path bpfObject = null;
    long interval = 1000;
    URI opensearch = null;
    String osUser = null;
    Path osPasswordFile = null;
    Path osCa = null;
    String indexPrefix = "vigil";
    Path spoolDir = null;
    boolean loopback = false;
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
        case "--policy-dir" -> policyDir = Path.of(v);
        case "--node" -> node = v;
        case "--metrics-port" -> metricsPort = Integer.parseInt(v);
        case "--proc" -> proc = Path.of(v);
        case "--cgroup-root" -> cgroupRoot = Path.of(v);
        case "--passwd" -> passwd = Path.of(v);
        case "--pod-logs" -> podLogs = Path.of(v);
        case "--bpf-object" -> bpfObject = Path.of(v);
        case "--sample-interval-ms" -> interval = Long.parseLong(v);
        case "--opensearch" -> opensearch = opensearchUrl(v);
        case "--opensearch-user" -> osUser = v;
        case "--opensearch-password-file" -> osPasswordFile = Path.of(v);
        case "--opensearch-ca" -> osCa = Path.of(v);
        case "--index-prefix" -> indexPrefix = v;
        case "--spool-dir" -> spoolDir = Path.of(v);
        case "--loopback-sockets" ->
            loopback =
                switch (v) {
                  case "on" -> true;
                  case "off" -> false;
                  default ->
                      throw new IllegalArgumentException("--loopback-sockets must be on or off");
                };
        default -> throw new IllegalArgumentException("unknown option " + k + "\n" + USAGE);
      }
    }
    if (events == null) {
      throw new IllegalArgumentException("--events is required\n" + USAGE);
    }
    if (policy != null && policyDir != null) {
      throw new IllegalArgumentException("--policy and --policy-dir are exclusive\n" + USAGE);
    }
    if (interval < 100) {
      throw new IllegalArgumentException("--sample-interval-ms must be >= 100");
    }
    if ((osUser == null) != (osPasswordFile == null)) {
      throw new IllegalArgumentException(
          "--opensearch-user and --opensearch-password-file go together\n" + USAGE);
    }
    if (opensearch == null
        && (osUser != null || osCa != null || spoolDir != null || !indexPrefix.equals("vigil"))) {
      throw new IllegalArgumentException("OpenSearch options need --opensearch URL\n" + USAGE);
    }
    if (!indexPrefix.matches("[a-z0-9][a-z0-9_.-]{0,99}")) {
      throw new IllegalArgumentException(
          "--index-prefix must be 1..100 of [a-z0-9._-], starting with a letter or digit: "
              + indexPrefix);
    }
    if (osUser != null && (osUser.isEmpty() || osUser.contains(":"))) {
      throw new IllegalArgumentException("--opensearch-user must be non-empty and without ':'");
    }
    return new AgentConfig(
        events,
        policy,
        policyDir,
        node != null ? node : hostname(),
        metricsPort,
        proc,
        cgroupRoot,
        passwd,
        podLogs,
        bpfObject,
        interval,
        opensearch,
        osUser,
        osPasswordFile,
        osCa,
        indexPrefix,
        spoolDir != null ? spoolDir : events.resolve("spool"),
        loopback);
  }

  private static URI opensearchUrl(String v) {
    URI u;
    try {
      u = new URI(v);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("--opensearch: not a URL: " + v);
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
      throw new IllegalArgumentException("--opensearch must be an http(s) URL: " + v);
    }
    if (u.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "--opensearch: put credentials in --opensearch-user/--opensearch-password-file");
    }
    return u;
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
