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

  /**
   * The operator's sensor.json with a snap length, a BPF filter and VLANs, on real traffic: the
   * kernel drops what the filter rejects (those frames never reach the sensor), the workers keep
   * only the listed VLANs, no frame is longer than the snap length; conn.log equals the offline
   * reading of the same pcap with the same settings.
   */
  @Test
  void sensorJsonCaptureSettingsApplyLiveAsOnARead() throws Exception {
    Trace trace = dev.vigil.sensor.testutil.FilterTraffic.generate();
    Path pcap =
        PcapWriter.write(
            dir.resolve("filter.pcap"), PcapWriter.pcap(trace, ByteOrder.LITTLE_ENDIAN, false));
    String launcher = System.getProperty("vigil.sensor.launcher", "vigil-sensor");
    String bpf = "udp or (vlan and udp)";
    Path offlineLogs = dir.resolve("offline");
    run(
        dir.resolve("offline.err"),
        launcher,
        "--read",
        pcap.toString(),
        "--logs",
        offlineLogs.toString(),
        "--bpf",
        bpf,
        "--vlans",
        "100,200",
        "--snaplen",
        "96");
    Path json = dir.resolve("sensor.json");
    Files.writeString(
        json,
        "{\"captureMode\":\"afpacket\",\"interfaceName\":\""
            + near
            + "\",\"fanoutGroup\":"
            + (30000 + pid % 20000)
            + ",\"fanoutMode\":\"hash\",\"ringSizeMiB\":8,\"snaplen\":96,\"bpfFilter\":\""
            + bpf
            + "\",\"vlans\":[100,200]}");
    Path liveLogs = dir.resolve("live");
    String err = live(pcap, "--config", json.toString(), "--logs", liveLogs.toString());
    assertThat(err).doesNotContain("not applied by this build: snaplen");
    Matcher m = Pattern.compile(near + ": (\\d+) packets, (\\d+) kernel drops").matcher(err);
    assertThat(m.find()).as(err).isTrue();
    assertThat(Long.parseLong(m.group(2))).as("kernel drops").isZero();
    int udpFrames = 2 * 4 * dev.vigil.sensor.testutil.FilterTraffic.FLOWS;
    assertThat(Long.parseLong(m.group(1))).as("frames past the kernel filter").isEqualTo(udpFrames);
    JsonNode stats = JSON.readTree(Files.readString(liveLogs.resolve("sensor_stats.log")));
    assertThat(stats.get("vlan_filtered").asLong()).isEqualTo(udpFrames / 2);
    assertThat(stats.get("filtered").asLong()).isZero(); // rejected in the kernel
    assertThat(stats.get("max_captured_length").asInt()).isBetween(64, 96);
    JsonNode offStats = JSON.readTree(Files.readString(offlineLogs.resolve("sensor_stats.log")));
    assertThat(offStats.get("max_captured_length").asInt()).isBetween(64, 96);

    Map<String, Counts> offline = connections(offlineLogs.resolve("conn.log"));
    Map<String, Counts> liveConns = connections(liveLogs.resolve("conn.log"));
    assertThat(offline).hasSize(2 * dev.vigil.sensor.testutil.FilterTraffic.FLOWS);
    assertThat(liveConns).isEqualTo(offline);
  }

  /**
   * The portable path ({@code --capture pcap}, libpcap, one worker) on the same kind of replay:
   * every frame counted, no drop, conn.log equal to the offline reading; with a filter, libpcap's
   * own filter applies.
   */
  @Test
  void libpcapCaptureCountsEveryFrame() throws Exception {
    Trace trace = MixedTraffic.generate(300, 93, false);
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
    String err =
        live(pcap, "--interface", near, "--capture", "pcap", "--logs", liveLogs.toString());
    assertThat(err).contains("capturing on " + near + " (libpcap) with 1 worker(s)");
    Matcher m = Pattern.compile(near + ": (\\d+) packets, (\\d+) kernel drops").matcher(err);
    assertThat(m.find()).as(err).isTrue();
    assertThat(Long.parseLong(m.group(2))).as("drops").isZero();
    assertThat(Long.parseLong(m.group(1))).as("frames captured").isEqualTo(frames);
    assertThat(connections(liveLogs.resolve("conn.log")))
        .isEqualTo(connections(offlineLogs.resolve("conn.log")));

    Path udpLogs = dir.resolve("live-udp");
    err =
        live(
            pcap,
            "--interface",
            near,
            "--capture",
            "pcap",
            "--bpf",
            "udp or (vlan and udp)",
            "--logs",
            udpLogs.toString());
    for (String line : Files.readAllLines(udpLogs.resolve("conn.log"))) {
      assertThat(JSON.readTree(line).get("proto").asText()).as(line).isEqualTo("udp");
    }
    assertThat(Files.readAllLines(udpLogs.resolve("conn.log"))).isNotEmpty();
  }

  /** Runs the launcher live on the near end while tcpreplay sends {@code pcap}; its stderr. */
  private String live(Path pcap, String... args) throws Exception {
    Path err = dir.resolve("live-" + System.nanoTime() + ".err");
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("vigil.sensor.launcher", "vigil-sensor"));
    cmd.addAll(List.of(args));
    Process sensor =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(err.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.readString(err).contains("MiB ring")
          && System.nanoTime() < deadline
          && sensor.isAlive()) {
        Thread.sleep(50);
      }
      assertThat(Files.readString(err)).contains("capturing on " + near);
      String replay =
          run(
              dir.resolve("tcpreplay-" + System.nanoTime() + ".out"),
              "ip",
              "netns",
              "exec",
              ns,
              "tcpreplay",
              "-i",
              far,
              "--pps",
              "2000",
              pcap.toString());
      assertThat(replay).containsPattern("Failed packets:\\s+0");
      Thread.sleep(1500);
    } finally {
      sensor.destroy();
      assertThat(sensor.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    String text = Files.readString(err);
    assertThat(sensor.exitValue()).as(text).isIn(0, 143);
    return text;
  }
}
