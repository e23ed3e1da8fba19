package dev.vigil.sensor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.common.policy.CidrSet;
import dev.vigil.common.policy.PolicyWatcher;
import dev.vigil.common.schema.Alert;
import dev.vigil.sensor.analyzer.SslSink;
import dev.vigil.sensor.detect.Detection;
import dev.vigil.sensor.detect.DetectionStats;
import dev.vigil.sensor.detect.SensorPolicy;
import dev.vigil.sensor.flow.FlowConfig;
import dev.vigil.sensor.pipeline.LiveSensor;
import dev.vigil.sensor.pipeline.Pipeline;
import dev.vigil.sensor.testutil.Frames;
import dev.vigil.sensor.testutil.PcapWriter;
import dev.vigil.sensor.testutil.TcpConv;
import dev.vigil.sensor.testutil.Trace;
import dev.vigil.sensor.testutil.Wrap;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy hot reload in a live sensor: an AF_PACKET worker on a veth pair (far end in a network
 * namespace {@code sd-<pid>} this test creates) captures replayed connections while the policy
 * directory changes under it. Connections judged before the change alert under the old policy,
 * those after it under the new one; a malformed version is refused and the previous policy keeps
 * alerting; no frame is lost across the swaps. Needs root, iproute2 and python3; skips otherwise.
 */
class LivePolicyReloadIT {
  @TempDir Path dir;
  final long pid = ProcessHandle.current().pid();
  final String ns = "sd-" + pid;
  final String near = "sd" + (pid % 100000) + "a";
  final String far = "sd" + (pid % 100000) + "b";
  boolean created;
  Path sender;
  int sent;

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
  void network() throws IOException {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root for network namespaces and AF_PACKET");
    assumeTrue(sh("ip", "-V") == 0, "needs iproute2 (ip)");
    assumeTrue(sh("python3", "-c", "import socket") == 0, "needs python3 for the replayer");
    must("ip", "netns", "add", ns);
    created = true;
    must("ip", "link", "add", near, "type", "veth", "peer", "name", far, "netns", ns);
    sh("sysctl", "-qw", "net.ipv6.conf." + near + ".disable_ipv6=1");
    sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf." + far + ".disable_ipv6=1");
    must("ip", "link", "set", near, "up");
    must("ip", "-n", ns, "link", "set", far, "up");
    sender = dir.resolve("send_pcap.py");
    try (var in = getClass().getResourceAsStream("/send_pcap.py")) {
      Files.write(sender, in.readAllBytes());
    }
  }

  @AfterEach
  void cleanup() {
    if (created) {
      sh("ip", "link", "del", near);
      sh("ip", "netns", "del", ns);
    }
  }

  static String policy(String trailIp, int generation) {
    return """
        {"schema":1,"name":"live","namespace":"sec","generation":%d,
         "spec":{"mode":"enforce","connectBack":{"enabled":false}},
         "trails":[{"type":"ip","value":"%s","info":"feed","source":"inline"}]}
        """
        .formatted(generation, trailIp);
  }

  /** Two connections, to 203.0.113.45 and to 203.0.113.99, from client ports base and base+1. */
  void sendConnections(int base) throws Exception {
    Trace t = new Trace();
    new TcpConv(t, Wrap.ethernetV4(), "192.0.2.10", base, "203.0.113.45", 80).fullExchange(80, 200);
    new TcpConv(t, Wrap.ethernetV4(), "192.0.2.10", base + 1, "203.0.113.99", 80)
        .fullExchange(80, 200);
    send(t);
  }

  /** One unrelated datagram: moves the worker's clock so closed connections are reported. */
  void tick() throws Exception {
    Trace t = new Trace();
    t.add(
        1,
        Wrap.ethernetV4().frame("192.0.2.200", "192.0.2.201", 17, Frames.udp(9, 9, new byte[4])));
    send(t);
  }

