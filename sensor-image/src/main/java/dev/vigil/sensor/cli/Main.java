package dev.vigil.sensor.cli;

import dev.vigil.common.policy.CidrSet;
import dev.vigil.common.policy.PolicyWatcher;
import dev.vigil.common.ship.Shipper;
import dev.vigil.common.ship.ShipperConfig;
import dev.vigil.sensor.analyzer.AnalyzerSinks;
import dev.vigil.sensor.capture.CaptureFiles;
import dev.vigil.sensor.capture.CaptureReader;
import dev.vigil.sensor.capture.PcapReader;
import dev.vigil.sensor.decode.LinkTypes;
import dev.vigil.sensor.detect.Detection;
import dev.vigil.sensor.detect.DetectionStats;
import dev.vigil.sensor.detect.SensorPolicy;
import dev.vigil.sensor.flow.FlowConfig;
import dev.vigil.sensor.log.ConnLogWriter;
import dev.vigil.sensor.log.DnsLogWriter;
import dev.vigil.sensor.log.HttpLogWriter;
import dev.vigil.sensor.log.Metrics;
import dev.vigil.sensor.log.NoticeLogWriter;
import dev.vigil.sensor.log.SslLogWriter;
import dev.vigil.sensor.log.StatsWriter;
import dev.vigil.sensor.pipeline.Pipeline;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code vigil-sensor --read <file.pcap|file.pcapng> --logs <dir> [options]}: reads a capture like
 * {@code zeek -r} and writes {@code conn.log}, {@code ssl.log} (JSON lines) and {@code
 * sensor_stats.log}; with {@code --policy-dir} the detectors' alerts go to {@code notice.log} (see
 * {@link Detection}); with {@code --opensearch} the conn and ssl records and the alerts are also
 * shipped (see {@link Shipper}), the files staying the local record of truth.
 *
 * <p>With {@code --config sensor.json} (the operator's rendering) it captures live on the file's
 * interface; options after {@code --config} override the file.
 *
 * <p>Exit codes: 0 done, 1 unreadable input or output, 2 bad usage.
 */
public final class Main {
  static final String USAGE =
      """
      usage: vigil-sensor --read <file.pcap|file.pcapng> --logs <dir> [options]
             vigil-sensor --interface <name> --logs <dir> [options]   (live, AF_PACKET)
      options:
        --bypass-bytes N      stop analysing a flow after N IP bytes (both directions); 0 = never
        --bypass-packets N    stop analysing a flow after N packets; 0 = never
        --max-flows N         flow table capacity (default 262144); oldest flows are evicted
        --tcp-idle S          TCP inactivity timeout, seconds (default 300)
        --udp-idle S          UDP inactivity timeout, seconds (default 60)
        --icmp-idle S         ICMP/other inactivity timeout, seconds (default 60)
        --active-timeout S    log and restart flows older than S seconds (default 0 = off)
        --uid-seed N          seed of the connection uids (default fixed: reproducible logs)
        --policy-dir DIR      the operator's rendered DetectorPolicies (every *.json in DIR):
                              TLS blocklists, Stratum, threat-intel trails, connect-back,
                              suppressions, shadow mode; alerts go to notice.log. Live: reloaded
                              when the files change (a bad version is refused, the last good one
                              stays); offline: read once
        --policy FILE         one rendered DetectorPolicy file instead of --policy-dir
        --policy-reload S     live: look for policy changes every S seconds (default 5)
        --internal-networks C comma-separated CIDRs: connect-back's internal networks for a
                              policy that lists none (sensor.json: internalNetworks)
        --sensor-name N       observer.name in alerts and shipped conn records (sensor.json:
                              tap)
        --link L              observer.ingress.interface.name in alerts and shipped conn
                              records (sensor.json: link; live default: the interface)
        --config FILE         the operator's sensor.json: interface, fanout group, ring size,
                              bypass, one worker; metrics port VIGIL_METRICS_PORT_BASE +
                              VIGIL_WORKER_INDEX when both are set. Options after it override it
        --workers N           live: AF_PACKET fanout workers, one per CPU (default 1);
                              offline reading uses one
        --duration S          live: stop after S seconds (default: until SIGINT/SIGTERM)
        --metrics-port P      live: Prometheus metrics on http://0.0.0.0:P/metrics
        --fanout-group N      live: PACKET_FANOUT (hash) group id 0..65535 (default from the pid)
        --ring-size-mib N     live: receive ring per worker in 1 MiB blocks (default 64)
        --snaplen N           bytes kept of each frame, 64..262144 (default 262144)
        --bpf EXPR            capture filter, tcpdump syntax (libpcap); live: attached to the
                              socket, so the kernel drops the rest; --read: run on each frame
        --vlans ID,ID         only frames whose outer VLAN id is listed
        --capture MODE        live: afpacket (default; TPACKET_V3 ring, fanout) or pcap
                              (libpcap, portable, one worker)
      shipping (conn, ssl, dns and http records and alerts, also kept in the log files):
        --opensearch URL              OpenSearch base URL (http:// or https://)
        --opensearch-user U           Basic authentication user ...
        --opensearch-password-file F  ... and a file holding the password
        --opensearch-ca PEM           CA certificate(s) to trust for https
        --index-prefix P              indices <P>-conn-YYYY.MM.DD, ... (default vigil)
        --spool-dir D                 shipper state: spool segments (outage buffer, replayed
                                      on the next run) in D/spool/, rejected records in
                                      D/dead-letter.jsonl (default D = <logs>/spool)
        --sensor-id ID                this sensor's identity in document ids (<ID>:uid@ts), so
                                      sensors sharing a uid seed never collide (default with
                                      --config: <tap>-<VIGIL_WORKER_INDEX>; else none: uid@ts)
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the CLI with the process environment; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.getenv(), out, err);
  }

  /** Runs the CLI; {@code env} stands in for the process environment. Returns the exit code. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Options o;
    ShipperConfig shipCfg = null;
    try {
      o = Options.parse(args, env);
      if (o == null) {
        out.print(USAGE);
        return 0;
      }
      if (o.ship.enabled()) {
        shipCfg = o.ship.config(o.logs); // reads the password and CA files
      }
    } catch (IllegalArgumentException e) {
      err.println("vigil-sensor: " + e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (Options.Unreadable e) {
      err.println("vigil-sensor: " + e.getMessage());
      return 1;
    }
    for (String note : o.notes) {
      err.println("vigil-sensor: " + note);
    }
    PolicyWatcher<SensorPolicy> policy;
    try {
      policy = loadPolicy(o, err);
    } catch (IOException e) {
      err.println("vigil-sensor: policy not loaded: " + e.getMessage());
      return 1;
    }
    FlowConfig config = o.flowConfig();
    if (o.iface != null) {
      try (PolicyWatcher<SensorPolicy> p = policy) {
        if (p != null) {
          p.start(java.time.Duration.ofNanos(o.policyReload));
        }
        return live(o, config, shipCfg, policy, err);
      }
    }
    return offline(o, config, shipCfg, policy, err);
  }

  /** The policy watcher for --policy-dir or --policy, or null without a policy. */
  static PolicyWatcher<SensorPolicy> loadPolicy(Options o, PrintStream err) throws IOException {
    Path path = o.policyDir != null ? o.policyDir : o.policyFile;
    if (path == null) {
      return null;
    }
    CidrSet internal = CidrSet.of(o.internalNetworks);
    PolicyWatcher<SensorPolicy> w =
        new PolicyWatcher<>(
            path, l -> SensorPolicy.compile(l, internal), m -> err.println("vigil-sensor: " + m));
    List<String> sources = w.current().sources();
    err.printf(
        "vigil-sensor: %d detector polic%s from %s: %s%n",
        sources.size(),
        sources.size() == 1 ? "y" : "ies",
        path,
        sources.isEmpty() ? "none (nothing to detect)" : String.join(", ", sources));
    return w;
  }

  /** One detection stage per worker, all reading the watcher's current policy. */
  static Detection detection(
      Options o,
      FlowConfig config,
      PolicyWatcher<SensorPolicy> policy,
      NoticeLogWriter notices,
      DetectionStats stats) {
    Supplier<SensorPolicy> current = policy == null ? () -> SensorPolicy.NONE : policy::current;
    String observer = o.sensorName != null ? o.sensorName : null;
    String link = o.link != null ? o.link : o.iface;
    return new Detection(
        config.maxFlows(), current, notices, stats, config.uidSeed(), observer, link);
  }

  /**
   * The sinks through which a worker's detection stage receives the analyzers' facts: connection
   * facts, DNS and HTTP transactions.
   */
  static AnalyzerSinks detectionSinks(Detection d) {
    return d.sinks();
  }

  /** One line on what the detectors concluded. */
  static void reportDetections(
      PolicyWatcher<SensorPolicy> policy,
      DetectionStats stats,
      NoticeLogWriter notices,
      PrintStream err) {
    if (policy == null) {
      return;
    }
    err.printf(
        "vigil-sensor: detections: %d alert(s) in notice.log, %d would-be alert(s) of shadow"
            + " policies (not emitted), %d suppressed; %d policy reload(s), %d refused%n",
        notices.written(),
        stats.total("shadow"),
        stats.total("suppressed"),
        policy.reloads(),
        policy.failures());
  }

  static int live(
      Options o,
      FlowConfig config,
      ShipperConfig shipCfg,
      PolicyWatcher<SensorPolicy> policy,
      PrintStream err) {
    String iface = o.iface;
    Path logs = o.logs;
    int workers = o.workers;
    double duration = o.duration;
    int metricsPort = o.metricsPort;
    String sensorId = o.ship.sensorId;
    try {
      Files.createDirectories(logs);
    } catch (IOException e) {
      err.println("vigil-sensor: cannot create log directory " + logs + ": " + e);
      return 1;
    }
    long t0 = System.nanoTime();
    java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    // On SIGINT/SIGTERM: ask the main thread to flush, and hold the JVM until it has.
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                finished.await(30, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "vigil-shutdown");
    Shipper shipper;
    try {
      shipper = openShipper(shipCfg);
    } catch (IOException e) {
      err.println("vigil-sensor: cannot open the spool in " + shipCfg.dataDir() + ": " + e);
      return 1;
    }
    ConnLogWriter connWriter = null;
    java.util.function.LongSupplier refused = () -> 0;
    NoticeLogWriter noticeWriter = null;
    DetectionStats dstats = new DetectionStats();
    // Resources close in reverse order: the writers first, then the shipper (drain or spool).
    try (Shipper s = shipper;
        ConnLogWriter conn =
            new ConnLogWriter(logs.resolve("conn.log"), config.uidSeed(), shipper, sensorId);
        SslLogWriter ssl =
            new SslLogWriter(logs.resolve("ssl.log"), config.uidSeed(), shipper, sensorId);
        DnsLogWriter dns =
            new DnsLogWriter(logs.resolve("dns.log"), config.uidSeed(), shipper, sensorId);
        HttpLogWriter http =
            new HttpLogWriter(logs.resolve("http.log"), config.uidSeed(), shipper, sensorId);
        NoticeLogWriter notices = new NoticeLogWriter(logs.resolve("notice.log"), shipper)) {
      connWriter = conn;
      conn.observer(o.sensorName, o.link != null ? o.link : iface);
      noticeWriter = notices;
      refused =
          () -> ssl.shipRefused() + dns.shipRefused() + http.shipRefused() + notices.shipRefused();
      dev.vigil.sensor.pipeline.LiveSensor sensor =
          new dev.vigil.sensor.pipeline.LiveSensor(
              iface,
              workers,
              o.fanoutGroup,
              o.ringMiB,
              config,
              conn,
              new AnalyzerSinks(ssl, dns, http),
              i -> detectionSinks(detection(o, config, policy, notices, dstats)),
              true,
              o.captureFilter(),
              o.libpcap);
      java.util.function.LongSupplier otherRefused = refused;
      Metrics metrics =
          metricsPort >= 0
              ? new Metrics(
                  metricsPort,
                  sensor,
                  shipper,
                  () -> conn.shipRefused() + otherRefused.getAsLong(),
                  dstats,
                  policy)
              : null;
      err.printf(
          "vigil-sensor: capturing on %s%s with %d worker(s), fanout group %d, %d MiB ring%s%n",
          iface,
          o.libpcap ? " (libpcap)" : "",
          workers,
          sensor.fanoutGroup(),
          o.ringMiB,
          metrics != null ? ", metrics on :" + metrics.port() + "/metrics" : "");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        if (duration > 0) {
          stop.await((long) (duration * 1e9), java.util.concurrent.TimeUnit.NANOSECONDS);
        } else {
          stop.await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      long[] kernel = sensor.kernelStatistics();
      sensor.close();
      if (metrics != null) {
        metrics.close();
      }
      long packets = 0;
      long drops = kernel[1];
      for (var p : sensor.pipelines()) {
        packets += p.packets();
      }
      StringBuilder stats = new StringBuilder();
      for (var p : sensor.pipelines()) {
        stats.append(StatsWriter.format(p, "AF_PACKET " + iface, System.nanoTime() - t0));
      }
      if (policy != null) {
        stats.append(StatsWriter.detections(dstats));
      }
      Files.writeString(logs.resolve("sensor_stats.log"), stats.toString());
      err.printf(
          "vigil-sensor: %s: %d packets, %d kernel drops since the last scrape, %.1f s%n",
          iface, packets, drops, (System.nanoTime() - t0) / 1e9);
    } catch (IOException e) {
      err.println("vigil-sensor: live capture on " + iface + " failed: " + e.getMessage());
      return 1;
    } finally {
      if (noticeWriter != null) {
        reportDetections(policy, dstats, noticeWriter, err);
      }
      if (connWriter != null) {
        reportShipping(shipper, connWriter, refused, err);
      }
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // already shutting down
      }
    }
    return 0;
  }

  /** Opens the shipper (its spool replays on the next request), or null without shipping. */
  static Shipper openShipper(ShipperConfig shipCfg) throws IOException {
    if (shipCfg == null) {
      return null;
    }
    try {
      return new Shipper(shipCfg);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** One line on what the shipper did; never the credentials. */
  static void reportShipping(
      Shipper shipper,
      ConnLogWriter conn,
      java.util.function.LongSupplier otherRefused,
      PrintStream err) {
    if (shipper == null) {
      return;
    }
    var m = shipper.metrics();
    String lastError = shipper.lastError();
    err.printf(
        "vigil-sensor: opensearch: %d shipped, %d duplicate, %d dead-lettered, %d refused"
            + " (spool full; in the log files only), %d bytes left in the spool %s%s%n",
        m.shipped.get(),
        m.duplicate.get(),
        m.deadLettered.get(),
        conn.shipRefused() + otherRefused.getAsLong(),
        m.spoolBytes.get(),
        shipper.config().spoolDir(),
        lastError != null ? "; last error: " + lastError : "");
  }

  static int offline(
      Options o,
      FlowConfig config,
      ShipperConfig shipCfg,
      PolicyWatcher<SensorPolicy> policy,
      PrintStream err) {
    Path read = o.read;
    Path logs = o.logs;
    String sensorId = o.ship.sensorId;
    try {
      Files.createDirectories(logs);
    } catch (IOException e) {
      err.println("vigil-sensor: cannot create log directory " + logs + ": " + e);
      return 1;
    }
    long t0 = System.nanoTime();
    Pipeline pipeline;
    String format;
    Shipper shipper;
    try {
      shipper = openShipper(shipCfg);
    } catch (IOException e) {
      err.println("vigil-sensor: cannot open the spool in " + shipCfg.dataDir() + ": " + e);
      return 1;
    }
    ConnLogWriter connWriter;
    java.util.function.LongSupplier refused;
    NoticeLogWriter noticeWriter;
    DetectionStats dstats = new DetectionStats();
    // Resources close in reverse order: the writers first, then the shipper (drain or spool).
    try (Shipper s = shipper;
        ConnLogWriter conn =
            new ConnLogWriter(logs.resolve("conn.log"), config.uidSeed(), shipper, sensorId);
        SslLogWriter ssl =
            new SslLogWriter(logs.resolve("ssl.log"), config.uidSeed(), shipper, sensorId);
        DnsLogWriter dns =
            new DnsLogWriter(logs.resolve("dns.log"), config.uidSeed(), shipper, sensorId);
        HttpLogWriter http =
            new HttpLogWriter(logs.resolve("http.log"), config.uidSeed(), shipper, sensorId);
        NoticeLogWriter notices = new NoticeLogWriter(logs.resolve("notice.log"), shipper)) {
      connWriter = conn;
      conn.observer(o.sensorName, o.link);
      noticeWriter = notices;
      refused =
          () -> ssl.shipRefused() + dns.shipRefused() + http.shipRefused() + notices.shipRefused();
      pipeline =
          new Pipeline(
              config,
              conn,
              0,
              new AnalyzerSinks(ssl, dns, http)
                  .and(detectionSinks(detection(o, config, policy, notices, dstats))));
      pipeline.filter(o.captureFilter(), false);
      try (CaptureReader reader = CaptureFiles.open(read, pipeline.weirds())) {
        format = reader.describe();
        if (reader instanceof PcapReader pr && !LinkTypes.supported(pr.linkType())) {
          err.println(
              "vigil-sensor: "
                  + read
                  + ": unsupported link type "
                  + pr.linkType()
                  + " (supported: Ethernet, raw IP, Linux SLL/SLL2, BSD loopback, PPP)");
          return 1;
        }
        while (reader.next(pipeline)) {
          // each call hands one frame to the pipeline
        }
      }
      pipeline.finish();
    } catch (NoSuchFileException e) {
      err.println("vigil-sensor: no such file: " + e.getFile());
      return 1;
    } catch (IOException e) {
      err.println("vigil-sensor: cannot read " + read + ": " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) { // the BPF filter for a link type of the file
      err.println("vigil-sensor: " + read + ": " + e.getMessage());
      return 1;
    }
    long elapsed = System.nanoTime() - t0;
    try {
      StatsWriter.write(
          logs.resolve("sensor_stats.log"),
          pipeline,
          format,
          elapsed,
          policy != null ? dstats : null);
    } catch (IOException e) {
      err.println("vigil-sensor: cannot write stats: " + e);
      return 1;
    }
    err.printf(
        "vigil-sensor: %s: %d packets, %d flows, %d weirds, %.3f s (%.0f packets/s)%n",
        format,
        pipeline.packets(),
        pipeline.flows().flowsCreated(),
        pipeline.weirds().total(),
        elapsed / 1e9,
        pipeline.packets() / Math.max(1e-9, elapsed / 1e9));
    reportDetections(policy, dstats, noticeWriter, err);
    reportShipping(shipper, connWriter, refused, err);
    return 0;
  }
}
