package dev.vigil.sensor.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.sensor.testutil.Scenarios;
import dev.vigil.sensor.testutil.SensorRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Field-by-field checks of Zeek semantics on the scenario traces, with the expected values worked
 * out by hand from what each trace sends (the baselines then pin everything else).
 */
class FlowSemanticsTest {
  @TempDir Path dir;

  private static void expect(JsonNode c, String state, String history) {
    assertThat(c.get("conn_state").asText()).as(c.toString()).isEqualTo(state);
    if (history == null) {
      assertThat(c.has("history")).as(c.toString()).isFalse();
    } else {
      assertThat(c.get("history").asText()).as(c.toString()).isEqualTo(history);
    }
  }

  @Test
  void tcpConnStatesAndHistories() throws Exception {
    SensorRun r = SensorRun.run(Scenarios.tcpStates(), dir);
    assertThat(r.exitCode()).isZero();
    JsonNode sf = r.conn(40001);
    expect(sf, "SF", "ShADadFf");
    assertThat(sf.get("proto").asText()).isEqualTo("tcp");
    assertThat(sf.get("id.orig_h").asText()).isEqualTo("10.0.0.1");
    assertThat(sf.get("id.resp_h").asText()).isEqualTo("10.0.0.2");
    assertThat(sf.get("id.resp_p").asInt()).isEqualTo(80);
    assertThat(sf.get("orig_bytes").asLong()).isEqualTo(100);
    assertThat(sf.get("resp_bytes").asLong()).isEqualTo(1000);
    assertThat(sf.get("orig_pkts").asLong()).isEqualTo(6);
    assertThat(sf.get("resp_pkts").asLong()).isEqualTo(5);
    assertThat(sf.get("orig_ip_bytes").asLong()).isEqualTo(6 * 40 + 100);
    assertThat(sf.get("resp_ip_bytes").asLong()).isEqualTo(5 * 40 + 1000);
    assertThat(sf.get("missed_bytes").asLong()).isZero();
    assertThat(sf.get("uid").asText()).matches("C[0-9A-Za-z]{17}");
    // duration: first SYN to last ACK, 10+100+100+50+200+300+10+50+1000+100+100 - 10 µs
    assertThat(sf.get("duration").asDouble()).isEqualTo(0.002010);

    expect(r.conn(40002), "REJ", "Sr");
    JsonNode s0 = r.conn(40003);
    expect(s0, "S0", "S");
    assertThat(s0.get("orig_pkts").asLong()).isEqualTo(2);
    assertThat(s0.get("resp_pkts").asLong()).isZero();
    expect(r.conn(40004), "S1", "ShA");
    JsonNode rsto = r.conn(40005);
    expect(rsto, "RSTO", "ShADR");
    assertThat(rsto.get("orig_bytes").asLong()).isEqualTo(20);
    JsonNode rstr = r.conn(40006);
    expect(rstr, "RSTR", "ShADr");
    assertThat(rstr.get("orig_bytes").asLong()).isEqualTo(30);
    expect(r.conn(40007), "RSTOS0", "SR");
    expect(r.conn(40008), "SH", "SF");
    expect(r.conn(40009), "S2", "ShAF");
    expect(r.conn(40010), "S3", "ShAf");
    JsonNode oth = r.conn(40011);
    expect(oth, "OTH", "Dd");
    assertThat(oth.get("orig_bytes").asLong()).isEqualTo(40);
    assertThat(oth.get("resp_bytes").asLong()).isEqualTo(60);
    expect(r.conn(40012), "RSTRH", "Dr");
    expect(r.conn(40013), "SHR", "Df");
    JsonNode flipped = r.conn(40014);
    expect(flipped, "OTH", "^hADa");
    assertThat(flipped.get("id.orig_h").asText()).isEqualTo("10.0.0.1");
    JsonNode gap = r.conn(40015);
    expect(gap, "SF", "ShADGTFf");
    assertThat(gap.get("missed_bytes").asLong()).isEqualTo(50);
    assertThat(gap.get("orig_bytes").asLong()).isEqualTo(250); // sequence space, gap included
    expect(r.conn(40016), "S1", "ShADaw");
  }

