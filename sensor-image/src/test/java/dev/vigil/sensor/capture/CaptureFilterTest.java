package dev.vigil.sensor.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.sensor.decode.Weirds;
import dev.vigil.sensor.testutil.FilterTraffic;
import dev.vigil.sensor.testutil.MixedTraffic;
import dev.vigil.sensor.testutil.PcapWriter;
import dev.vigil.sensor.testutil.SensorRun;
import dev.vigil.sensor.testutil.Trace;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snap length, BPF filter and VLAN restriction on the offline path; the BPF interpreter against
 * tcpdump's own filtering of the same file (an oracle: libpcap runs the program it compiled).
 */
class CaptureFilterTest {
  @TempDir Path dir;

  @Test
  void filterVlansAndSnaplenOnARead() throws Exception {
    SensorRun r =
        SensorRun.run(
            FilterTraffic.generate(),
            dir,
            "--bpf",
            "udp or (vlan and udp)",
            "--vlans",
            "100,200",
            "--snaplen",
            "96");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    List<JsonNode> conns = r.conns();
    assertThat(conns).hasSize(2 * FilterTraffic.FLOWS);
    for (JsonNode c : conns) {
      assertThat(c.get("proto").asText()).isEqualTo("udp");
      assertThat(c.get("vlan").asInt()).isIn(100, 200);
      assertThat(c.get("orig_pkts").asLong()).isEqualTo(1);
      assertThat(c.get("resp_pkts").asLong()).isEqualTo(1);
      // the IP length fields still count whole datagrams after the 96-byte cut
      assertThat(c.get("orig_ip_bytes").asLong()).isEqualTo(20 + 8 + 300);
    }
    int tcpFrames = 3 * FilterTraffic.FLOWS + 3 * FilterTraffic.FLOWS / 2;
    assertThat(r.stats().get("filtered").asLong()).isEqualTo(tcpFrames);
    assertThat(r.stats().get("vlan_filtered").asLong()).isEqualTo(2 * 2 * FilterTraffic.FLOWS);
    assertThat(r.stats().get("weirds").size()).isZero();
  }

  @Test
  void snaplenAloneCutsFramesAndKeepsEveryConnection() throws Exception {
    SensorRun whole = SensorRun.run(FilterTraffic.generate(), dir.resolve("whole"));
    SensorRun cut = SensorRun.run(FilterTraffic.generate(), dir.resolve("cut"), "--snaplen", "64");
    assertThat(cut.exitCode()).as(cut.stderr()).isZero();
    assertThat(cut.connLog()).isEqualTo(whole.connLog());
    assertThat(cut.stats().get("filtered").asLong()).isZero();
  }

  @Test
  void badFilterIsAUsageError() throws Exception {
    SensorRun r = SensorRun.run(FilterTraffic.generate(), dir, "--bpf", "port 99999999");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("port 99999999");
  }

  static int sh(Path out, String... cmd) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(out.toFile()).start();
    p.getErrorStream().readAllBytes();
    return p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  @Test
  void interpreterAgreesWithTcpdump() throws Exception {
    assumeTrue(
        new ProcessBuilder("tcpdump", "--version").start().waitFor() == 0,
        "needs tcpdump (the oracle)");
    Trace trace = MixedTraffic.generate(300, 5);
    for (var f : FilterTraffic.generate().frames()) {
      trace.add(f);
    }
    Path pcap =
        PcapWriter.write(
            dir.resolve("mixed.pcap"), PcapWriter.pcap(trace, ByteOrder.LITTLE_ENDIAN, false));
    String[] exprs = {
      "",
      "udp",
      "tcp port 443",
      "vlan 100",
      "vlan and udp",
      "ip6",
      "icmp or icmp6",
      "net 10.0.0.0/8 and not port 53",
      "greater 600",
      "less 100",
      "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0",
      "ip[6:2] & 0x1fff != 0",
      "udp port 4789",
      "proto gre",
      "ether host 02:00:00:00:00:0a",
      "ip and len % 7 = 3",
      "ip[2:2] / 3 > 100 and ip[2:2] - 20 < 900",
    };
    for (String expr : exprs) {
      Bpf bpf = Bpf.compile(expr, 1, 262144);
      long[] ours = new long[1];
      try (CaptureReader r = CaptureFiles.open(pcap, new Weirds())) {
        while (r.next(
            (lt, ifi, ts, b, off, cap, wire) -> {
              if (bpf.run(b, off, cap, wire) > 0) {
                ours[0]++;
              }
            })) {
          // count
        }
      }
      Path out = dir.resolve("tcpdump.out");
      int rc = sh(out, "tcpdump", "-nn", "-q", "-r", pcap.toString(), expr);
      assertThat(rc).as(expr).isZero();
      long theirs =
          java.nio.file.Files.readAllLines(out, StandardCharsets.UTF_8).stream()
              .filter(l -> !l.isBlank())
              .count();
      assertThat(ours[0]).as("\"%s\" (%d instructions)", expr, bpf.length()).isEqualTo(theirs);
    }
  }
}