  void send(Trace t) throws Exception {
    Path pcap =
        PcapWriter.write(
            dir.resolve("replay-" + sent + ".pcap"),
            PcapWriter.pcap(t, ByteOrder.LITTLE_ENDIAN, false));
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
                "2000")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    sent += t.frames().size();
  }

  /** Ticks until {@code done} (the reported connections reached the detectors) or 60 s. */
  void tickUntil(BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(300);
      tick();
    }
    assertThat(done.getAsBoolean()).as("condition reached within 60 s").isTrue();
  }

  @Test
  void policyChangesApplyToTheNextConnectionsWithoutLosingFrames() throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Path file = policies.resolve("live.json");
    Files.writeString(file, policy("203.0.113.45", 1));
    List<String> log = new CopyOnWriteArrayList<>();
    List<Alert> alerts = new CopyOnWriteArrayList<>();
    DetectionStats stats = new DetectionStats();
    FlowConfig cfg =
        new FlowConfig(
            4096,
            300_000_000_000L,
            60_000_000_000L,
            60_000_000_000L,
            50_000_000L, // closed connections are reported 50 ms after their last packet
            0,
            0,
            0,
            7);
    long[] kernel;
    List<Pipeline> workers;
    try (PolicyWatcher<SensorPolicy> watcher =
            new PolicyWatcher<>(policies, l -> SensorPolicy.compile(l, CidrSet.empty()), log::add)
                .start(Duration.ofMillis(100));
        LiveSensor sensor =
            new LiveSensor(
                near,
                1,
                -1,
                8,
                cfg,
                r -> {},
                SslSink.NONE,
                i ->
                    new Detection(
                        cfg.maxFlows(),
                        watcher::current,
                        (Alert a, ObjectNode j) -> alerts.add(a),
                        stats,
                        cfg.uidSeed(),
                        "live-test",
                        near),
                false)) {
      // generation 1: only .45 is on the trail
      sendConnections(41000);
      tickUntil(() -> stats.get("trail", "alerts") >= 1 && reported(alerts, 41000));

      // generation 2: .99 instead; the watcher thread swaps while the worker captures
      Files.writeString(file, policy("203.0.113.99", 2));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (watcher.reloads() < 1 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(watcher.reloads()).isEqualTo(1);
      sendConnections(42000);
      tickUntil(() -> alerts.size() >= 2);

      // a malformed generation 3 is refused: generation 2 keeps alerting
      Files.writeString(file, policy("203.0.113.7", 3).replace("\"enforce\"", "\"loud\""));
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (watcher.failures() < 1 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(watcher.failures()).isEqualTo(1);
      sendConnections(43000);
      tickUntil(() -> alerts.size() >= 3);

      long want = sent;
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (captured(sensor) < want && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      kernel = sensor.kernelStatistics();
      workers = sensor.pipelines();
    }
    List<String> seen = new ArrayList<>();
    for (Alert a : alerts) {
      seen.add(a.sourcePort() + ">" + a.destinationIp());
    }
    assertThat(seen)
        .containsExactly("41000>203.0.113.45", "42001>203.0.113.99", "43001>203.0.113.99");
    assertThat(alerts).allMatch(a -> a.observerInterface().equals(near));
    assertThat(log)
        .anyMatch(s -> s.startsWith("policy reloaded from " + policies + ": sec/live@2 in force"))
        .anyMatch(
            s ->
                s.startsWith("policy not reloaded, keeping the previous one")
                    && s.contains("live.json: spec.mode must be enforce or shadow"));
    assertThat(kernel[1]).as("kernel drops").isZero();
    assertThat(workers.stream().mapToLong(Pipeline::packets).sum()).isEqualTo(sent);
  }

  private static boolean reported(List<Alert> alerts, int port) {
    return alerts.stream().anyMatch(a -> a.sourcePort() == port);
  }

  private static long captured(LiveSensor s) {
    return s.pipelines().stream().mapToLong(Pipeline::packets).sum();
  }
}
