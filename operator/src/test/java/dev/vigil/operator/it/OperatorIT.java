package dev.vigil.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.AlertPipeline;
import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.DetectorPolicy;
import dev.vigil.api.v1alpha1.HostAgent;
import dev.vigil.api.v1alpha1.SensorCluster;
import dev.vigil.api.v1alpha1.TapAssignment;
import dev.vigil.operator.status.Conditions;
import dev.vigil.testing.ClusterDump;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator running in-process against a real kube-apiserver: create → children with the
 * pinning, privilege and mount fields; update and scale → children follow; a missing reference →
 * Degraded, healed by creating it; at rest → no writes.
 */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
class OperatorIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static String ns;

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  @Inject KubernetesClient client;

  @BeforeEach
  void namespace() {
    if (ns == null) {
      ns = "operator-it-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36);
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    if (client.nodes().withName("sensor-01").get() == null) {
      client
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName("sensor-01").endMetadata().build())
          .create();
    }
  }

  @Test
  void tapBecomesPinnedSensorWorkersAndScalesThroughTheScaleSubresource() {
    apply(sensorCluster("core"));
    apply(tap("border-a", "core", "ens1f0", 2));

    StatefulSet sts = awaitResource(StatefulSet.class, "border-a-sensor");
    var pod = sts.getSpec().getTemplate().getSpec();
    assertThat(sts.getSpec().getReplicas()).isEqualTo(2);
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getContainers().get(0).getSecurityContext().getCapabilities().getAdd())
        .containsExactlyInAnyOrder("NET_RAW", "NET_ADMIN", "IPC_LOCK", "SYS_NICE");
    assertThat(sts.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("TapAssignment"));
    ConfigMap config = awaitResource(ConfigMap.class, "border-a-sensor-config");
    assertThat(config.getData().get("sensor.json")).contains("\"interfaceName\" : \"ens1f0\"");

    // kubectl scale tapassignment/border-a --replicas=5
    client.resources(TapAssignment.class).inNamespace(ns).withName("border-a").scale(5);
    eventually(
        () ->
            assertThat(get(StatefulSet.class, "border-a-sensor").getSpec().getReplicas())
                .isEqualTo(5));

    // A config change rolls the pods: the template's config hash changes.
    String hash =
        sts.getSpec().getTemplate().getMetadata().getAnnotations().get("vigil.dev/config-hash");
    // A merge patch without resourceVersion, as kubectl patch does: the operator's status writes
    // must not make a user's spec change conflict.
    client
        .resources(TapAssignment.class)
        .inNamespace(ns)
        .withName("border-a")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"bpfFilter\":\"not port 22\"}}");
    eventually(
        () ->
            assertThat(
                    get(StatefulSet.class, "border-a-sensor")
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations()
                        .get("vigil.dev/config-hash"))
                .isNotEqualTo(hash));

    eventually(
        () -> {
          TapAssignment s = get(TapAssignment.class, "border-a");
          assertThat(s.getStatus()).isNotNull();
          assertThat(s.getStatus().getObservedGeneration())
              .isEqualTo(s.getMetadata().getGeneration());
          assertThat(s.getStatus().getSelector()).contains("vigil.dev/tap=border-a");
          assertThat(Conditions.isTrue(s.getStatus(), Condition.Type.PROGRESSING)).isTrue();
        });
  }

  @Test
  void missingSensorClusterIsDegradedAndHealsWhenCreated() {
    apply(tap("orphan", "not-yet", "ens2f0", 1));
    eventually(
        () -> {
          TapAssignment t = get(TapAssignment.class, "orphan");
          Condition d = Conditions.find(t.getStatus(), Condition.Type.DEGRADED);
          assertThat(d).isNotNull();
          assertThat(d.getStatus()).isEqualTo(Condition.Status.TRUE);
          assertThat(d.getReason()).isEqualTo("SensorClusterMissing");
          assertThat(d.getMessage())
              .isEqualTo(
                  "SensorCluster 'not-yet' does not exist in namespace '"
                      + ns
                      + "'; create it or fix spec.sensorCluster");
        });
    assertThat(client.apps().statefulSets().inNamespace(ns).withName("orphan-sensor").get())
        .isNull();

    apply(sensorCluster("not-yet"));
    awaitResource(StatefulSet.class, "orphan-sensor");
    eventually(
        () ->
            assertThat(
                    Conditions.isTrue(
                        get(TapAssignment.class, "orphan").getStatus(), Condition.Type.DEGRADED))
                .isFalse());
  }

  @Test
  void missingNodeIsDegradedAndHealsWhenTheNodeJoins() {
    apply(sensorCluster("far"));
    TapAssignment t = tap("far-link", "far", "ens5f0", 1);
    t.getSpec().setNodeName("sensor-99");
    apply(t);
    eventually(
        () -> {
          Condition d =
              Conditions.find(
                  get(TapAssignment.class, "far-link").getStatus(), Condition.Type.DEGRADED);
          assertThat(d).isNotNull();
          assertThat(d.getReason()).isEqualTo("NodeMissing");
          assertThat(d.getMessage())
              .isEqualTo(
                  "node 'sensor-99' does not exist; fix spec.nodeName or join the"
                      + " sensor node to the cluster");
        });
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName("sensor-99").endMetadata().build())
        .create();
    eventually(
        () ->
            assertThat(
                    Conditions.isTrue(
                        get(TapAssignment.class, "far-link").getStatus(), Condition.Type.DEGRADED))
                .isFalse());
  }

  @Test
  void sensorsGetTheirPipelinesEndpointAndCredentialsAsFiles() {
    SensorCluster sc = sensorCluster("wired");
    sc.getSpec().getAlertPipelineRef().setName("wired-pipe");
    apply(sc);
    apply(tap("wired-link", "wired", "ens6f0", 1));
    eventually(
        () -> {
          Condition d =
              Conditions.find(
                  get(SensorCluster.class, "wired").getStatus(), Condition.Type.DEGRADED);
          assertThat(d).isNotNull();
          assertThat(d.getReason()).isEqualTo("AlertPipelineMissing");
          assertThat(d.getMessage())
              .isEqualTo(
                  "AlertPipeline 'wired-pipe' does not exist in namespace '"
                      + ns
                      + "'; sensors write local logs only until it does");
        });
    apply(
        load(
            AlertPipeline.class,
            """
            apiVersion: vigil.dev/v1alpha1
            kind: AlertPipeline
            metadata: {name: wired-pipe}
            spec:
              opensearch:
                endpoints: ["http://127.0.0.1:9"]
                credentialsSecretRef: {name: os-creds}
                indexPrefix: hpc
            """));
    awaitResource(StatefulSet.class, "wired-link-sensor");
    eventually(
        () -> {
          var pod = get(StatefulSet.class, "wired-link-sensor").getSpec().getTemplate().getSpec();
          var c = pod.getContainers().get(0);
          assertThat(String.join(" ", c.getArgs()))
              .contains("--opensearch http://127.0.0.1:9")
              .contains("--index-prefix hpc")
              .contains("--opensearch-password-file /etc/vigil/opensearch/credentials/password");
          assertThat(c.getEnv())
              .anySatisfy(
                  e -> {
                    assertThat(e.getName()).isEqualTo("VIGIL_OPENSEARCH_USER");
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("os-creds");
                  });
          assertThat(pod.getVolumes())
              .anySatisfy(
                  v -> {
                    assertThat(v.getSecret()).isNotNull();
                    assertThat(v.getSecret().getSecretName()).isEqualTo("os-creds");
                  });
          assertThat(
                  Conditions.find(
                          get(SensorCluster.class, "wired").getStatus(), Condition.Type.DEGRADED)
                      .getStatus())
              .isEqualTo(Condition.Status.FALSE);
        });
  }

  @Test
  void hostAgentBecomesDaemonSetWithTenPercentRollout() {
    apply(
        load(
            HostAgent.class,
            """
            apiVersion: vigil.dev/v1alpha1
            kind: HostAgent
            metadata: {name: compute}
            spec:
              image: registry.example/vigil/agent:1.0
              nodeSelector: {partition: compute}
              detectorPolicySelector: {matchLabels: {site: test}}
              alertPipelineRef: {name: main}
            """));
    DaemonSet ds = awaitResource(DaemonSet.class, "compute-agent");
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable())
        .isEqualTo(new IntOrString("10%"));
    assertThat(ds.getSpec().getTemplate().getSpec().getHostPID()).isTrue();
  }

  @Test
  void policyIsCompiledAndMountedIntoSelectedSensors() {
    apply(sensorCluster("policed"));
    apply(tap("policed-link", "policed", "ens3f0", 1));
    apply(
        load(
            DetectorPolicy.class,
            """
            apiVersion: vigil.dev/v1alpha1
            kind: DetectorPolicy
            metadata: {name: baseline, labels: {site: test}}
            spec:
              mode: shadow
            """));
    ConfigMap compiled = awaitResource(ConfigMap.class, "baseline-policy");
    assertThat(compiled.getData().get("baseline.json")).contains("\"mode\" : \"shadow\"");
    eventually(
        () -> {
          var pod = get(StatefulSet.class, "policed-link-sensor").getSpec().getTemplate().getSpec();
          assertThat(
                  pod.getVolumes().stream()
                      .filter(v -> v.getProjected() != null)
                      .flatMap(v -> v.getProjected().getSources().stream())
                      .map(s -> s.getConfigMap().getName()))
              .containsExactly("baseline-policy");
          assertThat(get(SensorCluster.class, "policed").getStatus().getAppliedPolicies())
              .containsExactly("baseline");
          assertThat(get(DetectorPolicy.class, "baseline").getStatus().getAppliedTo())
              .contains("SensorCluster/policed");
        });
  }

  @Test
  void internetNodesAreRenderedIntoThePolicyAndFollowNodeLabels() throws Exception {
    for (String n : List.of("login-1", "login-2", "cn-0001")) {
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(n)
                  .addToLabels("role", n.startsWith("login") ? "login" : "compute")
                  .endMetadata()
                  .build())
          .create();
    }
    apply(
        load(
            DetectorPolicy.class,
            """
            apiVersion: vigil.dev/v1alpha1
            kind: DetectorPolicy
            metadata: {name: egress}
            spec:
              mode: enforce
              connectBack:
                internetNodeSelector: {matchLabels: {role: login}}
            """));
    eventually(() -> assertThat(internetNodes("egress")).containsExactly("login-1", "login-2"));
    // A node relabelled into the selector joins the list; one deleted leaves it.
    client
        .nodes()
        .withName("cn-0001")
        .edit(
            n -> {
              n.getMetadata().getLabels().put("role", "login");
              return n;
            });
    client.nodes().withName("login-2").delete();
    eventually(() -> assertThat(internetNodes("egress")).containsExactly("cn-0001", "login-1"));
  }

  private List<String> internetNodes(String policy) throws Exception {
    ConfigMap cm = get(ConfigMap.class, policy + "-policy");
    assertThat(cm).isNotNull();
    var doc = JSON.readTree(cm.getData().get(policy + ".json"));
    assertThat(doc.has("internetNodes")).isTrue();
    List<String> names = new java.util.ArrayList<>();
    doc.get("internetNodes").forEach(n -> names.add(n.asText()));
    return names;
  }

  @Test
  void malformedTrailIsDegradedNamingTheLineAndHealsWhenFixed() {
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("feed")
                .endMetadata()
                .addToData("bad.txt", "pool.example\n203.0.113.7 extra words\n")
                .build())
        .create();
    apply(
        load(
            DetectorPolicy.class,
            """
            apiVersion: vigil.dev/v1alpha1
            kind: DetectorPolicy
            metadata: {name: feeds}
            spec:
              mode: enforce
              trails:
                configMaps: [{name: feed}]
            """));
    eventually(
        () -> {
          var st = get(DetectorPolicy.class, "feeds").getStatus();
          Condition d = Conditions.find(st, Condition.Type.DEGRADED);
          assertThat(d).isNotNull();
          assertThat(d.getStatus()).isEqualTo(Condition.Status.TRUE);
          assertThat(d.getMessage())
              .isEqualTo(
                  "trail ConfigMap 'feed' key 'bad.txt' line 2: '203.0.113.7 extra"
                      + " words' is not an IP, IP:port, CIDR, domain or URL; the last"
                      + " good policy stays active");
          assertThat(st.getRejectedTrailEntries()).isEqualTo(1L);
        });
    client
        .configMaps()
        .inNamespace(ns)
        .withName("feed")
        .edit(
            cm -> {
              cm.getData().put("bad.txt", "pool.example\n203.0.113.7\n");
              return cm;
            });
    eventually(
        () -> {
          var st = get(DetectorPolicy.class, "feeds").getStatus();
          assertThat(Conditions.isTrue(st, Condition.Type.READY)).isTrue();
          assertThat(st.getTrailEntries()).isEqualTo(2L);
          assertThat(get(ConfigMap.class, "feeds-policy").getData().get("feeds.json"))
              .contains("\"value\" : \"203.0.113.7\"");
        });
  }

  @Test
  void atRestTheOperatorWritesNothing() throws Exception {
    apply(sensorCluster("quiet"));
    apply(tap("quiet-link", "quiet", "ens4f0", 3));
    awaitResource(StatefulSet.class, "quiet-link-sensor");
    eventually(
        () -> assertThat(get(SensorCluster.class, "quiet").getStatus().getLinks()).isEqualTo(1));
    Thread.sleep(3000); // let the last status patches land
    Map<String, String> before = versions();
    Thread.sleep(20_000);
    assertThat(versions()).isEqualTo(before);
  }

  private Map<String, String> versions() {
    Map<String, String> v = new LinkedHashMap<>();
    for (var r : client.resources(TapAssignment.class).inNamespace(ns).list().getItems()) {
      v.put("tap/" + r.getMetadata().getName(), r.getMetadata().getResourceVersion());
    }
    for (var r : client.resources(SensorCluster.class).inNamespace(ns).list().getItems()) {
      v.put("sc/" + r.getMetadata().getName(), r.getMetadata().getResourceVersion());
    }
    for (var r : client.apps().statefulSets().inNamespace(ns).list().getItems()) {
      v.put("sts/" + r.getMetadata().getName(), r.getMetadata().getResourceVersion());
    }
    for (var r : client.configMaps().inNamespace(ns).list().getItems()) {
      v.put("cm/" + r.getMetadata().getName(), r.getMetadata().getResourceVersion());
    }
    return v;
  }

  private SensorCluster sensorCluster(String name) {
    return load(
        SensorCluster.class,
        """
        apiVersion: vigil.dev/v1alpha1
        kind: SensorCluster
        metadata: {name: %s}
        spec:
          image: registry.example/vigil/sensor:1.0
          capture: {mode: afpacket}
          resources: {cpus: 2, memory: 4Gi}
          internalNetworks: [10.0.0.0/8]
          detectorPolicySelector: {matchLabels: {site: test}}
          alertPipelineRef: {name: main}
        """
            .formatted(name));
  }

  private TapAssignment tap(String name, String cluster, String iface, int workers) {
    return load(
        TapAssignment.class,
        """
        apiVersion: vigil.dev/v1alpha1
        kind: TapAssignment
        metadata: {name: %s}
        spec:
          sensorCluster: %s
          link: {name: %s, speedGbps: 100, source: opticalTap}
          nodeName: sensor-01
          interface: {name: %s}
          workers: %d
        """
            .formatted(name, cluster, name, iface, workers));
  }

  private <T extends HasMetadata> T load(Class<T> type, String yaml) {
    T r = client.getKubernetesSerialization().unmarshal(yaml, type);
    r.getMetadata().setNamespace(ns);
    return r;
  }

  private void apply(HasMetadata r) {
    client.resource(r).inNamespace(ns).create();
  }

  private <T extends HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace(ns).withName(name).get();
  }

  private <T extends HasMetadata> T awaitResource(Class<T> type, String name) {
    dumpOnFailure(() -> await().atMost(TIMEOUT).until(() -> get(type, name) != null));
    return get(type, name);
  }

  /** Retries {@code assertion} until it holds or TIMEOUT passes; dumps the namespace if not. */
  private void eventually(ThrowingRunnable assertion) {
    dumpOnFailure(() -> await().atMost(TIMEOUT).untilAsserted(assertion));
  }

  private void dumpOnFailure(Runnable r) {
    try {
      r.run();
    } catch (AssertionError | RuntimeException e) {
      System.err.println(ClusterDump.dump(client, ns, "OperatorIT"));
      throw e;
    }
  }
}
