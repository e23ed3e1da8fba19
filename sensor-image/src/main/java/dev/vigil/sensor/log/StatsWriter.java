package dev.vigil.sensor.log;

import dev.vigil.sensor.decode.Weirds;
import dev.vigil.sensor.detect.DetectionStats;
import dev.vigil.sensor.flow.FlowTable;
import dev.vigil.sensor.pipeline.Pipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** One JSON line of run totals: packets, bytes, flows, evictions, bypass, weirds by name. */
public final class StatsWriter {
  private StatsWriter() {}

  public static String format(Pipeline p, String input, long elapsedNanos) {
    FlowTable f = p.flows();
    StringBuilder b = new StringBuilder(1024);
    b.append("{\"input\":");
    Json.appendString(b, input);
    b.append(",\"packets\":").append(p.packets());
    b.append(",\"bytes\":").append(p.wireBytes());
    b.append(",\"decoded\":").append(p.decoded());
    b.append(",\"filtered\":").append(p.filtered());
    b.append(",\"vlan_filtered\":").append(p.vlanFiltered());
    b.append(",\"max_captured_length\":").append(p.maxCapturedLength());
    b.append(",\"non_ip\":").append(p.decoder().nonIp);
    b.append(",\"fragments\":").append(p.decoder().fragments);
    b.append(",\"fragments_not_first\":").append(p.decoder().fragmentsNotFirst);
    b.append(",\"fragments_attributed\":").append(f.fragmentsAttributed());
    b.append(",\"fragments_unmatched\":").append(f.fragmentsUnmatched());
    b.append(",\"flows\":").append(f.flowsCreated());
    b.append(",\"evictions\":").append(f.evictions());
    b.append(",\"active_timeouts\":").append(f.activeTimeouts());
    b.append(",\"bypassed_flows\":").append(f.bypassedFlows());
    b.append(",\"bypassed_packets\":").append(f.bypassedPackets());
    long state = f.stateBytes() + p.analyzers().stateBytes();
    b.append(",\"flow_capacity\":").append(f.capacity());
    b.append(",\"flow_peak_live\":").append(f.peakSize());
    b.append(",\"flow_state_bytes\":").append(state);
    b.append(",\"flow_state_bytes_per_flow\":").append(state / Math.max(1, f.capacity()));
    b.append(",\"elapsed_s\":");
    Json.appendSeconds(b, elapsedNanos);
    b.append(",\"weirds\":{");
    boolean first = true;
    for (int i = 0; i < Weirds.COUNT; i++) {
      long c = p.weirds().get(i);
      if (c == 0) {
        continue;
      }
      if (!first) {
        b.append(',');
      }
      first = false;
      Json.appendString(b, Weirds.name(i));
      b.append(':').append(c);
    }
    b.append("}}\n");
    return b.toString();
  }

  public static void write(Path file, Pipeline p, String input, long elapsedNanos)
      throws IOException {
    write(file, p, input, elapsedNanos, null);
  }

  /** As above, plus a second line with the detectors' counts when {@code detections} is set. */
  public static void write(
      Path file, Pipeline p, String input, long elapsedNanos, DetectionStats detections)
      throws IOException {
    String s = format(p, input, elapsedNanos);
    if (detections != null) {
      s += detections(detections);
    }
    Files.writeString(file, s, StandardCharsets.UTF_8);
  }

  /**
   * One JSON line {@code {"detections":{"<detector>":{"alerts":n,"shadow":n,"suppressed":n},...}}}:
   * alerts written, would-be alerts of shadow policies (not emitted), suppressed findings.
   */
  public static String detections(DetectionStats stats) {
    StringBuilder b = new StringBuilder(256).append("{\"detections\":{");
    boolean first = true;
    for (var d : stats.snapshot().entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      Json.appendString(b, d.getKey());
      b.append(":{");
      boolean f2 = true;
      for (var o : d.getValue().entrySet()) {
        if (!f2) {
          b.append(',');
        }
        f2 = false;
        Json.appendString(b, o.getKey());
        b.append(':').append(o.getValue());
      }
      b.append('}');
    }
    return b.append("}}\n").toString();
  }
}
