package dev.vigil.sensor.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sensor.decode.Decoder;
import dev.vigil.sensor.decode.PacketInfo;
import dev.vigil.sensor.decode.Tcp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packed table layout: 32-bit counters that carry past 2^32 into the side list, the IPv6 side
 * table growing on demand, 16 history codes, VLAN ids at the edges of their range, and the state
 * bytes per flow.
 */
class FlowTableLayoutTest {
  private static final long V4 = PacketInfo.V4_MAPPED_LO_PREFIX;
  private static final long T0 = 1_700_000_000_000_000_000L;

  /** Copies of what the table reported. */
  record Conn(
      long uid,
      long origLo,
      long respHi,
      long respLo,
      int origPort,
      int respPort,
      int proto,
      long origPkts,
      long respPkts,
      long origIpBytes,
      long origBytes,
      long respBytes,
      long missed,
      String history,
      String state,
      int vlan,
      int innerVlan) {}

  private final List<Conn> conns = new ArrayList<>();

  private FlowTable table(int maxFlows) {
    return new FlowTable(
        FlowConfig.defaults().withMaxFlows(maxFlows),
        r ->
            conns.add(
                new Conn(
                    r.uidSeq,
                    r.origLo,
                    r.respHi,
                    r.respLo,
                    r.origPort,
                    r.respPort,
                    r.proto,
                    r.origPkts,
                    r.respPkts,
                    r.origIpBytes,
                    r.origBytes,
                    r.respBytes,
                    r.missedBytes,
                    r.history.toString(),
                    r.connState,
                    r.vlan,
                    r.innerVlan)));
  }

  private static PacketInfo v4(long ts, int src, int dst, int proto, int sport, int dport) {
    PacketInfo p = new PacketInfo();
    p.tsNanos = ts;
    p.ipVersion = 4;
    p.srcLo = V4 | (src & 0xffffffffL);
    p.dstLo = V4 | (dst & 0xffffffffL);
    p.proto = proto;
    p.srcPort = sport;
    p.dstPort = dport;
    p.vlan = -1;
    p.innerVlan = -1;
    return p;
  }

  private static PacketInfo tcp(long ts, boolean fromOrig, int flags, int seq, int len) {
    PacketInfo p =
        fromOrig
            ? v4(ts, 0x0a000001, 0x0a000002, Decoder.PROTO_TCP, 40000, 443)
            : v4(ts, 0x0a000002, 0x0a000001, Decoder.PROTO_TCP, 443, 40000);
    p.tcpFlags = flags;
    p.tcpSeq = seq;
    p.tcpWindow = 1000;
    p.payloadLength = len;
    p.ipLength = 40 + len;
    return p;
  }

  @Test
  void countersCarryPastTwoToTheThirtyTwo() {
    FlowTable t = table(16);
    long n = 70_000;
    for (long i = 0; i < n; i++) {
      PacketInfo p = v4(T0 + i * 1000, 0x0a000001, 0x0a000002, Decoder.PROTO_UDP, 5000, 6000);
      p.ipLength = 65_535;
      p.payloadLength = 65_535 - 28;
      t.onPacket(p);
    }
    // TCP: a stream of 67 000 segments of 65 000 bytes with one 1000-byte gap, then a FIN
    int isn = -7; // sequence numbers wrap around
    t.onPacket(tcp(T0, true, Tcp.SYN, isn, 0));
    t.onPacket(tcp(T0 + 1, false, Tcp.SYN | Tcp.ACK, 99, 0));
    long off = 0;
    int segs = 67_000;
    for (int i = 0; i < segs; i++) {
      if (i == 10) {
        off += 1000;
      }
      t.onPacket(tcp(T0 + 2 + i, true, Tcp.ACK, (int) (isn + 1 + off), 65_000));
      off += 65_000;
    }
    t.onPacket(tcp(T0 + 2 + segs, true, Tcp.ACK | Tcp.FIN, (int) (isn + 1 + off), 0));
    assertThat(t.wideFlows()).isEqualTo(2);
    t.flushAll();
    assertThat(t.wideFlows()).isZero();
    Conn udp = conns.stream().filter(c -> c.proto() == Decoder.PROTO_UDP).findFirst().get();
    assertThat(udp.origPkts()).isEqualTo(n);
    assertThat(udp.origIpBytes()).isEqualTo(n * 65_535).isGreaterThan(1L << 32);
    assertThat(udp.origBytes()).isEqualTo(n * (65_535 - 28));
    Conn tcp = conns.stream().filter(c -> c.proto() == Decoder.PROTO_TCP).findFirst().get();
    assertThat(tcp.origBytes()).isEqualTo(off).isEqualTo(segs * 65_000L + 1000);
    assertThat(tcp.missed()).isEqualTo(1000);
    assertThat(tcp.origPkts()).isEqualTo(segs + 2);
    assertThat(tcp.origIpBytes()).isEqualTo(segs * 65_040L + 80);
    assertThat(tcp.history()).isEqualTo("ShDGF");
  }

