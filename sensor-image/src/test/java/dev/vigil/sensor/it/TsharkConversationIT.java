package dev.vigil.sensor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.sensor.testutil.MixedTraffic;
import dev.vigil.sensor.testutil.PcapWriter;
import dev.vigil.sensor.testutil.Trace;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oracle test: the packaged {@code sensor-image/vigil-sensor} launcher against Wireshark's
 * dissectors. tshark prints the innermost addresses, ports and IP length of every packet; summed
 * per connection they must equal conn.log's packet and IP byte counts per direction, and the TCP
 * payload sums must equal orig_bytes/resp_bytes. Needs {@code tshark} (Debian package tshark,
 * listed in .ci/packages.txt); skips saying so when it is missing.
 */
class TsharkConversationIT {
  @TempDir Path dir;

  static final class Side {
    long pkts;
    long ipBytes;
    long tcpBytes;
  }

  /** Per connection: side A = lower endpoint string. */
  static final class Conv {
    final Side a = new Side();
    final Side b = new Side();
  }

  static String endpoint(String addr, String port) {
    return addr + "|" + port;
  }

  static String key(String proto, String e1, String e2) {
    return e1.compareTo(e2) <= 0 ? proto + " " + e1 + " " + e2 : proto + " " + e2 + " " + e1;
  }

  static boolean tsharkAvailable() {
    try {
      Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static String run(Path log, String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(log.toFile())
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s failed: %s", cmd[0], Files.readString(log)).isZero();
    return out;
  }

  @Test
  void perConnectionCountsMatchTshark() throws Exception {
    assumeTrue(
        tsharkAvailable(),
        "tshark not installed: apt-get install -y tshark (CI installs it from .ci/packages.txt)");
    Trace trace = MixedTraffic.generate(1500, 2026);
    Path pcap =
        PcapWriter.write(
            dir.resolve("mix.pcap"), PcapWriter.pcap(trace, ByteOrder.LITTLE_ENDIAN, false));

    String launcher = System.getProperty("vigil.sensor.launcher", "vigil-sensor");
    Path logs = dir.resolve("logs");
    run(dir.resolve("sensor.err"), launcher, "--read", pcap.toString(), "--logs", logs.toString());

    String fields =
        run(
            dir.resolve("tshark.err"),
            "tshark",
            "-n",
            "-r",
            pcap.toString(),
            "-T",
            "fields",
            "-E",
            "separator=/t",
            "-E",
            "occurrence=l",
            "-e",
            "ip.src",
            "-e",
            "ip.dst",
            "-e",
            "ipv6.src",
            "-e",
            "ipv6.dst",
            "-e",
            "ip.len",
            "-e",
            "ipv6.plen",
            "-e",
            "tcp.srcport",
            "-e",
            "tcp.dstport",
            "-e",
            "tcp.len",
            "-e",
            "udp.srcport",
            "-e",
            "udp.dstport",
            "-e",
            "icmp.type",
            "-e",
            "icmpv6.type");

    Map<String, Conv> expected = new TreeMap<>();
    int packets = 0;
    for (String line : fields.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      packets++;
      boolean v6 = !f[2].isEmpty();
      String src = v6 ? f[2] : f[0];
      String dst = v6 ? f[3] : f[1];
      long ipLen = v6 ? 40 + Long.parseLong(f[5]) : Long.parseLong(f[4]);
      String proto;
      String sp;
      String dp;
      long tcpLen = 0;
      if (!f[6].isEmpty()) {
        proto = "tcp";
        sp = f[6];
        dp = f[7];
        tcpLen = Long.parseLong(f[8]);
      } else if (!f[11].isEmpty() || !f[12].isEmpty()) {
        proto = "icmp";
        sp = "-";
        dp = "-";
      } else {
        proto = "udp";
        sp = f[9];
        dp = f[10];
      }
      String e1 = endpoint(src, sp);
      String e2 = endpoint(dst, dp);
      Conv c = expected.computeIfAbsent(key(proto, e1, e2), k -> new Conv());
      Side side = e1.compareTo(e2) <= 0 ? c.a : c.b;
      side.pkts++;
      side.ipBytes += ipLen;
      side.tcpBytes += tcpLen;
    }
    assertThat(packets).isEqualTo(trace.frames().size());

    ObjectMapper json = new ObjectMapper();
    Map<String, Conv> actual = new TreeMap<>();
    List<JsonNode> conns = new ArrayList<>();
    for (String line : Files.readAllLines(logs.resolve("conn.log"))) {
      conns.add(json.readTree(line));
    }
    for (JsonNode n : conns) {
      String proto = n.get("proto").asText();
      boolean icmp = proto.equals("icmp");
      String o = endpoint(n.get("id.orig_h").asText(), icmp ? "-" : n.get("id.orig_p").asText());
      String r = endpoint(n.get("id.resp_h").asText(), icmp ? "-" : n.get("id.resp_p").asText());
      Conv c = actual.computeIfAbsent(key(proto, o, r), k -> new Conv());
      Side os = o.compareTo(r) <= 0 ? c.a : c.b;
      Side rs = os == c.a ? c.b : c.a;
      os.pkts += n.get("orig_pkts").asLong();
      os.ipBytes += n.get("orig_ip_bytes").asLong();
      rs.pkts += n.get("resp_pkts").asLong();
      rs.ipBytes += n.get("resp_ip_bytes").asLong();
      if (proto.equals("tcp")) {
        os.tcpBytes += n.path("orig_bytes").asLong(0);
        rs.tcpBytes += n.path("resp_bytes").asLong(0);
      }
    }
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    assertThat(conns).hasSize(expected.size()); // no connection split or merged
    int compared = 0;
    for (var e : expected.entrySet()) {
      Conv want = e.getValue();
      Conv got = actual.get(e.getKey());
      for (Side[] pair : new Side[][] {{want.a, got.a}, {want.b, got.b}}) {
        assertThat(pair[1].pkts).as("packets %s", e.getKey()).isEqualTo(pair[0].pkts);
        assertThat(pair[1].ipBytes).as("ip bytes %s", e.getKey()).isEqualTo(pair[0].ipBytes);
        if (e.getKey().startsWith("tcp") && pair[1].pkts > 0 && !single(got)) {
          assertThat(pair[1].tcpBytes).as("tcp bytes %s", e.getKey()).isEqualTo(pair[0].tcpBytes);
        }
      }
      compared++;
    }
    assertThat(compared).isEqualTo(1500);
  }

  /** Zeek leaves orig_bytes/resp_bytes out when duration is 0 (one packet): nothing to compare. */
  private static boolean single(Conv c) {
    return c.a.pkts + c.b.pkts < 2;
  }
}