  @Test
  void portReuseAfterCloseStartsANewConnection() throws Exception {
    SensorRun r = SensorRun.run(Scenarios.tcpStates(), dir);
    List<JsonNode> reuse =
        r.conns().stream().filter(c -> c.get("id.orig_p").asInt() == 40017).toList();
    assertThat(reuse).hasSize(2);
    expect(reuse.get(0), "SF", "ShADadFf");
    expect(reuse.get(1), "REJ", "Sr");
    assertThat(reuse.get(0).get("uid").asText()).isNotEqualTo(reuse.get(1).get("uid").asText());
  }

  @Test
  void udpIcmpAndPortlessProtocols() throws Exception {
    SensorRun r = SensorRun.run(Scenarios.udpIcmp(), dir);
    JsonNode dns = r.conn(33333);
    expect(dns, "SF", "Dd");
    assertThat(dns.get("proto").asText()).isEqualTo("udp");
    assertThat(dns.get("orig_bytes").asLong()).isEqualTo(40);
    assertThat(dns.get("resp_bytes").asLong()).isEqualTo(120);
    assertThat(dns.get("orig_ip_bytes").asLong()).isEqualTo(20 + 8 + 40);
    assertThat(dns.get("resp_ip_bytes").asLong()).isEqualTo(20 + 8 + 120);
    JsonNode oneWay = r.conn(5000);
    expect(oneWay, "S0", "D");
    assertThat(oneWay.get("orig_bytes").asLong()).isEqualTo(500);
    JsonNode single = r.conn(5001);
    assertThat(single.has("duration")).isFalse(); // Zeek leaves duration/bytes out at 0 s
    assertThat(single.has("orig_bytes")).isFalse();

    JsonNode echo = r.conn(8);
    assertThat(echo.get("proto").asText()).isEqualTo("icmp");
    assertThat(echo.get("id.resp_p").asInt()).isZero();
    assertThat(echo.get("orig_pkts").asLong()).isEqualTo(3);
    assertThat(echo.get("resp_pkts").asLong()).isEqualTo(3);
    assertThat(echo.get("orig_bytes").asLong()).isEqualTo(3 * 56);
    expect(echo, "OTH", null);
    JsonNode unreach = r.conn(3);
    assertThat(unreach.get("id.resp_p").asInt()).isEqualTo(3);
    assertThat(unreach.get("id.orig_h").asText()).isEqualTo("10.0.0.254");
    JsonNode v6 = r.conn(128);
    assertThat(v6.get("id.resp_p").asInt()).isEqualTo(129);
    assertThat(v6.get("id.orig_h").asText()).isEqualTo("2001:db8::1");
    assertThat(v6.get("resp_pkts").asLong()).isEqualTo(1);
    JsonNode sctp = r.conn(0);
    assertThat(sctp.get("proto").asText()).isEqualTo("unknown_transport");
    assertThat(r.stats().get("non_ip").asLong()).isEqualTo(1);
    assertThat(r.conns()).hasSize(7);
  }

  @Test
  void vlanIdsAreLoggedAndKeyed() throws Exception {
    SensorRun r = SensorRun.run(Scenarios.vlan(), dir);
    JsonNode tcp = r.conn(41000);
    expect(tcp, "SF", "ShADadFf");
    assertThat(tcp.get("vlan").asInt()).isEqualTo(10);
    assertThat(tcp.has("inner_vlan")).isFalse();
    List<JsonNode> udp =
        r.conns().stream().filter(c -> c.get("id.orig_p").asInt() == 7000).toList();
    assertThat(udp).hasSize(3);
    JsonNode qinq = udp.get(0);
    assertThat(qinq.get("vlan").asInt()).isEqualTo(100);
    assertThat(qinq.get("inner_vlan").asInt()).isEqualTo(200);
    expect(qinq, "SF", "Dd");
    assertThat(udp.get(1).get("vlan").asInt()).isEqualTo(11);
    assertThat(udp.get(2).has("vlan")).isFalse();
  }