  @Test
  void ipv6SideTableGrowsAndIsReused() {
    FlowTable t = table(4096);
    int initial = t.ipv6Allocated();
    assertThat(initial).isLessThan(4096 / 8);
    for (int round = 0; round < 2; round++) {
      long ts = T0 + round * 1_000_000_000_000L;
      for (int i = 0; i < 3000; i++) {
        PacketInfo p = new PacketInfo();
        p.tsNanos = ts + i;
        p.ipVersion = 6;
        p.srcHi = 0x20010db800000000L;
        p.srcLo = i;
        p.dstHi = 0x20010db8ffff0000L;
        p.dstLo = 1;
        // every third is a v4 flow: both kinds of key in one table
        if (i % 3 == 0) {
          p = v4(ts + i, 0xc0a80000 + i, 0xc0a8ffff, Decoder.PROTO_UDP, 53, 53);
        } else {
          p.proto = Decoder.PROTO_UDP;
          p.srcPort = 1000 + i;
          p.dstPort = 53;
          p.vlan = -1;
          p.innerVlan = -1;
        }
        p.ipLength = 100;
        p.payloadLength = 52;
        t.onPacket(p);
        t.onPacket(p); // second packet of the same flow finds it
      }
      assertThat(t.size()).isEqualTo(3000);
      t.flushAll();
    }
    assertThat(t.ipv6Allocated()).isGreaterThanOrEqualTo(2000).isLessThanOrEqualTo(4096);
    assertThat(conns).hasSize(6000);
    Map<Long, Conn> byUid = new HashMap<>();
    for (Conn c : conns) {
      assertThat(c.origPkts()).as(c.toString()).isEqualTo(2);
      byUid.put(c.uid(), c);
    }
    assertThat(byUid).hasSize(6000);
    Conn v6 = conns.get(1);
    assertThat(v6.respHi()).isEqualTo(0x20010db8ffff0000L);
    assertThat(v6.origLo()).isEqualTo(1);
    Conn v4 = conns.get(0);
    assertThat(v4.origLo()).isEqualTo(V4 | 0xc0a80000L);
    assertThat(v4.respLo()).isEqualTo(V4 | 0xc0a8ffffL);
  }

  @Test
  void historyKeepsSixteenLetters() {
    FlowTable t = table(16);
    int o = 1000;
    int r = 5000;
    long ts = T0;
    t.onPacket(tcp(ts++, true, Tcp.SYN, o - 1, 0)); // S
    t.onPacket(tcp(ts++, false, Tcp.SYN | Tcp.ACK, r - 1, 0)); // h
    t.onPacket(tcp(ts++, true, Tcp.ACK, o, 0)); // A
    t.onPacket(tcp(ts++, true, Tcp.ACK, o, 10)); // D
    t.onPacket(tcp(ts++, false, Tcp.ACK, r, 10)); // d
    t.onPacket(tcp(ts++, false, Tcp.ACK, r + 10, 0)); // a
    PacketInfo zw = tcp(ts++, true, Tcp.ACK, o + 10, 0);
    zw.tcpWindow = 0;
    t.onPacket(zw); // W
    zw = tcp(ts++, false, Tcp.ACK, r + 10, 0);
    zw.tcpWindow = 0;
    t.onPacket(zw); // w
    t.onPacket(tcp(ts++, true, Tcp.ACK, o + 20, 10)); // G
    t.onPacket(tcp(ts++, true, Tcp.ACK, o, 10)); // T
    t.onPacket(tcp(ts++, false, Tcp.ACK, r + 20, 10)); // g
    t.onPacket(tcp(ts++, false, Tcp.ACK, r, 10)); // t
    t.onPacket(tcp(ts++, true, Tcp.SYN | Tcp.FIN | Tcp.ACK, o + 30, 0)); // Q
    t.onPacket(tcp(ts++, false, Tcp.FIN | Tcp.RST | Tcp.ACK, r + 30, 0)); // i
    t.onPacket(tcp(ts++, true, Tcp.FIN | Tcp.ACK, o + 30, 0)); // F
    t.onPacket(tcp(ts++, false, Tcp.FIN | Tcp.ACK, r + 30, 0)); // f
    t.onPacket(tcp(ts, true, Tcp.RST, o + 31, 0)); // R: 17th, not kept
    t.flushAll();
    assertThat(conns).hasSize(1);
    assertThat(conns.get(0).history()).isEqualTo("ShADdaWwGTgtQiFf");
  }

