package dev.vigil.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.api.v1alpha1.AlertPipeline;
import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.SecretKeyRef;
import dev.vigil.api.v1alpha1.spec.Route;
import dev.vigil.api.v1alpha1.spec.SlackTarget;
import dev.vigil.common.schema.Alert;
import dev.vigil.operator.opensearch.DailyIndex;
import dev.vigil.operator.opensearch.DataClass;
import dev.vigil.operator.opensearch.IndexTemplates;
import dev.vigil.operator.router.AlertRouters;
import dev.vigil.operator.status.Conditions;
import dev.vigil.testing.ClusterDump;
import dev.vigil.testing.OpenSearchNodes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator against a real kube-apiserver and a real OpenSearch 3.x node: templates installed
 * with explicit mappings, retention deleting old daily indices but never today's, unreachable
 * endpoints and missing Secrets reported as Degraded and healed, and no writes at rest.
 */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
@QuarkusTestResource(value = OpenSearchResource.class, restrictToAnnotatedClass = true)
class AlertPipelineIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static String ns;

  @Inject KubernetesClient client;
  @Inject AlertRouters routers;

  @BeforeEach
  void namespace() {
    if (ns == null) {
      ns = "pipeline-it-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36);
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
  }

  @Test
  void connectsInstallsTemplatesEnforcesRetentionAndRestsWithoutWrites() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String old = "apit-a-conn-2020.01.01";
    String current = DailyIndex.name("apit-a", DataClass.CONN, today);
    String recent = DailyIndex.name("apit-a", DataClass.CONN, today.minusDays(3));
    for (String index : new String[] {old, recent, current}) {
      createIndexWithDoc(index);
    }
    secret("writer", Map.of("username", "vigil-writer", "password", "not-checked-by-this-node"));
    apply(pipeline("main", "apit-a", "best_compression", "writer", os()));

    AlertPipeline ready = awaitCondition("main", Condition.Type.READY, "Connected");
    assertThat(Conditions.find(ready.getStatus(), Condition.Type.READY).getMessage())
        .isEqualTo(
            "connected to "
                + os()
                + "; index templates for conn, dns, ssl, http, alerts, host are current");
    assertThat(ready.getStatus().getConnected()).isTrue();
    assertThat(ready.getStatus().getClusterHealth()).isIn("green", "yellow");
    assertThat(ready.getStatus().getObservedGeneration())
        .isEqualTo(ready.getMetadata().getGeneration());
    assertThat(ready.getStatus().getProjectedRetentionDays())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("conn", 30, "dns", 30, "ssl", 90, "http", 30, "alerts", 365, "host", 30));
    // Bytes per day from the complete days kept (the 3-day-old index; the 2020 one was deleted in
    // the same pass, today's is still filling); classes without a complete day are absent.
    assertThat(ready.getStatus().getBytesPerDay()).containsOnlyKeys("conn");
    assertThat(ready.getStatus().getBytesPerDay().get("conn")).isPositive();

    // Templates with explicit mappings, in the node, equal to what the operator renders.
    for (DataClass cls : DataClass.values()) {
      JsonNode t =
          json(send("GET", "/_index_template/apit-a-" + cls.id(), null))
              .path("index_templates")
              .path(0)
              .path("index_template");
      assertThat(t.path("index_patterns").toString()).isEqualTo("[\"apit-a-" + cls.id() + "-*\"]");
      assertThat(t.at("/template/settings/index/codec").asText()).isEqualTo("best_compression");
      assertThat(t.at("/template/settings/index/number_of_replicas").asText()).isEqualTo("0");
      assertThat(t.at("/template/settings/index/sort/field/0").asText())
          .isEqualTo(cls == DataClass.ALERTS ? "@timestamp" : "ts");
      // conn derives _source (strict: an unmapped field could not be derived); the rest keep it
      assertThat(t.at("/template/mappings/dynamic").asText()).isEqualTo(cls.dynamic());
      assertThat(t.at("/template/settings/index/derived_source/enabled").asText())
          .isEqualTo(cls.derivedSource() ? "true" : "");
      assertThat(t.at("/template/mappings/properties/" + cls.sortField() + "/type").asText())
          .isEqualTo(cls == DataClass.CONN ? "date_nanos" : "date");
      // The node's answer compares equal to the rendering: at rest nothing is PUT again.
      assertThat(
              IndexTemplates.matches(
                  IndexTemplates.desired(ready.getSpec().getOpensearch(), cls, ns + "/main"), t))
          .isTrue();
    }
    // A new daily index gets the mappings: an IP field is an ip, unknown fields are not mapped.
    String dns = DailyIndex.name("apit-a", DataClass.DNS, today);
    assertThat(send("PUT", "/" + dns, "{}").statusCode()).isEqualTo(200);
    JsonNode mapping = json(send("GET", "/" + dns + "/_mapping", null)).path(dns).path("mappings");
    assertThat(mapping.at("/properties/id/properties/orig_h/type").asText()).isEqualTo("ip");
    assertThat(mapping.at("/properties/query/type").asText()).isEqualTo("keyword");

    // Retention: the 2020 index is gone; today's and a 3-day-old one survive.
    await().atMost(TIMEOUT).until(() -> send("HEAD", "/" + old, null).statusCode() == 404);
    assertThat(send("HEAD", "/" + current, null).statusCode()).isEqualTo(200);
    assertThat(send("HEAD", "/" + recent, null).statusCode()).isEqualTo(200);
    dumpOnFailure(
        () ->
            await()
                .atMost(TIMEOUT)
                .untilAsserted(
                    () ->
                        assertThat(client.events().v1().events().inNamespace(ns).list().getItems())
                            .anySatisfy(
                                e -> {
                                  assertThat(e.getReason()).isEqualTo("RetentionEnforced");
                                  assertThat(e.getRegarding().getName()).isEqualTo("main");
                                  assertThat(e.getNote())
                                      .isEqualTo("deleted " + old + " (older than 30 days)");
                                })));

    // At rest (re-checked every few seconds in tests): the status is not rewritten.
    Thread.sleep(3000);
    String version = get("main").getMetadata().getResourceVersion();
    Thread.sleep(15_000);
    assertThat(get("main").getMetadata().getResourceVersion()).isEqualTo(version);

    // Deleting the AlertPipeline never deletes data.
    client.resources(AlertPipeline.class).inNamespace(ns).withName("main").delete();
    await().atMost(TIMEOUT).until(() -> get("main") == null);
    Thread.sleep(3000);
    assertThat(send("HEAD", "/" + current, null).statusCode()).isEqualTo(200);
    assertThat(send("HEAD", "/" + recent, null).statusCode()).isEqualTo(200);
  }

  @Test
  void unreachableEndpointIsDegradedWithTheEndpointAndError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port;
    apply(pipeline("nowhere", "apit-b", "best_compression", null, endpoint));
    AlertPipeline p = awaitCondition("nowhere", Condition.Type.DEGRADED, "OpenSearchUnreachable");
    assertThat(Conditions.find(p.getStatus(), Condition.Type.DEGRADED).getMessage())
        .isEqualTo("no OpenSearch endpoint answered: " + endpoint + " (ConnectException)");
    assertThat(p.getStatus().getConnected()).isFalse();
    assertThat(Conditions.isTrue(p.getStatus(), Condition.Type.READY)).isFalse();
  }

  @Test
  void missingSecretOrKeyIsDegradedAndHealsWhenTheSecretIsFixed() throws Exception {
    apply(pipeline("late", "apit-c", "best_compression", "late-writer", os()));
    AlertPipeline p = awaitCondition("late", Condition.Type.DEGRADED, "SecretMissing");
    assertThat(Conditions.find(p.getStatus(), Condition.Type.DEGRADED).getMessage())
        .isEqualTo(
            "Secret 'late-writer' does not exist in namespace '"
                + ns
                + "'; create it with keys 'username' and 'password' or fix"
                + " spec.opensearch.credentialsSecretRef");
    assertThat(p.getStatus().getConnected()).isFalse();

    secret("late-writer", Map.of("username", "vigil-writer"));
    dumpOnFailure(
        () ->
            await()
                .atMost(TIMEOUT)
                .untilAsserted(
                    () ->
                        assertThat(
                                Conditions.find(get("late").getStatus(), Condition.Type.DEGRADED)
                                    .getMessage())
                            .isEqualTo(
                                "Secret 'late-writer' in namespace '"
                                    + ns
                                    + "' has no key 'password'; add it or fix"
                                    + " spec.opensearch.credentialsSecretRef")));

    client
        .secrets()
        .inNamespace(ns)
        .withName("late-writer")
        .edit(
            s -> {
              s.getData()
                  .put("password", java.util.Base64.getEncoder().encodeToString("pw".getBytes()));
              return s;
            });
    AlertPipeline healed = awaitCondition("late", Condition.Type.READY, "Connected");
    assertThat(healed.getStatus().getConnected()).isTrue();
    assertThat(Conditions.isTrue(healed.getStatus(), Condition.Type.DEGRADED)).isFalse();
  }

  @Test
  void aCodecTheNodeLacksIsReportedNotRetriedInALoop() throws Exception {
    apply(pipeline("zstd", "apit-d", "zstd", null, os()));
    AlertPipeline p = awaitCondition("zstd", Condition.Type.DEGRADED, "TemplateRejected");
    assertThat(Conditions.find(p.getStatus(), Condition.Type.DEGRADED).getMessage())
        .isEqualTo(
            "OpenSearch at "
                + os()
                + " refused index templates apit-d-conn, apit-d-dns, apit-d-ssl, apit-d-http,"
                + " apit-d-alerts, apit-d-host: index_template [apit-d-conn] invalid, cause"
                + " [Validation Failed: 1: unknown value for [index.codec] must be one of"
                + " [default, lz4, best_compression, zlib] but was: zstd;]");
    assertThat(p.getStatus().getConnected()).isTrue();
    assertThat(send("GET", "/_index_template/apit-d-conn", null).statusCode()).isEqualTo(404);
  }

  @Test
  void routesSendOneSlackMessagePerAlertGroupAndStopWithThePipeline() throws Exception {
    List<String> slack = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        ex -> {
          slack.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    receiver.start();
    try {
      secret(
          "slack-hook",
          Map.of(
              "webhook-url",
              "http://127.0.0.1:" + receiver.getAddress().getPort() + "/services/T0/B0/secret"));
      AlertPipeline p = pipeline("routed", "apit-r", "best_compression", null, os());
      p.getSpec().setDedupWindow("3s");
      p.getSpec().setRoutes(List.of(slackRoute("chat", "slack-hook")));
      apply(p);
      awaitCondition("routed", Condition.Type.READY, "Connected");
      ResourceID id = new ResourceID("routed", ns);
      await().atMost(TIMEOUT).until(() -> routers.isRunning(id));

      // 200 identical alerts, persisted through the operator's alerts template: one group.
      Alert alert =
          Alert.builder(Instant.now(), "Stratum", 73)
              .message("Stratum mining session")
              .source("10.1.2.3", 40000)
              .destination("203.0.113.45", 3333)
              .transport("tcp")
              .sensor("sensor-01", "border-1")
              .build();
      String index =
          dev.vigil.common.schema.DataClass.ALERTS.indexName(
              "apit-r", Instant.now().toEpochMilli());
      StringBuilder bulk = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        bulk.append("{\"create\":{\"_index\":\"").append(index).append("\"}}\n");
        bulk.append(alert.toJsonLine(JSON)).append('\n');
      }
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(os() + "/_bulk?refresh=true"))
                  .header("Content-Type", "application/x-ndjson")
                  .POST(HttpRequest.BodyPublishers.ofString(bulk.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(json(r).path("errors").asBoolean()).as(r.body()).isFalse();

      await().atMost(TIMEOUT).until(() -> slack.size() >= 1);
      Thread.sleep(8000); // two more windows: nothing else is owed
      assertThat(slack).hasSize(1);
      assertThat(slack.get(0)).contains("200 alerts from").contains("Stratum");

      // Deleting the pipeline stops its router (indexed alerts stay).
      client.resources(AlertPipeline.class).inNamespace(ns).withName("routed").delete();
      await().atMost(TIMEOUT).until(() -> !routers.isRunning(id));
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void aRouteWhoseSecretIsMissingIsDegradedNamingItAndHeals() throws Exception {
    AlertPipeline p = pipeline("misrouted", "apit-m", "best_compression", null, os());
    p.getSpec().setRoutes(List.of(slackRoute("chat", "absent-hook")));
    apply(p);
    AlertPipeline d = awaitCondition("misrouted", Condition.Type.DEGRADED, "RouteInvalid");
    assertThat(Conditions.find(d.getStatus(), Condition.Type.DEGRADED).getMessage())
        .isEqualTo(
            "alert routes not applied: Secret 'absent-hook' does not exist in namespace '"
                + ns
                + "'; create it with key 'webhook-url' or fix spec.routes");
    secret("absent-hook", Map.of("webhook-url", "http://127.0.0.1:9/hook"));
    awaitCondition("misrouted", Condition.Type.READY, "Connected");
    assertThat(routers.isRunning(new ResourceID("misrouted", ns))).isTrue();
  }

  private static Route slackRoute(String name, String secret) {
    Route route = new Route();
    route.setName(name);
    SlackTarget target = new SlackTarget();
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(secret);
    ref.setKey("webhook-url");
    target.setWebhookSecretRef(ref);
    route.setSlack(target);
    return route;
  }

  private static String os() {
    return OpenSearchNodes.url();
  }

  private AlertPipeline pipeline(
      String name, String prefix, String codec, String secret, String endpoint) {
    AlertPipeline p =
        client
            .getKubernetesSerialization()
            .unmarshal(
                """
                apiVersion: vigil.dev/v1alpha1
                kind: AlertPipeline
                metadata: {name: %s}
                spec:
                  opensearch:
                    endpoints: [%s]
                    indexPrefix: %s
                    shards: 1
                    replicas: 0
                    codec: %s
                  retention:
                    conn: {days: 30, maxSize: 1Ti}
                """
                    .formatted(name, endpoint, prefix, codec),
                AlertPipeline.class);
    if (secret != null) {
      var ref = new dev.vigil.api.v1alpha1.SecretName();
      ref.setName(secret);
      p.getSpec().getOpensearch().setCredentialsSecretRef(ref);
    }
    p.getMetadata().setNamespace(ns);
    return p;
  }

  private void secret(String name, Map<String, String> data) {
    Secret s =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .endMetadata()
            .withStringData(data)
            .build();
    client.resource(s).inNamespace(ns).create();
  }

  private void apply(AlertPipeline p) {
    client.resource(p).inNamespace(ns).create();
  }

  private AlertPipeline get(String name) {
    return client.resources(AlertPipeline.class).inNamespace(ns).withName(name).get();
  }

  private AlertPipeline awaitCondition(String name, Condition.Type type, String reason) {
    dumpOnFailure(
        () ->
            await()
                .atMost(TIMEOUT)
                .untilAsserted(
                    () -> {
                      AlertPipeline p = get(name);
                      assertThat(p.getStatus()).isNotNull();
                      Condition c = Conditions.find(p.getStatus(), type);
                      assertThat(c).isNotNull();
                      assertThat(c.getStatus()).isEqualTo(Condition.Status.TRUE);
                      assertThat(c.getReason()).isEqualTo(reason);
                    }));
    return get(name);
  }

  private static void createIndexWithDoc(String index) throws Exception {
    HttpResponse<String> created =
        send(
            "PUT",
            "/" + index,
            "{\"settings\":{\"index\":{\"number_of_shards\":1,\"number_of_replicas\":0}}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    HttpResponse<String> doc =
        send("POST", "/" + index + "/_doc?refresh=true", "{\"ts\":1700000000.5,\"uid\":\"C1\"}");
    assertThat(doc.statusCode()).as(doc.body()).isEqualTo(201);
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(os() + path)).timeout(Duration.ofSeconds(30));
    if (body != null) {
      r.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      r.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private void dumpOnFailure(Runnable r) {
    try {
      r.run();
    } catch (AssertionError | RuntimeException e) {
      System.err.println(ClusterDump.dump(client, ns, "AlertPipelineIT"));
      throw e;
    }
  }
}
