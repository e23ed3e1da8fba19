package dev.vigil.sensor.log;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.common.policy.PolicyWatcher;
import dev.vigil.common.ship.Shipper;
import dev.vigil.sensor.decode.Weirds;
import dev.vigil.sensor.detect.DetectionStats;
import dev.vigil.sensor.pipeline.LiveSensor;
import dev.vigil.sensor.pipeline.Pipeline;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Prometheus text exposition of the live counters on {@code /metrics}. Counters are read from the
 * workers without locks: a scrape may see a value a few packets old, never a torn one. With a
 * {@link Shipper}, its counters follow as {@code vigil_ship_*} and the records the sensor kept only
 * in its log files because the shipper refused them as {@code vigil_sensor_ship_refused_total}.
 */
public final class Metrics implements AutoCloseable {
  private final HttpServer server;
  private final LiveSensor sensor;
  private final Shipper shipper;
  private final LongSupplier shipRefused;
  private final DetectionStats detections;
  private final PolicyWatcher<?> policy;
  private long kernelPackets;
  private long kernelDrops;

  public Metrics(int port, LiveSensor sensor) throws IOException {
    this(port, sensor, null, () -> 0);
  }

  /**
   * @param shipper exported as {@code vigil_ship_*}, or null when not shipping
   * @param shipRefused records the writers offered and the shipper refused
   */
  public Metrics(int port, LiveSensor sensor, Shipper shipper, LongSupplier shipRefused)
      throws IOException {
    this(port, sensor, shipper, shipRefused, null, null);
  }

  /**
   * As above, plus the detectors' counts as {@code vigil_sensor_detections_total{detector,
   * outcome}} and the policy's reloads as {@code vigil_sensor_policy_reloads_total} and {@code
   * vigil_sensor_policy_reload_failures_total} (when a policy is loaded).
   */
  public Metrics(
      int port,
      LiveSensor sensor,
      Shipper shipper,
      LongSupplier shipRefused,
      DetectionStats detections,
      PolicyWatcher<?> policy)
      throws IOException {
    this.detections = detections;
    this.policy = policy;
    this.sensor = sensor;
    this.shipper = shipper;
    this.shipRefused = shipRefused;
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/metrics",
        ex -> {
          byte[] body = render().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
          }
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  synchronized String render() {
    long[] k = sensor.kernelStatistics(); // the kernel resets these on read
    kernelPackets += k[0];
    kernelDrops += k[1];
    StringBuilder b = new StringBuilder(2048);
    long packets = 0;
    long bytes = 0;
    long flows = 0;
    long evictions = 0;
    long active = 0;
    long bypassed = 0;
    long[] weirds = new long[Weirds.COUNT];
    for (Pipeline p : sensor.pipelines()) {
      packets += p.packets();
      bytes += p.wireBytes();
      flows += p.flows().flowsCreated();
      evictions += p.flows().evictions();
      active += p.flows().size();
      bypassed += p.flows().bypassedFlows();
      for (int i = 0; i < Weirds.COUNT; i++) {
        weirds[i] += p.weirds().get(i);
      }
    }
    counter(b, "vigil_sensor_packets_total", "Frames processed", packets);
    counter(b, "vigil_sensor_bytes_total", "Bytes on the wire processed", bytes);
    counter(b, "vigil_sensor_kernel_packets_total", "Frames the kernel queued", kernelPackets);
    counter(b, "vigil_sensor_drops_total", "Frames the kernel dropped (ring full)", kernelDrops);
    counter(b, "vigil_sensor_flows_total", "Connections created", flows);
    counter(b, "vigil_sensor_evictions_total", "Connections evicted from a full table", evictions);
    counter(b, "vigil_sensor_bypassed_flows_total", "Connections bypassed as elephants", bypassed);
    b.append("# HELP vigil_sensor_active_flows Connections in the tables\n");
    b.append("# TYPE vigil_sensor_active_flows gauge\nvigil_sensor_active_flows ")
        .append(active)
        .append('\n');
    b.append("# HELP vigil_sensor_weirds_total Malformed or unexpected input, by kind\n");
    b.append("# TYPE vigil_sensor_weirds_total counter\n");
    for (int i = 0; i < Weirds.COUNT; i++) {
      b.append("vigil_sensor_weirds_total{name=\"")
          .append(Weirds.name(i))
          .append("\"} ")
          .append(weirds[i])
          .append('\n');
    }
    if (detections != null && policy != null) {
      b.append(
          "# HELP vigil_sensor_detections_total Detector findings by outcome: alerts (notice.log),"
              + " shadow (would alert, mode: shadow), suppressed\n");
      b.append("# TYPE vigil_sensor_detections_total counter\n");
      for (var d : detections.snapshot().entrySet()) {
        for (var o : d.getValue().entrySet()) {
          b.append("vigil_sensor_detections_total{detector=\"")
              .append(d.getKey())
              .append("\",outcome=\"")
              .append(o.getKey())
              .append("\"} ")
              .append(o.getValue())
              .append('\n');
        }
      }
      counter(
          b, "vigil_sensor_policy_reloads_total", "New policy versions in force", policy.reloads());
      counter(
          b,
          "vigil_sensor_policy_reload_failures_total",
          "New policy versions refused as malformed (the previous one stays)",
          policy.failures());
    }
    if (shipper != null) {
      counter(
          b,
          "vigil_sensor_ship_refused_total",
          "Records the shipper refused (spool full), kept in the log files only",
          shipRefused.getAsLong());
      renderShipper(b, shipper.metrics().snapshot(), shipper.queueDepth());
    }
    return b.toString();
  }

  /** The shipper's counters as {@code vigil_ship_<name>}; {@code spool_bytes} is a gauge. */
  static void renderShipper(StringBuilder b, Map<String, Long> snapshot, int queueDepth) {
    for (Map.Entry<String, Long> e : snapshot.entrySet()) {
      String name = "vigil_ship_" + e.getKey();
      String type = e.getKey().endsWith("_total") ? "counter" : "gauge";
      b.append("# HELP ").append(name).append(" OpenSearch shipper: ").append(e.getKey());
      b.append('\n');
      b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
      b.append(name).append(' ').append(e.getValue()).append('\n');
    }
    b.append("# HELP vigil_ship_queue_depth OpenSearch shipper: records waiting in memory\n");
    b.append("# TYPE vigil_ship_queue_depth gauge\nvigil_ship_queue_depth ")
        .append(queueDepth)
        .append('\n');
  }

  private static void counter(StringBuilder b, String name, String help, long v) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" counter\n");
    b.append(name).append(' ').append(v).append('\n');
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
