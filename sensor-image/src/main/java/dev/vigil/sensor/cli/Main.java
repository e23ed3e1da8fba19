package dev.vigil.sensor.cli;

import dev.vigil.common.ship.Shipper;
import dev.vigil.common.ship.ShipperConfig;
import dev.vigil.sensor.capture.CaptureFiles;
import dev.vigil.sensor.capture.CaptureFilter;
import dev.vigil.sensor.capture.CaptureReader;
import dev.vigil.sensor.capture.PcapReader;
import dev.vigil.sensor.decode.LinkTypes;
import dev.vigil.sensor.flow.FlowConfig;
import dev.vigil.sensor.log.ConnLogWriter;
import dev.vigil.sensor.log.Metrics;
import dev.vigil.sensor.log.SslLogWriter;
import dev.vigil.sensor.log.StatsWriter;
import dev.vigil.sensor.pipeline.Pipeline;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code vigil-sensor --read <file.pcap|file.pcapng> --logs <dir> [options]}: reads a capture like
 * {@code zeek -r} and writes {@code conn.log}, {@code ssl.log} (JSON lines) and {@code
 * sensor_stats.log}; with {@code --opensearch} the conn and ssl records are also shipped (see
 * {@link Shipper}), the files staying the local record of truth.
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
        --policy FILE         rendered detector policy (accepted; no detectors yet)
        --policy-dir DIR      every *.json in DIR as with --policy (accepted; no detectors yet)
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
      shipping (conn and ssl records, also kept in the log files):
        --opensearch URL              OpenSearch base URL (http:// or https://)
        --opensearch-user U           Basic authentication user ...
        --opensearch-password-file F  ... and a file holding the password
        --opensearch-ca PEM           CA certificate(s) to trust for https
        --index-prefix P              indices <P>-conn-YYYY.MM.DD, ... (default vigil)
        --spool-dir D                 spool (outage buffer, replayed on the next run) and
                                      dead-letter.jsonl (default <logs>/spool)
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
    if (o.policyDir != null) {
      err.printf(
          "vigil-sensor: %d policy file(s) in %s accepted; no detectors evaluate them yet%n",
          o.policies.size(), o.policyDir);
    }
    FlowConfig config = o.flowConfig();
    if (o.iface != null) {
      return live(o, config, shipCfg, err);
    }
    return offline(o.read, o.logs, config, shipCfg, err, o.captureFilter());
  }

  static int live(Options o, FlowConfig config, ShipperConfig shipCfg, PrintStream err) {
    String iface = o.iface;
    Path logs = o.logs;
    int workers = o.workers;
    double duration = o.duration;
    int metricsPort = o.metricsPort;
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
    SslLogWriter sslWriter = null;
    // Resources close in reverse order: the writers first, then the shipper (drain or spool).
    try (Shipper s = shipper;
        ConnLogWriter conn =
            new ConnLogWriter(logs.resolve("conn.log"), config.uidSeed(), shipper);
        SslLogWriter ssl = new SslLogWriter(logs.resolve("ssl.log"), config.uidSeed(), shipper)) {
      connWriter = conn;
      sslWriter = ssl;
      dev.vigil.sensor.pipeline.LiveSensor sensor =
          new dev.vigil.sensor.pipeline.LiveSensor(
              iface,
              workers,
              o.fanoutGroup,
              o.ringMiB,
              config,
              conn,
              ssl,
              true,
              o.captureFilter(),
              o.libpcap);
      Metrics metrics =
          metricsPort >= 0
              ? new Metrics(
                  metricsPort, sensor, shipper, () -> conn.shipRefused() + ssl.shipRefused())
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
      Files.writeString(logs.resolve("sensor_stats.log"), stats.toString());
      err.printf(
          "vigil-sensor: %s: %d packets, %d kernel drops since the last scrape, %.1f s%n",
          iface, packets, drops, (System.nanoTime() - t0) / 1e9);
    } catch (IOException e) {
      err.println("vigil-sensor: live capture on " + iface + " failed: " + e.getMessage());
      return 1;
    } finally {
      if (connWriter != null) {
        reportShipping(shipper, connWriter, sslWriter, err);
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
      Shipper shipper, ConnLogWriter conn, SslLogWriter ssl, PrintStream err) {
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
        conn.shipRefused() + ssl.shipRefused(),
        m.spoolBytes.get(),
        shipper.config().spoolDir(),
        lastError != null ? "; last error: " + lastError : "");
  }

  static int offline(
      Path read, Path logs, FlowConfig config, ShipperConfig shipCfg, PrintStream err) {
    return offline(read, logs, config, shipCfg, err, CaptureFilter.NONE);
  }

  static int offline(
      Path read,
      Path logs,
      FlowConfig config,
      ShipperConfig shipCfg,
      PrintStream err,
      CaptureFilter filter) {
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
    SslLogWriter sslWriter;
    // Resources close in reverse order: the writers first, then the shipper (drain or spool).
    try (Shipper s = shipper;
        ConnLogWriter conn =
            new ConnLogWriter(logs.resolve("conn.log"), config.uidSeed(), shipper);
        SslLogWriter ssl = new SslLogWriter(logs.resolve("ssl.log"), config.uidSeed(), shipper)) {
      connWriter = conn;
      sslWriter = ssl;
      pipeline = new Pipeline(config, conn, 0, ssl);
      pipeline.filter(filter, false);
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
      StatsWriter.write(logs.resolve("sensor_stats.log"), pipeline, format, elapsed);
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
    reportShipping(shipper, connWriter, sslWriter, err);
    return 0;
  }
}
