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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged launcher capturing live with two AF_PACKET fanout workers while tcpreplay sends a
 * generated trace into a veth pair whose far end lives in a network namespace this test creates
 * ({@code sp-<pid>}, removed afterwards). At a moderate rate ({@code --pps}) every frame must be
 * counted, with no kernel drop, and conn.log must hold the same connections with the same packet
 * and byte counts as the launcher's offline reading of the same pcap. Needs root, iproute2 and
 * tcpreplay (listed in {@code .ci/packages.txt}); skips saying so otherwise.
 */
class TcpreplayLiveIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  final long pid = ProcessHandle.current().pid();
  final String ns = "sp-" + pid;
  final String near = "sp" + (pid % 100000) + "a";
  final String far = "sp" + (pid % 100000) + "b";
  boolean created;

  static int sh(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  static void must(String... cmd) {
    assertThat(sh(cmd)).as(String.join(" ", cmd)).isZero();
  }

  @BeforeEach
  void network() {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root for network namespaces and AF_PACKET");
    assumeTrue(sh("ip", "-V") == 0, "needs iproute2 (ip)");
    assumeTrue(sh("tcpreplay", "-V") == 0, "needs tcpreplay (apt-get install tcpreplay)");
    must("ip", "netns", "add", ns);
    created = true;
    must("ip", "link", "add", near, "type", "veth", "peer", "name", far, "netns", ns);
    sh("sysctl", "-qw", "net.ipv6.conf." + near + ".disable_ipv6=1");
    sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf." + far + ".disable_ipv6=1");
    must("ip", "link", "set", near, "mtu", "9000", "up");
    must("ip", "-n", ns, "link", "set", far, "mtu", "9000", "up");
  }

  @AfterEach
  void cleanup() {
    if (created) {
      sh("ip", "link", "del", near);
      sh("ip", "netns", "del", ns);
    }
  }

  record Counts(long origPkts, long respPkts, long origIpBytes, long respIpBytes, long records) {
    Counts plus(Counts o) {
      return new Counts(
          origPkts + o.origPkts,
          respPkts + o.respPkts,
          origIpBytes + o.origIpBytes,
          respIpBytes + o.respIpBytes,
          records + o.records);
    }
  }

  /** conn.log by connection key (proto, endpoints, VLANs), counts summed over its records. */
  static Map<String, Counts> connections(Path connLog) throws IOException {
    Map<String, Counts> byKey = new TreeMap<>();
    for (String line : Files.readAllLines(connLog)) {
      JsonNode c = JSON.readTree(line);
      String key =
          c.get("proto").asText()
              + " "
              + c.get("id.orig_h").asText()
              + ":"
              + c.get("id.orig_p").asText()
              + " "
              + c.get("id.resp_h").asText()
              + ":"
              + c.get("id.resp_p").asText()
              + " vlan "
              + c.path("vlan").asText("-")
              + "/"
              + c.path("inner_vlan").asText("-");
      byKey.merge(
          key,
          new Counts(
              c.get("orig_pkts").asLong(),
              c.get("resp_pkts").asLong(),
              c.get("orig_ip_bytes").asLong(),
              c.get("resp_ip_bytes").asLong(),
              1),
          Counts::plus);
    }
    return byKey;
  }

  static String run(Path errFile, String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(errFile.toFile()).start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
    String out = Files.readString(errFile);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void everyReplayedFrameIsCountedByTwoFanoutWorkers() throws Exception {
    Trace trace = MixedTraffic.generate(600, 91, false);
    int frames = trace.frames().size();
    Path pcap =
        PcapWriter.write(
            dir.resolve("replay.pcap"), PcapWriter.pcap(trace, ByteOrder.LITTLE_ENDIAN, false));
    String launcher = System.getProperty("vigil.sensor.launcher", "vigil-sensor");
    Path offlineLogs = dir.resolve("offline");
    run(
        dir.resolve("offline.err"),
        launcher,
        "--read",
        pcap.toString(),
        "--logs",
        offlineLogs.toString());

    Path liveLogs = dir.resolve("live");
    Path liveErr = dir.resolve("live.err");
    // The live clock is not the trace's, so idle expiry may split a connection differently from
    // the offline run: counts are compared per connection key, summed over its records.
    Process sensor =
        new ProcessBuilder(
                launcher,
                "--interface",
                near,
                "--workers",
                "2",
                "--ring-size-mib",
                "16",
                "--logs",
                liveLogs.toString())
            .redirectErrorStream(true)
            .redirectOutput(liveErr.toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.readString(liveErr).contains("MiB ring")
          && System.nanoTime() < deadline
          && sensor.isAlive()) {
        Thread.sleep(50);
      }
      assertThat(Files.readString(liveErr)).contains("capturing on " + near + " with 2 worker(s)");
      String replay =
          run(
              dir.resolve("tcpreplay.out"),
              "ip",
              "netns",
              "exec",
              ns,
              "tcpreplay",
              "-i",
              far,
              "--pps",
              "5000",
              pcap.toString());
      assertThat(replay).contains("Actual: " + frames + " packets");
      assertThat(replay).containsPattern("Failed packets:\\s+0");
      Thread.sleep(1500); // the last ring block is handed over on its 50 ms timeout
    } finally {
      sensor.destroy(); // SIGTERM: the sensor flushes its flows and writes its logs
      assertThat(sensor.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    String err = Files.readString(liveErr);
    // stopped by SIGTERM after flushing: the JVM reports the signal (128 + 15)
    assertThat(sensor.exitValue()).as(err).isIn(0, 143);
    Matcher m = Pattern.compile(near + ": (\\d+) packets, (\\d+) kernel drops").matcher(err);
    assertThat(m.find()).as(err).isTrue();
    assertThat(Long.parseLong(m.group(2))).as("kernel drops").isZero();
    assertThat(Long.parseLong(m.group(1))).as("frames captured").isEqualTo(frames);
    // both workers got a share (stats: one line per worker)
    List<Long> perWorker = new ArrayList<>();
    for (String line : Files.readAllLines(liveLogs.resolve("sensor_stats.log"))) {
      perWorker.add(JSON.readTree(line).get("packets").asLong());
    }
    assertThat(perWorker).hasSize(2).allMatch(n -> n > 0);
    assertThat(perWorker.stream().mapToLong(Long::longValue).sum()).isEqualTo(frames);

    Map<String, Counts> offline = connections(offlineLogs.resolve("conn.log"));
    Map<String, Counts> live = connections(liveLogs.resolve("conn.log"));
    assertThat(offline).isNotEmpty();
    assertThat(live.keySet()).isEqualTo(offline.keySet());
    for (var e : offline.entrySet()) {
      Counts l = live.get(e.getKey());
      Counts o = e.getValue();
      assertThat(new long[] {l.origPkts, l.respPkts, l.origIpBytes, l.respIpBytes})
          .as(e.getKey())
          .containsExactly(o.origPkts, o.respPkts, o.origIpBytes, o.respIpBytes);
    }
  }
}
