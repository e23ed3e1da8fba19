package dev.vigil.e2e.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.agent.cli.Agent;
import dev.vigil.agent.cli.AgentConfig;
import dev.vigil.common.ship.Shipper;
import dev.vigil.common.ship.ShipperConfig;
import dev.vigil.sensor.flow.FlowConfig;
import dev.vigil.sensor.log.Metrics;
import dev.vigil.sensor.pipeline.LiveSensor;
import dev.vigil.testing.KubeApiServers;
import dev.vigil.testing.Repo;
import dev.vigil.testing.Scripts;
import dev.vigil.testing.TestNamespace;
import dev.vigil.testing.WithKubeApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the chart's Grafana dashboard queries is one a Vigil component really exports, with
 * the labels the query uses. The names are not listed here: they are scraped from the running
 * parts. The operator runs as users run it ({@code scripts/operator-up.sh}) against a real API
 * server and reconciles the example site, then its {@code /q/metrics} is read; a live sensor
 * (AF_PACKET on the loopback interface) with a shipper serves its {@code /metrics}; a host agent
 * with a shipper renders its exposition (its eBPF programs are not needed for the names).
 */
@WithKubeApiServer
class DashboardMetricsIT {

  /**
   * Labels Prometheus adds to every sample of a Kubernetes scrape target (pod and service
   * discovery), not exported by the components themselves.
   */
  static final Set<String> TARGET_LABELS =
      Set.of("namespace", "pod", "container", "instance", "job", "service", "endpoint");

  /**
   * The kubelet's cAdvisor metrics the dashboard reads the agent's CPU and memory from: the agent
   * exports no process metrics of its own. Kubernetes documents these; Vigil does not export them.
   */
  static final Map<String, Set<String>> KUBELET_CADVISOR =
      Map.of(
          "container_cpu_usage_seconds_total", Set.of("cpu", "id", "image", "name"),
          "container_memory_rss", Set.of("id", "image", "name"));

  @TempDir static Path dir;
  static final Map<String, String> env = new HashMap<>();
  static final Map<String, String> expositions = new LinkedHashMap<>();

