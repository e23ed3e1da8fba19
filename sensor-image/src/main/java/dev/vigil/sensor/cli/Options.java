package dev.vigil.sensor.cli;

import dev.vigil.sensor.capture.Bpf;
import dev.vigil.sensor.capture.CaptureFilter;
import dev.vigil.sensor.flow.FlowConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parsed command line. Options apply left to right, so with {@code --config} first (as the
 * operator writes it) every explicit option after it overrides the file's value.
 */
final class Options {
  /** Environment variables the operator sets on a sensor pod. */
  static final String ENV_WORKER_INDEX = "VIGIL_WORKER_INDEX";

  static final String ENV_METRICS_PORT_BASE = "VIGIL_METRICS_PORT_BASE";

  /** Ring per worker without --config / --ring-size-mib: 64 blocks of 1 MiB. */
  static final int DEFAULT_RING_MIB = 64;

  /** A file or directory the options name cannot be read: exit 1, not a usage error. */
  static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message);
    }
  }

  Path read;
  Path logs;
  String iface;
  long bypassBytes;
  long bypassPackets;
  long tcpIdle;
  long udpIdle;
  long otherIdle;
  long active;
  int maxFlows;
  long seed;
  int workers = 1;
  double duration;
  int metricsPort = -1;

  /** PACKET_FANOUT group id; -1 derives one from the process id (hand-started sensors). */
  int fanoutGroup = -1;

  int ringMiB = DEFAULT_RING_MIB;
  int snaplen = CaptureFilter.DEFAULT_SNAPLEN;

  /** Live capture through libpcap instead of AF_PACKET ({@code --capture pcap}). */
  boolean libpcap;

  String bpf;
  int[] vlans;
  Path config;
  Path policyDir;

  /** {@code --policy}: one rendered policy file instead of a directory. */
  Path policyFile;

  /** How often a live sensor looks for a changed policy, in nanoseconds. */
  long policyReload = 5_000_000_000L;

  /**
   * The SensorCluster's internal networks (sensor.json or {@code --internal-networks}):
   * connect-back's default for a policy that lists none.
   */
  List<dev.vigil.common.policy.Cidr> internalNetworks = List.of();

  /** {@code observer.name} of alerts: the tap (sensor.json) or {@code --sensor-name}. */
  String sensorName;

  /** {@code observer.ingress.interface.name}: the link (sensor.json) or {@code --link}. */
  String link;

  /** The *.json files found in --policy-dir when parsed (the sensor loads them at start). */
  List<Path> policies = List.of();

  /** Notes for stderr about sensor.json fields this build does not apply. */
  final List<String> notes = new ArrayList<>();

  final ShipOptions ship = new ShipOptions();

  /** The identity sensor.json gives this process: {@code <tap>[-<worker index>]}. */
  String configSensorId;

  Options() {
    FlowConfig cfg = FlowConfig.defaults();
    tcpIdle = cfg.tcpIdleNanos();
    udpIdle = cfg.udpIdleNanos();
    otherIdle = cfg.otherIdleNanos();
    active = cfg.activeTimeoutNanos();
    maxFlows = cfg.maxFlows();
    seed = cfg.uidSeed();
  }

  /**
   * Parses {@code args}; {@code env} supplies the pod's worker index and metrics port base.
   *
   * @return null when the usage was asked for
   * @throws IllegalArgumentException bad usage (exit 2)
   * @throws Unreadable a named policy file or directory cannot be read (exit 1)
   */
  static Options parse(String[] args, Map<String, String> env) throws Unreadable {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-h", "--help" -> {
          return null;
        }
        case "--config" -> o.applyFile(Path.of(value(args, ++i, a)), env);
        case "--policy-dir" -> o.policyDir(Path.of(value(args, ++i, a)));
        case "-r", "--read" -> o.read = Path.of(value(args, ++i, a));
        case "--logs" -> o.logs = Path.of(value(args, ++i, a));
        case "-i", "--interface" -> o.iface = value(args, ++i, a);
        case "--bypass-bytes" -> o.bypassBytes = nonNegative(value(args, ++i, a), a);
        case "--bypass-packets" -> o.bypassPackets = nonNegative(value(args, ++i, a), a);
        case "--max-flows" ->
            o.maxFlows = (int) Math.min(1 << 28, positive(value(args, ++i, a), a));
        case "--tcp-idle" -> o.tcpIdle = seconds(value(args, ++i, a), a);
        case "--udp-idle" -> o.udpIdle = seconds(value(args, ++i, a), a);
        case "--icmp-idle" -> o.otherIdle = seconds(value(args, ++i, a), a);
        case "--active-timeout" -> o.active = seconds(value(args, ++i, a), a);
        case "--uid-seed" -> o.seed = parseLong(value(args, ++i, a), a);
        case "--policy" -> {
          Path policy = Path.of(value(args, ++i, a));
          if (!Files.isRegularFile(policy) || !Files.isReadable(policy)) {
            throw new Unreadable("cannot read policy file " + policy);
          }
          o.policyFile = policy;
        }
        case "--policy-reload" -> o.policyReload = seconds(value(args, ++i, a), a);
        case "--internal-networks" -> o.internalNetworks = cidrs(value(args, ++i, a), a);
        case "--sensor-name" -> o.sensorName = value(args, ++i, a);
        case "--link" -> o.link = value(args, ++i, a);
        case "--workers" -> o.workers = (int) Math.min(256, positive(value(args, ++i, a), a));
        case "--duration" -> o.duration = seconds(value(args, ++i, a), a) / 1e9;
        case "--metrics-port" -> o.metricsPort = port(nonNegative(value(args, ++i, a), a), a);
        case "--fanout-group" -> o.fanoutGroup = fanoutGroup(nonNegative(value(args, ++i, a), a));
        case "--ring-size-mib" -> o.ringMiB = ringMiB(positive(value(args, ++i, a), a));
        case "--snaplen" ->
            o.snaplen = (int) Math.min(Integer.MAX_VALUE, positive(value(args, ++i, a), a));
        case "--bpf" -> o.bpf = value(args, ++i, a);
        case "--capture" -> o.libpcap = capture(value(args, ++i, a));
        case "--vlans" -> o.vlans = vlans(value(args, ++i, a), a);
        case "--opensearch" -> o.ship.url = ShipOptions.parseUrl(value(args, ++i, a));
        case "--opensearch-user" -> o.ship.user = value(args, ++i, a);
        case "--opensearch-password-file" -> o.ship.passwordFile = Path.of(value(args, ++i, a));
        case "--opensearch-ca" -> o.ship.caFile = Path.of(value(args, ++i, a));
        case "--index-prefix" -> o.ship.indexPrefix = ShipOptions.parsePrefix(value(args, ++i, a));
        case "--spool-dir" -> o.ship.spoolDir = Path.of(value(args, ++i, a));
        case "--sensor-id" -> o.ship.sensorId = ShipOptions.parseSensorId(value(args, ++i, a));
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (o.read == null && o.iface == null) {
      throw new IllegalArgumentException("one of --read or --interface is required");
    }
    if (o.read != null && o.iface != null) {
      throw new IllegalArgumentException(
          "--read and --interface are exclusive"
              + (o.config != null ? " (--config " + o.config + " names an interface)" : ""));
    }
    if (o.logs == null) {
      throw new IllegalArgumentException("--logs <dir> is required");
    }
    if (o.policyFile != null && o.policyDir != null) {
      throw new IllegalArgumentException("--policy and --policy-dir are exclusive");
    }
    if (o.policyReload <= 0) {
      throw new IllegalArgumentException("--policy-reload must be > 0 seconds");
    }
    if (o.ship.sensorId == null) {
      o.ship.sensorId = o.configSensorId;
    }
    o.ship.validate();
    if (o.libpcap && o.workers != 1) {
      throw new IllegalArgumentException("--capture pcap runs one worker (libpcap has no fanout)");
    }
    CaptureFilter f = o.captureFilter(); // checks snaplen and VLAN ids
    if (f.bpf() != null) {
      Bpf.compile(f.bpf(), 1, f.snaplen()); // a bad expression is a usage error, said at start
    }
    return o;
  }

  /** Applies the operator's sensor.json: interface, fanout, ring, bypass, metrics port. */
  void applyFile(Path file, Map<String, String> env) {
    SensorFile f = SensorFile.read(file);
    config = file;
    String mode = f.mode();
    if (!mode.equals("afpacket")) {
      throw new IllegalArgumentException(
          "--config "
              + file
              + ": captureMode "
              + mode
              + " is not supported yet by this sensor build (only afpacket)");
    }
    if (f.interfaceName() == null || f.interfaceName().isBlank()) {
      throw new IllegalArgumentException(
          "--config " + file + ": captureMode afpacket needs interfaceName");
    }
    iface = f.interfaceName();
    read = null;
    if (f.fanoutMode() != null && !f.fanoutMode().equals("hash")) {
      throw new IllegalArgumentException(
          "--config "
              + file
              + ": fanoutMode "
              + f.fanoutMode()
              + " is not supported by this sensor build (only hash: each worker must see both"
              + " directions of its flows)");
    }
    if (f.fanoutGroup() != null) {
      fanoutGroup = fanoutGroup(f.fanoutGroup());
    }
    if (f.ringSizeMiB() != null) {
      ringMiB = ringMiB(f.ringSizeMiB());
    }
    if (f.elephantFlowBypass() != null) {
      SensorFile.Bypass b = f.elephantFlowBypass();
      bypassBytes = b.bytes() != null ? nonNegative(b.bytes(), "elephantFlowBypass.bytes") : 0;
      bypassPackets =
          b.packets() != null ? nonNegative(b.packets(), "elephantFlowBypass.packets") : 0;
    }
    // One worker per process: the StatefulSet scales workers as pods.
    workers = 1;
    String who = f.tap() != null ? f.tap() : f.link();
    if (who != null) {
      String worker = env.get("VIGIL_WORKER_INDEX");
      configSensorId =
          ShipOptions.parseSensorId(who + (worker != null ? "-" + worker.strip() : ""));
    }
    metricsPort = metricsPort(env, metricsPort);
    if (f.snaplen() != null) {
      snaplen = f.snaplen();
    }
    bpf = f.bpfFilter();
    vlans = f.vlans() == null ? null : f.vlans().stream().mapToInt(Integer::intValue).toArray();
    List<String> ignored = new ArrayList<>();
    if (f.analyzers() != null) {
      ignored.add("analyzers");
    }
    if (f.internalNetworks() != null) {
      List<dev.vigil.common.policy.Cidr> nets = new ArrayList<>();
      for (String c : f.internalNetworks()) {
        try {
          nets.add(dev.vigil.common.policy.Cidr.parse(c));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "--config " + file + ": internalNetworks: " + e.getMessage());
        }
      }
      internalNetworks = List.copyOf(nets);
    }
    if (f.tap() != null) {
      sensorName = f.tap();
    }
    if (f.link() != null) {
      link = f.link();
    }
    if (!ignored.isEmpty()) {
      notes.add(file + ": not applied by this build: " + String.join(", ", ignored));
    }
  }

  /**
   * {@code VIGIL_METRICS_PORT_BASE + VIGIL_WORKER_INDEX} when both are set, else {@code otherwise}.
   */
  static int metricsPort(Map<String, String> env, int otherwise) {
    String base = env.get(ENV_METRICS_PORT_BASE);
    String index = env.get(ENV_WORKER_INDEX);
    if (base == null || base.isBlank() || index == null || index.isBlank()) {
      return otherwise;
    }
    long p =
        nonNegative(base.strip(), ENV_METRICS_PORT_BASE)
            + nonNegative(index.strip(), ENV_WORKER_INDEX);
    return port(p, ENV_METRICS_PORT_BASE + " + " + ENV_WORKER_INDEX);
  }

  void policyDir(Path dir) throws Unreadable {
    if (!Files.isDirectory(dir)) {
      throw new Unreadable("cannot read policy directory " + dir + " (not a directory)");
    }
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
      for (Path p : s) {
        // ConfigMap mounts also hold ..data symlinks; the *.json glob skips them.
        if (!Files.isReadable(p)) {
          throw new Unreadable("cannot read policy file " + p);
        }
        found.add(p);
      }
    } catch (IOException e) {
      throw new Unreadable("cannot read policy directory " + dir + ": " + e.getMessage());
    }
    found.sort(null);
    policyDir = dir;
    policies = List.copyOf(found);
  }

  /** Snap length, BPF filter and VLANs (a bad value is an {@link IllegalArgumentException}). */
  CaptureFilter captureFilter() {
    return new CaptureFilter(Math.min(snaplen, CaptureFilter.DEFAULT_SNAPLEN), bpf, vlans);
  }

  private static boolean capture(String mode) {
    return switch (mode) {
      case "afpacket" -> false;
      case "pcap", "libpcap" -> true;
      default ->
          throw new IllegalArgumentException("--capture must be afpacket or pcap, got " + mode);
    };
  }

  private static int[] vlans(String v, String opt) {
    if (v.isBlank()) {
      return null;
    }
    String[] parts = v.split(",");
    int[] ids = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      ids[i] = (int) Math.min(Integer.MAX_VALUE, nonNegative(parts[i].strip(), opt));
    }
    return ids;
  }

  FlowConfig flowConfig() {
    FlowConfig cfg = FlowConfig.defaults();
    return new FlowConfig(
        maxFlows,
        tcpIdle,
        udpIdle,
        otherIdle,
        cfg.closeDelayNanos(),
        active,
        bypassBytes,
        bypassPackets,
        seed);
  }

  /** A comma-separated list of CIDRs. */
  private static List<dev.vigil.common.policy.Cidr> cidrs(String v, String opt) {
    List<dev.vigil.common.policy.Cidr> out = new ArrayList<>();
    for (String c : v.split(",")) {
      if (c.isBlank()) {
        continue;
      }
      try {
        out.add(dev.vigil.common.policy.Cidr.parse(c));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(opt + ": " + e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  private static int fanoutGroup(long id) {
    if (id < 0 || id > 0xffff) {
      throw new IllegalArgumentException("fanout group must be 0..65535, got " + id);
    }
    return (int) id;
  }

  private static int ringMiB(long mib) {
    if (mib < 1 || mib > 65536) {
      throw new IllegalArgumentException("ring size must be 1..65536 MiB, got " + mib);
    }
    return (int) mib;
  }

  private static int port(long p, String what) {
    if (p > 65535) {
      throw new IllegalArgumentException(what + " gives port " + p + ", above 65535");
    }
    return (int) p;
  }

  private static String value(String[] args, int i, String opt) {
    if (i >= args.length) {
      throw new IllegalArgumentException(opt + " needs a value");
    }
    return args[i];
  }

  private static long parseLong(String v, String opt) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + " needs a number, got " + v);
    }
  }

  private static long nonNegative(long n, String opt) {
    if (n < 0) {
      throw new IllegalArgumentException(opt + " must be >= 0, got " + n);
    }
    return n;
  }

  private static long nonNegative(String v, String opt) {
    return nonNegative(parseLong(v, opt), opt);
  }

  private static long positive(String v, String opt) {
    long n = nonNegative(v, opt);
    if (n == 0) {
      throw new IllegalArgumentException(opt + " must be > 0");
    }
    return n;
  }

  private static long seconds(String v, String opt) {
    try {
      double s = Double.parseDouble(v);
      if (!(s >= 0) || s > 1e9) {
        throw new IllegalArgumentException(opt + " must be a number of seconds >= 0, got " + v);
      }
      return (long) (s * 1e9);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + " needs seconds, got " + v);
    }
  }
}