  @Test
  void tunnelledTrafficIsAttributedToTheInnermostPacket() throws Exception {
    SensorRun r = SensorRun.run(Scenarios.tunnels(), dir);
    assertThat(r.conns()).noneMatch(c -> c.get("id.orig_h").asText().startsWith("192.168.1."));
    JsonNode vx = r.conn(42000);
    expect(vx, "SF", "ShADadFf");
    assertThat(vx.get("id.orig_h").asText()).isEqualTo("172.16.0.1");
    assertThat(vx.get("orig_bytes").asLong()).isEqualTo(30);
    assertThat(vx.get("orig_ip_bytes").asLong()).isEqualTo(6 * 40 + 30); // inner IP only
    expect(r.conn(1111), "SF", "Dd");
    assertThat(r.conn(3333).get("id.resp_h").asText()).isEqualTo("172.16.2.2");
    expect(r.conn(43000), "SF", "ShADadFf");
    assertThat(r.conn(5555).get("vlan").asInt()).isEqualTo(5);
    assertThat(r.conn(1234).get("id.orig_h").asText()).isEqualTo("172.16.5.1");
    assertThat(r.conn(1000).get("id.orig_h").asText()).isEqualTo("172.16.6.1");
    assertThat(r.conn(1001).get("id.orig_h").asText()).isEqualTo("172.16.7.1");
    assertThat(r.conn(1002).get("id.orig_h").asText()).isEqualTo("172.16.8.1");
    assertThat(r.conn(1003).get("id.orig_h").asText()).isEqualTo("172.16.9.1");
    assertThat(r.conn(1004).get("id.orig_h").asText()).isEqualTo("2001:db8:9::1");
    assertThat(r.stats().get("weirds").size()).isZero();
  }

  @Test
  void ipv6ExtensionHeadersAndFragments() throws Exception {
    SensorRun r = SensorRun.run(Scenarios.ipv6Trace(), dir);
    JsonNode tcp = r.conn(44000);
    expect(tcp, "SF", "ShADadFf");
    assertThat(tcp.get("orig_bytes").asLong()).isEqualTo(64);
    assertThat(tcp.get("orig_ip_bytes").asLong()).isEqualTo(6 * (40 + 32 + 20) + 64);
    JsonNode frag = r.conn(5353);
    // one reassembled datagram: one packet, the first fragment's IP bytes (40 + 8 + 56) plus
    // the second's data (52), the whole UDP payload
    assertThat(frag.get("orig_pkts").asLong()).isEqualTo(1);
    assertThat(frag.get("orig_ip_bytes").asLong()).isEqualTo(104 + 52);
    assertThat(frag.get("orig_bytes").asLong()).isEqualTo(100);
    assertThat(frag.get("id.resp_h").asText()).isEqualTo("ff02::fb");
    assertThat(r.stats().get("fragments").asLong()).isEqualTo(2);
    assertThat(r.stats().get("fragments_not_first").asLong()).isEqualTo(1);
    assertThat(r.stats().get("fragments_attributed").asLong()).isEqualTo(1);
    assertThat(r.conn(135).get("id.resp_p").asInt()).isEqualTo(136);
  }

  @Test
  void ipv4FragmentsCountAsOneReassembledDatagram() throws Exception {
    SensorRun r = SensorRun.run(Scenarios.fragments(), dir);
    JsonNode udp = r.conn(4000);
    assertThat(udp.get("orig_pkts").asLong()).isEqualTo(1);
    assertThat(udp.get("orig_ip_bytes").asLong()).isEqualTo(20 + 8 + 3000);
    assertThat(udp.get("orig_bytes").asLong()).isEqualTo(3000);
    assertThat(r.stats().get("fragments").asLong()).isEqualTo(3);
    assertThat(r.stats().get("fragments_not_first").asLong()).isEqualTo(2);
    assertThat(r.stats().get("fragments_attributed").asLong()).isEqualTo(2);
    assertThat(r.stats().get("fragments_unmatched").asLong()).isZero();
    expect(r.conn(45000), "SF", "ShADadFf");
  }