  @Test
  void vlanIdsAtTheEdgesOfTheirRangeAndOtherProtocols() {
    FlowTable t = table(16);
    int[][] tags = {{-1, -1}, {0, -1}, {4095, -1}, {4095, 4095}, {0, 4095}, {4094, 0}};
    for (int[] tag : tags) {
      PacketInfo p = v4(T0, 0x0a000001, 0x0a000002, 47, 0, 0); // GRE: no ports
      p.vlan = tag[0];
      p.innerVlan = tag[1];
      p.ipLength = 60;
      t.onPacket(p);
    }
    PacketInfo esp = v4(T0, 0x0a000001, 0x0a000002, 50, 0, 0);
    esp.ipLength = 60;
    t.onPacket(esp);
    assertThat(t.size()).isEqualTo(tags.length + 1);
    t.flushAll();
    for (int i = 0; i < tags.length; i++) {
      assertThat(conns.get(i).vlan()).isEqualTo(tags[i][0]);
      assertThat(conns.get(i).innerVlan()).isEqualTo(tags[i][1]);
      assertThat(conns.get(i).proto()).isEqualTo(47);
      assertThat(conns.get(i).origPort()).isZero();
    }
    assertThat(conns.get(tags.length).proto()).isEqualTo(50);
    assertThat(conns.get(tags.length).vlan()).isEqualTo(-1);
  }

  /**
   * Everything a worker keeps per flow of capacity but the stream buffers: the table, the
   * analyzers' per-flow bytes, slots and state pools, and the detectors' byte (the figure
   * sensor_stats.log reports as {@code flow_state_bytes_per_flow}).
   */
  @Test
  void workerStateBytesPerFlowAtMost128() {
    FlowConfig cfg = FlowConfig.defaults();
    dev.vigil.sensor.detect.Detection detection =
        new dev.vigil.sensor.detect.Detection(
            cfg.maxFlows(),
            () -> dev.vigil.sensor.detect.SensorPolicy.NONE,
            (a, j) -> {},
            new dev.vigil.sensor.detect.DetectionStats(),
            cfg.uidSeed(),
            null,
            null);
    dev.vigil.sensor.pipeline.Pipeline p =
        new dev.vigil.sensor.pipeline.Pipeline(
            cfg, r -> {}, 0, dev.vigil.sensor.analyzer.SslSink.NONE, detection);
    long state = p.flows().stateBytes() + p.analyzers().stateBytes();
    double perFlow = state / (double) p.flows().capacity();
    System.out.printf("worker flow state: %.1f bytes per flow of capacity%n", perFlow);
    assertThat(perFlow).isLessThanOrEqualTo(128);
    assertThat(p.analyzers().stateBytes() / (double) p.flows().capacity())
        .as("analyzer and detector bytes per flow")
        .isLessThanOrEqualTo(8);
  }

  @Test
  void stateBytesPerFlowAtMost128() {
    FlowTable t = table(1 << 18);
    assertThat(FlowTable.bytesPerFlow()).isLessThanOrEqualTo(118);
    // the fixed arrays plus the initial IPv6 side table, divided by the capacity
    assertThat(t.stateBytes() / (double) t.capacity()).isLessThanOrEqualTo(118);
  }
}
