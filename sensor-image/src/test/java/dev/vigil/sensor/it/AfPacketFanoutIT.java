package dev.vigil.sensor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.sensor.analyzer.SslSink;
import dev.vigil.sensor.capture.CaptureFiles;
import dev.vigil.sensor.capture.CaptureReader;
import dev.vigil.sensor.flow.ConnRecord;
import dev.vigil.sensor.flow.FlowConfig;
import dev.vigil.sensor.flow.FlowSink;
import dev.vigil.sensor.log.Json;
import dev.vigil.sensor.pipeline.LiveSensor;
import dev.vigil.sensor.pipeline.Pipeline;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture on a veth pair: the far end lives in a network namespace this test creates ({@code
 * vigiltest-<pid>}); a replayer there sends a generated trace at a moderate rate; two AF_PACKET
 * TPACKET_V3 workers in one fanout group capture on the near end. Every connection must come out
 * with the same packet and byte counts as reading the trace offline, with no kernel drops and both
 * workers busy. Needs root (CAP_NET_ADMIN, CAP_NET_RAW), iproute2 and python3; skips saying so
 * otherwise.
 */
class AfPacketFanoutIT {
  @TempDir Path dir;
  final long pid = ProcessHandle.current().pid();
  final String ns = "vigiltest-" + pid;
  final String near = "vgt" + (pid % 100000) + "a";
  final String far = "vgt" + (pid % 100000) + "b";
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
    assumeTrue(sh("python3", "-c", "import socket") == 0, "needs python3 for the replayer");
    must("ip", "netns", "add", ns);
    created = true;
    must("ip", "link", "add", near, "type", "veth", "peer", "name", far, "netns", ns);
    // no IPv6 autoconfiguration chatter on the test link
    sh("sysctl", "-qw", "net.ipv6.conf." + near + ".disable_ipv6=1");
    sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf." + far + ".disable_ipv6=1");
    must("ip", "link", "set", near, "up");
    must("ip", "-n", ns, "link", "set", far, "up");
  }

  @AfterEach
  void cleanup() {
    if (created) {
      sh("ip", "link", "del", near);
      sh("ip", "netns", "del", ns);
    }
  }

  record Counts(long origPkts, long respPkts, long origIpBytes, long respIpBytes) {}

  static final class Collect implements FlowSink {
    final Map<String, Counts> byKey = new TreeMap<>();
    int records;

    @Override
    public synchronized void onConnection(ConnRecord r) {
      StringBuilder k = new StringBuilder().append(r.proto).append(' ');
      Json.appendAddress(k, r.origHi, r.origLo, r.ipVersion == 4);
      k.append(':').append(r.origPort).append(' ');
      Json.appendAddress(k, r.respHi, r.respLo, r.ipVersion == 4);
      k.append(':').append(r.respPort).append(" vlan ").append(r.vlan);
      byKey.merge(
          k.toString(),
          new Counts(r.origPkts, r.respPkts, r.origIpBytes, r.respIpBytes),
          (a, b) ->
              new Counts(
                  a.origPkts + b.origPkts,
                  a.respPkts + b.respPkts,
                  a.origIpBytes + b.origIpBytes,
                  a.respIpBytes + b.respIpBytes));
      records++;
    }
  }

  @Test
  void twoFanoutWorkersLoseNothingAtAModerateRate() throws Exception {
    Trace trace = MixedTraffic.generate(400, 77, false);
    Path pcap =
        PcapWriter.write(
            dir.resolve("replay.pcap"), PcapWriter.pcap(trace, ByteOrder.LITTLE_ENDIAN, false));
    Path sender = dir.resolve("send_pcap.py");
    try (var in = getClass().getResourceAsStream("/send_pcap.py")) {
      Files.write(sender, in.readAllBytes());
    }

    Collect offline = new Collect();
    Pipeline reference = new Pipeline(FlowConfig.defaults(), offline);
    try (CaptureReader r = CaptureFiles.open(pcap, reference.weirds())) {
      while (r.next(reference)) {
        // read all
      }
    }
    reference.finish();

    Collect live = new Collect();
    long[] kernel;
    List<Pipeline> workers;
    try (LiveSensor sensor = new LiveSensor(near, 2, FlowConfig.defaults(), live, true)) {
      Process p =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  ns,
                  "python3",
                  sender.toString(),
                  far,
                  pcap.toString(),
                  "20000")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).isEqualTo(Integer.toString(trace.frames().size()));
      long want = trace.frames().size();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (captured(sensor) < want && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      kernel = sensor.kernelStatistics();
      workers = sensor.pipelines();
    }
    List<String> extra = new ArrayList<>(live.byKey.keySet());
    extra.removeAll(offline.byKey.keySet());
    assertThat(kernel[1]).as("kernel drops").isZero();
    long packets = workers.stream().mapToLong(Pipeline::packets).sum();
    assertThat(packets)
        .as("frames captured; connections not in the trace: %s", extra)
        .isEqualTo(trace.frames().size());
    assertThat(workers).allMatch(w -> w.packets() > 0); // fanout spread the flows
    List<String> missing = new ArrayList<>(offline.byKey.keySet());
    missing.removeAll(live.byKey.keySet());
    assertThat(missing).as("connections not seen live").isEmpty();
    assertThat(live.byKey).isEqualTo(offline.byKey);
    assertThat(live.records).isEqualTo(offline.records); // no connection split across workers
  }

  /**
   * Two single-worker sensors, as two worker pods of one tap, join the fanout group their
   * sensor.json names: together they see every frame once, each a share, flows kept whole.
   */
  @Test
  void twoPodsSharingTheConfiguredFanoutGroupSplitTheTraffic() throws Exception {
    Trace trace = MixedTraffic.generate(200, 78, false);
    Path pcap =
        PcapWriter.write(
            dir.resolve("replay.pcap"), PcapWriter.pcap(trace, ByteOrder.LITTLE_ENDIAN, false));
    Path sender = dir.resolve("send_pcap.py");
    try (var in = getClass().getResourceAsStream("/send_pcap.py")) {
      Files.write(sender, in.readAllBytes());
    }
    Collect offline = new Collect();
    Pipeline reference = new Pipeline(FlowConfig.defaults(), offline);
    try (CaptureReader r = CaptureFiles.open(pcap, reference.weirds())) {
      while (r.next(reference)) {
        // read all
      }
    }
    reference.finish();

    int group = 40000 + (int) (pid % 20000);
    Collect live = new Collect();
    List<Pipeline> pods = new ArrayList<>();
    try (LiveSensor pod0 =
            new LiveSensor(near, 1, group, 8, FlowConfig.defaults(), live, SslSink.NONE, false);
        LiveSensor pod1 =
            new LiveSensor(near, 1, group, 8, FlowConfig.defaults(), live, SslSink.NONE, false)) {
      assertThat(pod0.fanoutGroup()).isEqualTo(group);
      assertThat(pod1.fanoutGroup()).isEqualTo(group);
      Process p =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  ns,
                  "python3",
                  sender.toString(),
                  far,
                  pcap.toString(),
                  "20000")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      long want = trace.frames().size();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (captured(pod0) + captured(pod1) < want && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      pods.addAll(pod0.pipelines());
      pods.addAll(pod1.pipelines());
    }
    assertThat(pods.stream().mapToLong(Pipeline::packets).sum()).isEqualTo(trace.frames().size());
    assertThat(pods).allMatch(w -> w.packets() > 0);
    assertThat(live.byKey).isEqualTo(offline.byKey);
    assertThat(live.records).isEqualTo(offline.records);
  }

  /**
   * The CLI with an operator-style sensor.json naming the veth: starts, captures, stops, exit 0.
   */
  @Test
  void cliRunsFromSensorJson() throws Exception {
    Path json = dir.resolve("sensor.json");
    Files.writeString(
        json,
        "{\"captureMode\" : \"afpacket\", \"interfaceName\" : \""
            + near
            + "\", \"fanoutGroup\" : 4242, \"fanoutMode\" : \"hash\", \"ringSizeMiB\" : 8,"
            + " \"snaplen\" : 262144}");
    Path policies = Files.createDirectories(dir.resolve("policies"));
    var err = new java.io.ByteArrayOutputStream();
    var ps = new java.io.PrintStream(err, true, StandardCharsets.UTF_8);
    int code =
        dev.vigil.sensor.cli.Main.run(
            new String[] {
              "--config", json.toString(),
              "--policy-dir", policies.toString(),
              "--logs", dir.resolve("logs").toString(),
              "--duration", "0.5"
            },
            ps,
            ps);
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    assertThat(text)
        .contains("capturing on " + near + " with 1 worker(s), fanout group 4242, 8 MiB ring")
        .doesNotContain("not applied by this build: snaplen")
        .contains("0 detector policies from " + policies + ": none (nothing to detect)")
        .contains("detections: 0 alert(s) in notice.log");
    assertThat(dir.resolve("logs/sensor_stats.log")).exists();
  }

  private static long captured(LiveSensor s) {
    return s.pipelines().stream().mapToLong(Pipeline::packets).sum();
  }
}