  @Test
  void bypassedElephantKeepsFullCountsButStopsAnalysis() throws Exception {
    SensorRun normal = SensorRun.run(Scenarios.elephant(), dir.resolve("n"));
    SensorRun bypass =
        SensorRun.run(Scenarios.elephant(), dir.resolve("b"), "--bypass-packets", "20");
    SensorRun byBytes =
        SensorRun.run(Scenarios.elephant(), dir.resolve("c"), "--bypass-bytes", "50000");
    JsonNode n = normal.conn(46000);
    JsonNode b = bypass.conn(46000);
    expect(n, "SF", "ShADaFf");
    for (String f :
        List.of(
            "orig_pkts",
            "resp_pkts",
            "orig_ip_bytes",
            "resp_ip_bytes",
            "orig_bytes",
            "resp_bytes",
            "duration",
            "conn_state",
            "uid")) {
      assertThat(b.get(f)).as(f).isEqualTo(n.get(f));
      assertThat(byBytes.conn(46000).get(f)).as(f).isEqualTo(n.get(f));
    }
    assertThat(n.get("orig_pkts").asLong()).isEqualTo(204);
    assertThat(n.get("resp_pkts").asLong()).isEqualTo(102);
    assertThat(n.get("orig_bytes").asLong()).isEqualTo(200_000);
    // history stops at the bypass point: the FINs are not recorded as letters
    assertThat(b.get("history").asText()).isEqualTo("ShADa");
    assertThat(normal.stats().get("bypassed_flows").asLong()).isZero();
    assertThat(bypass.stats().get("bypassed_flows").asLong()).isEqualTo(1);
    // 204 + 102 packets, 20 before the bypass
    assertThat(bypass.stats().get("bypassed_packets").asLong()).isEqualTo(306 - 20);
    assertThat(byBytes.stats().get("bypassed_flows").asLong()).isEqualTo(1);
    // the small flow is untouched
    assertThat(bypass.conn(46001)).isEqualTo(normal.conn(46001));
  }

  @Test
  void idleTimeoutsFollowPacketTime() throws Exception {
    SensorRun r = SensorRun.run(Scenarios.timeouts(), dir);
    List<JsonNode> udp =
        r.conns().stream().filter(c -> c.get("id.orig_p").asInt() == 6000).toList();
    assertThat(udp).hasSize(2);
    List<JsonNode> tcp =
        r.conns().stream().filter(c -> c.get("id.orig_p").asInt() == 47000).toList();
    assertThat(tcp).hasSize(2);
    expect(tcp.get(0), "S1", "ShA");
    expect(tcp.get(1), "OTH", "D");
    // shorter UDP timeout: the UDP flow is not split
    SensorRun longUdp = SensorRun.run(Scenarios.timeouts(), dir.resolve("x"), "--udp-idle", "120");
    assertThat(longUdp.conns().stream().filter(c -> c.get("id.orig_p").asInt() == 6000)).hasSize(1);
  }

  @Test
  void laterFragmentsWithoutTheirFirstAreCountedNotAttributed() throws Exception {
    dev.vigil.sensor.testutil.Trace t = new dev.vigil.sensor.testutil.Trace();
    byte[] part = dev.vigil.sensor.testutil.Frames.payload(800, 0);
    t.add(
        10,
        dev.vigil.sensor.testutil.Frames.ethernet(
            0x0800,
            dev.vigil.sensor.testutil.Frames.ipv4(
                "10.5.0.1", "10.5.0.2", 17, part, 99, 100, false)));
    SensorRun r = SensorRun.run(t, dir);
    assertThat(r.conns()).isEmpty();
    assertThat(r.stats().get("fragments_unmatched").asLong()).isEqualTo(1);
  }

