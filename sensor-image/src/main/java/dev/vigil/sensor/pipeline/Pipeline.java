package dev.vigil.sensor.pipeline;

import dev.vigil.sensor.analyzer.AnalyzerSinks;
import dev.vigil.sensor.analyzer.Analyzers;
import dev.vigil.sensor.analyzer.DnsSink;
import dev.vigil.sensor.analyzer.FactSink;
import dev.vigil.sensor.analyzer.HttpSink;
import dev.vigil.sensor.analyzer.SslSink;
import dev.vigil.sensor.capture.Bpf;
import dev.vigil.sensor.capture.CaptureFilter;
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

  private CaptureFilter filter = CaptureFilter.NONE;

  /** Compiled per link type when the reader applies the BPF program (not the kernel). */
  private Bpf[] programs;

  private boolean[] vlanAllowed;
  private long filtered;
  private int maxCapLen;
  private int snaplen = Integer.MAX_VALUE;
  private long vlanFiltered;

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

  /** {@code ssl}: receives each TLS connection's session once its handshake analysis ends. */
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

  /**
   * Applies the capture settings: the VLAN restriction always; the snap length and the BPF program
   * too unless {@code inKernel} (a live socket that has the program attached already).
   */
  public void filter(CaptureFilter f, boolean inKernel) {
    this.filter = f;
    this.vlanAllowed = f.vlanMask();
    this.snaplen = f.snaplen();
    this.programs = !inKernel && f.needsProgram() ? new Bpf[300] : null;
  }

  @Override
  public void onPacket(
      int linkType, int ifIndex, long tsNanos, byte[] buf, int off, int capLen, int wireLen) {
    packets++;
    wireBytes += wireLen;
    // Packet time never runs backwards for the flow table (out-of-order capture records).
    long ts = tsNanos < lastTs ? lastTs : tsNanos;
    lastTs = ts;
    if (programs != null) {
      int keep = program(linkType).run(buf, off, capLen, wireLen);
      if (keep == 0) {
        filtered++;
        flows.expire(ts);
        return;
      }
      capLen = Math.min(capLen, keep);
    }
    if (capLen > snaplen) { // also live: a VLAN tag put back after the kernel's cut
      capLen = snaplen;
    }
    if (capLen > maxCapLen) {
      maxCapLen = capLen;
    }
    if (decoder.decode(linkType, buf, off, capLen, wireLen, ts, info)) {
      if (vlanAllowed != null && (info.vlan < 0 || !vlanAllowed[info.vlan])) {
        vlanFiltered++;
        flows.expire(ts);
        return;
      }
      decoded++;
      flows.onPacket(info, buf);
    } else {
      flows.expire(ts);
    }
  }

  private Bpf program(int linkType) {
    int i = linkType >= 0 && linkType < programs.length ? linkType : 0;
    Bpf p = programs[i];
    if (p == null) {
      p = Bpf.compile(filter.bpf(), linkType, filter.snaplen());
      programs[i] = p;
    }
    return p;
  }

  /** Frames the BPF program rejected. */
  public long filtered() {
    return filtered;
  }

  /** The longest frame handed to the decoder (after the snap length). */
  public int maxCapturedLength() {
    return maxCapLen;
  }

  /** Frames outside the listed VLANs. */
  public long vlanFiltered() {
    return vlanFiltered;
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