  @BeforeAll
  static void operatorUp() throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, KubeApiServers.kubeconfigYaml());
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("VIGIL_OPERATOR_STATE", dir.resolve("operator").toString());
    env.put("VIGIL_OPERATOR_PORT", Integer.toString(Scripts.freePort()));
    Scripts.run(env, "scripts/operator-up.sh");
  }

  @AfterAll
  static void operatorDown() {
    try (KubernetesClient client = KubeApiServers.newClient(null)) {
      client
          .admissionRegistration()
          .v1()
          .validatingAdmissionPolicyBindings()
          .withName(REFUSE)
          .delete();
      client.admissionRegistration().v1().validatingAdmissionPolicies().withName(REFUSE).delete();
    } finally {
      Scripts.run(env, "scripts/operator-down.sh");
    }
  }

  @Test
  void grafanaQueriesOnlyWhatTheComponentsExport(KubernetesClient client, TestNamespace ns)
      throws Exception {
    expositions.put("operator", scrapeOperatorAfterReconciling(client, ns.name()));
    expositions.put("sensor", scrapeSensor());
    expositions.put("agent", renderAgent());
    for (Map.Entry<String, String> e : expositions.entrySet()) {
      Files.writeString(Repo.path("e2e-tests/target/" + e.getKey() + ".prom"), e.getValue());
    }

    Map<String, Set<String>> exported = exported();
    JsonNode dashboard = DashboardReferences.JSON.readTree(Repo.path(GRAFANA).toFile());
    assertThat(DashboardReferences.grafanaProblems(dashboard, exported, TARGET_LABELS))
        .as("Grafana queries against the metrics the components export")
        .isEmpty();

    // The check can fail: a misspelt metric, a counter without its _total (a TYPE name, not a
    // series) and a label no metric carries are reported.
    ObjectNode broken = dashboard.deepCopy();
    ObjectNode target = (ObjectNode) broken.findValue("targets").get(0);
    target.put(
        "expr",
        "sum by (pod, linkk) (rate(vigil_sensor_packetz_total[5m]))"
            + " + sum by (pod) (rate(operator_sdk_events_received[5m]))");
    assertThat(DashboardReferences.grafanaProblems(broken, exported, TARGET_LABELS))
        .anySatisfy(p -> assertThat(p).contains("'vigil_sensor_packetz_total'"))
        .anySatisfy(p -> assertThat(p).contains("'operator_sdk_events_received'"))
        .anySatisfy(p -> assertThat(p).contains("label 'linkk'"));
  }

  static final String GRAFANA = "helm/vigil/dashboards/grafana/vigil.json";

  private static Map<String, Set<String>> exported() {
    Map<String, Set<String>> out = new TreeMap<>();
    for (String text : expositions.values()) {
      // Sample names only: a histogram's or counter's TYPE name is no series Prometheus stores.
      DashboardReferences.exposedLabels(text)
          .forEach((k, v) -> out.computeIfAbsent(k, x -> new TreeSet<>()).addAll(v));
    }
    KUBELET_CADVISOR.forEach((k, v) -> out.computeIfAbsent(k, x -> new TreeSet<>()).addAll(v));
    return out;
  }

  /**
   * Applies the example site, with one HostAgent's DaemonSet refused by a ValidatingAdmissionPolicy
   * so that failed reconciles are counted too, and a pipeline whose alert router runs; waits until
   * every kind has reconciled, HostAgent has failed once and the router exports its meters, and
   * returns /q/metrics.
   */
  private static String scrapeOperatorAfterReconciling(KubernetesClient client, String ns)
      throws Exception {
    String policy =
        """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: %1$s}
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
              - apiGroups: [apps]
                apiVersions: [v1]
                operations: [CREATE, UPDATE]
                resources: [daemonsets]
          validations:
            - expression: "object.metadata.name != 'login-dtn-agent'"
              message: refused by DashboardMetricsIT to make a reconcile fail
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: %1$s}
        spec:
          policyName: %1$s
          validationActions: [Deny]
          matchResources:
            namespaceSelector:
              matchLabels: {kubernetes.io/metadata.name: %2$s}
        """
            .formatted(REFUSE, ns);
    for (HasMetadata r :
        client.load(new ByteArrayInputStream(policy.getBytes(StandardCharsets.UTF_8))).items()) {
      client.resource(r).forceConflicts().serverSideApply();
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(Repo.path("examples"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        for (HasMetadata r : client.load(in).items()) {
          r.getMetadata().setNamespace(ns);
          client.resource(r).inNamespace(ns).forceConflicts().serverSideApply();
        }
      }
    }
    // The example pipeline's CA is a placeholder, so its router never starts: a second pipeline,
    // at an OpenSearch that is not there, runs one (its polls fail; its meters are what is read).
    String router =
        """
        apiVersion: vigil.dev/v1alpha1
        kind: AlertPipeline
        metadata: {name: dashboards-router}
        spec:
          opensearch:
            endpoints: ["http://127.0.0.1:9"]
            indexPrefix: dashboards
          routes:
            - name: chat
              slack:
                webhookSecretRef: {name: slack-secops, key: webhook-url}
        """;
    for (HasMetadata r :
        client.load(new ByteArrayInputStream(router.getBytes(StandardCharsets.UTF_8))).items()) {
      r.getMetadata().setNamespace(ns);
      client.resource(r).inNamespace(ns).forceConflicts().serverSideApply();
    }
    URI uri = URI.create("http://127.0.0.1:" + env.get("VIGIL_OPERATOR_PORT") + "/q/metrics");
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    String text = "";
    while (System.nanoTime() < deadline) {
      text = get(uri);
      if (kinds(text, "operator_sdk_reconciliations_success_total").containsAll(KINDS)
          && kinds(text, "operator_sdk_reconciliations_failed_total").contains("HostAgent")
          && text.contains("vigil_router_polls_failed_total{")) {
        return text;
      }
      Thread.sleep(1_000);
    }
    throw new AssertionError(
        "the operator did not reconcile every kind, fail HostAgent and run an alert router, in"
            + " 180 s:\n"
            + text);
  }

  static final String REFUSE = "dashboards-refuse-login-dtn-agent";

  static final List<String> KINDS =
      List.of("SensorCluster", "TapAssignment", "HostAgent", "DetectorPolicy", "AlertPipeline");

  /** The kind labels of the samples of {@code name}. */
  private static Set<String> kinds(String exposition, String name) {
    Set<String> out = new TreeSet<>();
    Matcher m =
        Pattern.compile("^" + name + "\\{[^}]*kind=\"([A-Za-z]+)\"", Pattern.MULTILINE)
            .matcher(exposition);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** A one-worker live sensor on lo with a shipper; its /metrics over HTTP. */
  private static String scrapeSensor() throws Exception {
    Path spool = Files.createDirectories(dir.resolve("sensor-ship"));
    try (Shipper shipper =
            new Shipper(
                ShipperConfig.defaults(() -> URI.create("http://127.0.0.1:1"), spool)
                    .withCloseTimeout(Duration.ofSeconds(1)));
        LiveSensor sensor =
            new LiveSensor(
                "lo",
                1,
                -1,
                1,
                FlowConfig.defaults(),
                r -> {},
                dev.vigil.sensor.analyzer.SslSink.NONE,
                false);
        Metrics metrics = new Metrics(0, sensor, shipper, () -> 0)) {
      return get(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics"));
    }
  }

  /** A host agent with a shipper, not started (no eBPF needed), rendering its exposition. */
  private static String renderAgent() throws Exception {
    Path events = Files.createDirectories(dir.resolve("agent-events"));
    AgentConfig config =
        AgentConfig.parse(
            "--events",
            events.toString(),
            "--node",
            "node-1",
            "--opensearch",
            "http://127.0.0.1:1",
            "--spool-dir",
            dir.resolve("agent-spool").toString());
    try (Agent agent = new Agent(config)) {
      return agent.prometheus();
    }
  }

  private static String get(URI uri) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("GET " + uri).isEqualTo(200);
      return r.body();
    }
  }
}
