package dev.vigil.sensor.pipeline;

import dev.vigil.sensor.analyzer.AnalyzerSinks;
import dev.vigil.sensor.analyzer.Analyzers;
import dev.vigil.sensor.analyzer.DnsSink;
import dev.vigil.sensor.analyzer.FactSink;
import dev.vigil.sensor.analyzer.HttpSink;
import dev.vigil.sensor.analyzer.SslSink;
import dev.vigil.sensor.capture.PacketHandler;
import dev.vigil.sensor.decode.Decoder;
import dev.vigil.sensor.decode.PacketInfo;
import dev.vigil.sensor.decode.Weirds;
import dev.vigil.sensor.flow.FlowConfig;
import dev.vigil.sensor.flow.FlowSink;
import dev.vigil.sensor.flow.FlowTable;

/**
 * One worker's packet path: frame → {@link Decoder} → {@link FlowTable} → {@link Analyzers} (TCP
 * payload of flows that are not bypassed). Single-threaded; a live sensor runs one per capture
 * fanout member.
 */
public final class Pipeline implements PacketHandler {
  private final Weirds weirds = new Weirds();
  private final Decoder decoder = new Decoder(weirds);
  private final PacketInfo info = new PacketInfo();
  private final FlowTable flows;
  private final Analyzers analyzers;

  /** Stream-prefix buffers for connections being analyzed at once (allocated as first used). */
  public static final int STREAM_SLOTS = 1024;

  private long packets;
  private long wireBytes;
  private long decoded;
  private long lastTs = Long.MIN_VALUE;

  public Pipeline(FlowConfig cfg, FlowSink sink) {
    this(cfg, sink, 0);
  }

  /** {@code uidBase}: first flow number, so several workers' uids never collide. */
  public Pipeline(FlowConfig cfg, FlowSink sink, long uidBase) {
    this(cfg, sink, uidBase, SslSink.NONE);
  }

  /** {@code ssl}: receives each TLS connection's session when the connection is reported. */
  public Pipeline(FlowConfig cfg, FlowSink sink, long uidBase, SslSink ssl) {
    this(cfg, sink, uidBase, AnalyzerSinks.ssl(ssl));
  }

  /** {@code facts}: the detectors, given each connection's facts when it is reported. */
  public Pipeline(FlowConfig cfg, FlowSink sink, long uidBase, SslSink ssl, FactSink facts) {
    this(cfg, sink, uidBase, new AnalyzerSinks(ssl, DnsSink.NONE, HttpSink.NONE, facts));
  }

  /** {@code sinks}: receive TLS sessions, DNS and HTTP transactions, and connection facts. */
  public Pipeline(FlowConfig cfg, FlowSink sink, long uidBase, AnalyzerSinks sinks) {
    this.analyzers =
        new Analyzers(cfg.maxFlows(), Math.min(cfg.maxFlows(), STREAM_SLOTS), weirds, sinks);
    this.flows = new FlowTable(cfg, sink, uidBase, analyzers);
    analyzers.bind(flows);
  }

  @Override
  public void onPacket(
      int linkType, int ifIndex, long tsNanos, byte[] buf, int off, int capLen, int wireLen) {
    packets++;
    wireBytes += wireLen;
    // Packet time never runs backwards for the flow table (out-of-order capture records).
    long ts = tsNanos < lastTs ? lastTs : tsNanos;
    lastTs = ts;
    if (decoder.decode(linkType, buf, off, capLen, wireLen, ts, info)) {
      decoded++;
      flows.onPacket(info, buf);
    } else {
      flows.expire(ts);
    }
  }

  /** End of input: every remaining flow is logged. */
  public void finish() {
    flows.flushAll();
  }

  public Weirds weirds() {
    return weirds;
  }

  public Decoder decoder() {
    return decoder;
  }

  public Analyzers analyzers() {
    return analyzers;
  }

  public FlowTable flows() {
    return flows;
  }

  public long packets() {
    return packets;
  }

  public long wireBytes() {
    return wireBytes;
  }

  public long decoded() {
    return decoded;
  }
}
