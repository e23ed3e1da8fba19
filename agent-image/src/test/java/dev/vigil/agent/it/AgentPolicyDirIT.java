package dev.vigil.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.agent.cli.Agent;
import dev.vigil.agent.cli.AgentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on {@code --policy-dir}: the operator's compiled DetectorPolicy laid out as a kubelet
 * ConfigMap volume ({@code <key> -> ..data/<key>}, {@code ..data} swapped atomically). Shadow mode
 * counts without a notice line, an update to enforce with a new severity and then a new allowed
 * destination takes effect on the next connect-back, a malformed update keeps the last good one.
 */
class AgentPolicyDirIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODE = "it-policy-dir";

  @TempDir static Path tmp;
  private static Path events;
  private static EventFiles files;
  private static Path policies;
  private static int version;
  private static Agent agent;

  @BeforeAll
  static void start() throws Exception {
    events = tmp.resolve("events");
    files = new EventFiles(events);
    policies = Files.createDirectories(tmp.resolve("policies"));
    publish(policy("shadow", "high", List.of()));
    Files.createSymbolicLink(
        policies.resolve("site-baseline.json"), Path.of("..data", "site-baseline.json"));
    agent =
        new Agent(
                AgentConfig.parse(
                    "--events",
                    events.toString(),
                    "--policy-dir",
                    policies.toString(),
                    "--node",
                    NODE,
                    "--metrics-port",
                    "0",
                    "--bpf-object",
                    System.getProperty("vigil.bpf.object")))
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void shadowThenEnforceThenAllowlistedThenMalformedKeepsTheLastGood() throws Exception {
    JsonNode started = await("agent.log", n -> n.path("event").asText().equals("started"));
    assertThat(started.path("mode").asText()).isEqualTo("shadow");
    assertThat(started.path("policies").toString()).contains("vigil-system/site-baseline@1");

    String jobId = Integer.toString(ThreadLocalRandom.current().nextInt(600000, 699999));
    try (NetNs ns = new NetNs();
        SlurmCgroup job = new SlurmCgroup(jobId, 0)) {
      int port = ThreadLocalRandom.current().nextInt(30000, 40000);

      // shadow: agent.log and the metric, no notice.log line
      long shadowPid = AgentIT.connectBack(ns, job, port);
      JsonNode shadow =
          await(
              "agent.log",
              n ->
                  n.path("event").asText().equals("shadow_alert")
                      && n.path("note").asText().equals("ConnectBack")
                      && n.at("/alert/pid").asLong() == shadowPid);
      assertThat(shadow.at("/alert/dst").asText()).isEqualTo(ns.nsAddress);
      assertThat(metrics()).contains("vigil_agent_shadow_alerts_total{note=\"ConnectBack\"} 1");
      assertThat(lines("notice.log")).noneMatch(n -> n.at("/process/pid").asLong() == shadowPid);

      // enforce, critical: the next connect-back is a notice with event.severity 99
      reload(policy("enforce", "critical", List.of()));
      long pid = AgentIT.connectBack(ns, job, port + 1);
      JsonNode alert =
          await(
              "notice.log",
              n ->
                  n.at("/rule/name").asText().equals("ConnectBack")
                      && n.at("/process/pid").asLong() == pid);
      AgentIT.assertConnectBack(alert, NODE, jobId, ns.nsAddress, port + 1);
      assertThat(alert.at("/event/severity").asInt()).isEqualTo(99);

      // the destination allowed: connect logged, no alert
      reload(policy("enforce", "critical", List.of(ns.nsAddress + "/32")));
      long allowedPid = AgentIT.connectBack(ns, job, port + 2);
      files.awaitEstablished(allowedPid);
      assertThat(lines("notice.log")).noneMatch(n -> n.at("/process/pid").asLong() == allowedPid);

      // malformed update: policy_error, the allowlist stays in force
      publish("{\"schema\" : 1, \"spec\" : {\"connectBack\" : ");
      await(
          "agent.log",
          n ->
              n.path("event").asText().equals("policy_error")
                  && n.path("message").asText().contains("keeping the previous one")
                  && n.path("message").asText().contains("site-baseline.json"));
      assertThat(metrics()).contains("vigil_agent_policy_errors_total 1");
      long stillAllowed = AgentIT.connectBack(ns, job, port + 3);
      files.awaitEstablished(stillAllowed);
      assertThat(lines("notice.log")).noneMatch(n -> n.at("/process/pid").asLong() == stillAllowed);

      // a suppression of connect-back to this destination: counted, no notice
      String suppress =
          """
          [ { "match" : { "detector" : "connect-back", "destination" : "%s/32" },
              "reason" : "IT: known benign", "expires" : "%s" } ]""";
      reload(
          policy(
              "enforce",
              "critical",
              List.of(),
              "",
              suppress.formatted(ns.nsAddress, "2099-12-31T23:59:59Z")));
      long suppressedPid = AgentIT.connectBack(ns, job, port + 4);
      JsonNode suppressed =
          await(
              "agent.log",
              n ->
                  n.path("event").asText().equals("suppressed_alert")
                      && n.path("pid").asLong() == suppressedPid);
      assertThat(suppressed.path("suppression").asText()).isEqualTo("vigil-system/site-baseline#0");
      assertThat(suppressed.path("reason").asText()).isEqualTo("IT: known benign");
      assertThat(metrics())
          .contains(
              "vigil_agent_suppressed_alerts_total{suppression=\"vigil-system/site-baseline#0\"} 1");
      assertThat(lines("notice.log"))
          .noneMatch(n -> n.at("/process/pid").asLong() == suppressedPid);

      // the same suppression expired: the alert is back
      reload(
          policy(
              "enforce",
              "critical",
              List.of(),
              "",
              suppress.formatted(ns.nsAddress, "2020-01-01T00:00:00Z")));
      long expiredPid = AgentIT.connectBack(ns, job, port + 5);
      await(
          "notice.log",
          n ->
              n.at("/rule/name").asText().equals("ConnectBack")
                  && n.at("/process/pid").asLong() == expiredPid);

      // this node is one of the policy's internet nodes (internetNodeSelector): no connect-back
      reload(
          policy(
              "enforce",
              "critical",
              List.of(),
              "\"internetNodes\" : [ \"" + NODE + "\" ],",
              "[ ]"));
      long internetPid = AgentIT.connectBack(ns, job, port + 6);
      JsonNode connect =
          await(
              "socket.log",
              n ->
                  n.path("event").asText().equals("connect")
                      && n.path("pid").asLong() == internetPid);
      assertThat(connect.path("direction").asText()).isEqualTo("external");
      files.awaitEstablished(internetPid);
      assertThat(lines("notice.log")).noneMatch(n -> n.at("/process/pid").asLong() == internetPid);
    }
  }

  /** Publishes a compiled policy and waits for the agent's next policy_reloaded. */
  static void reload(String json) throws Exception {
    Predicate<JsonNode> reloaded = n -> n.path("event").asText().equals("policy_reloaded");
    long before = lines("agent.log").stream().filter(reloaded).count();
    publish(json);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (lines("agent.log").stream().filter(reloaded).count() <= before) {
      assertThat(System.nanoTime()).as("policy_reloaded within 10 s").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** As the kubelet does: a new timestamped directory, then {@code ..data} swapped atomically. */
  static void publish(String json) throws IOException {
    Path v = Files.createDirectory(policies.resolve("..2026_11_23_16_00_0" + version++));
    Files.writeString(v.resolve("site-baseline.json"), json);
    Path link = Files.createSymbolicLink(policies.resolve("..data_tmp"), v.getFileName());
    Files.move(link, policies.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
  }

  /** A compiled DetectorPolicy as the operator renders it (PolicyConfigMap). */
  static String policy(String mode, String severity, List<String> allowed) throws IOException {
    return policy(mode, severity, allowed, "", "[ ]");
  }

  /** With {@code top} (top-level fields, each followed by a comma) and spec.suppressions. */
  static String policy(
      String mode, String severity, List<String> allowed, String top, String suppressions)
      throws IOException {
    return """
        {
          %s
          "generation" : %d,
          "name" : "site-baseline",
          "namespace" : "vigil-system",
          "schema" : 1,
          "spec" : {
            "mode" : "%s",
            "silentMiner" : {
              "enabled" : true,
              "cpuPercentAbove" : 95,
              "memoryPerCoreBelow" : "128Mi",
              "gpuUtilizationAbove" : 95,
              "gpuMemoryBelow" : "1Gi",
              "sustainedFor" : "20m",
              "severity" : "high"
            },
            "connectBack" : {
              "enabled" : true,
              "internalNetworks" : [ "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "::1/128" ],
              "allowedDestinations" : %s,
              "severity" : "%s"
            },
            "suppressions" : %s
          },
          "trails" : [ ]
        }
        """
        .formatted(
            top, version + 1, mode, JSON.writeValueAsString(allowed), severity, suppressions);
  }

  static String metrics() throws Exception {
    return EventFiles.metrics(agent);
  }

  static List<JsonNode> lines(String stream) throws IOException {
    return files.lines(stream);
  }

  static JsonNode await(String stream, Predicate<JsonNode> match) throws Exception {
    return files.await(stream, match);
  }
}