  @Test
  void busyFlowsSurviveWhileQuietOnesExpireAroundThem() throws Exception {
    dev.vigil.sensor.testutil.Trace t = new dev.vigil.sensor.testutil.Trace();
    dev.vigil.sensor.testutil.Wrap w = dev.vigil.sensor.testutil.Wrap.ethernetV4();
    byte[] d = dev.vigil.sensor.testutil.Frames.payload(10, 0);
    // flow 8000 sends every 30 s for 10 minutes (never idle 60 s); each round a new flow 9000+i
    // sends once and must expire on its own; finally 8000 is quiet for 61 s and then resumes.
    for (int i = 0; i < 20; i++) {
      t.add(
          30_000_000,
          w.frame("10.9.0.1", "10.9.0.2", 17, dev.vigil.sensor.testutil.Frames.udp(8000, 53, d)));
      t.add(
          10,
          w.frame(
              "10.9.0.3", "10.9.0.2", 17, dev.vigil.sensor.testutil.Frames.udp(9000 + i, 53, d)));
    }
    t.add(
        61_000_000,
        w.frame("10.9.0.1", "10.9.0.2", 17, dev.vigil.sensor.testutil.Frames.udp(8000, 53, d)));
    SensorRun r = SensorRun.run(t, dir);
    List<JsonNode> busy =
        r.conns().stream().filter(c -> c.get("id.orig_p").asInt() == 8000).toList();
    assertThat(busy).hasSize(2);
    assertThat(busy.get(0).get("orig_pkts").asLong()).isEqualTo(20);
    assertThat(busy.get(1).get("orig_pkts").asLong()).isEqualTo(1);
    assertThat(r.conns()).hasSize(22);
    // the one-packet flows were retired by expiry while the trace ran, before the busy flow
    assertThat(r.conns().get(0).get("id.orig_p").asInt()).isEqualTo(9000);
  }

  @Test
  void activeTimeoutSplitsLongFlowsAndKeepsDirection() throws Exception {
    SensorRun r = SensorRun.run(Scenarios.elephant(), dir, "--active-timeout", "0.0005");
    List<JsonNode> parts =
        r.conns().stream().filter(c -> c.get("id.orig_p").asInt() == 46000).toList();
    assertThat(parts.size()).isGreaterThan(1);
    assertThat(parts.stream().mapToLong(c -> c.get("orig_pkts").asLong()).sum()).isEqualTo(204);
    assertThat(parts.stream().mapToLong(c -> c.get("resp_pkts").asLong()).sum()).isEqualTo(102);
    long origBytes =
        parts.stream().mapToLong(c -> c.has("orig_bytes") ? c.get("orig_bytes").asLong() : 0).sum();
    assertThat(origBytes).isEqualTo(200_000);
    assertThat(parts).allMatch(c -> c.get("id.orig_h").asText().equals("10.0.0.1"));
    // every record beyond the first of each of the two connections is an active-timeout split
    assertThat(r.stats().get("active_timeouts").asLong()).isEqualTo(r.conns().size() - 2);
  }

  @Test
  void fullTableEvictsOldestAndStillAccountsEveryPacket() throws Exception {
    SensorRun r = SensorRun.run(Scenarios.udpIcmp(), dir, "--max-flows", "2");
    assertThat(r.stats().get("evictions").asLong()).isPositive();
    long pkts =
        r.conns().stream()
            .mapToLong(c -> c.get("orig_pkts").asLong() + c.get("resp_pkts").asLong())
            .sum();
    assertThat(pkts).isEqualTo(r.stats().get("decoded").asLong());
    assertThat(r.stats().get("flows").asLong()).isEqualTo(r.conns().size());
  }

  @Test
  void uidsAreDeterministicAndSeeded() throws Exception {
    SensorRun a = SensorRun.run(Scenarios.tcpStates(), dir.resolve("a"));
    SensorRun b = SensorRun.run(Scenarios.tcpStates(), dir.resolve("b"));
    SensorRun c = SensorRun.run(Scenarios.tcpStates(), dir.resolve("c"), "--uid-seed", "7");
    assertThat(a.connLog()).isEqualTo(b.connLog());
    assertThat(a.conn(40001).get("uid")).isNotEqualTo(c.conn(40001).get("uid"));
    assertThat(a.conns().stream().map(n -> n.get("uid").asText()).distinct().count())
        .isEqualTo(a.conns().size());
  }
}
