package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.ClusterDump;
import dev.vigil.testing.OpenSearchEndpoint;
import dev.vigil.testing.Repo;
import dev.vigil.testing.Scripts;
import dev.vigil.testing.WithOpenSearch;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example site as a user runs it: local control plane with kwok nodes, the operator as a
 * process ({@code make operator-up}), {@code kubectl apply -f examples/}. Every object becomes
 * Ready at its current generation (the example AlertPipeline pointed at a real OpenSearch node: the
 * example's endpoints are a site's Service names); deleting a TapAssignment garbage-collects its
 * sensors; a HostAgent's change rolls into its DaemonSet and deleting it collects the DaemonSet; a
 * restarted operator writes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@WithOpenSearch
class ExampleSiteIT {

  private static final List<String> KINDS =
      List.of("SensorCluster", "TapAssignment", "HostAgent", "DetectorPolicy", "AlertPipeline");

  private static final String NS = "site";
  @TempDir static Path state;
  static Map<String, String> env = new HashMap<>();
  static KubernetesClient client;

  @BeforeAll
  static void up() throws Exception {
    env.put("VIGIL_CLUSTER_STATE", state.resolve("cluster").toString());
    env.put("VIGIL_APISERVER_PORT", Integer.toString(Scripts.freePort()));
    env.put("VIGIL_ETCD_PORT", Integer.toString(Scripts.freePort()));
    env.put("VIGIL_OPERATOR_STATE", state.resolve("operator").toString());
    env.put("VIGIL_OPERATOR_PORT", Integer.toString(Scripts.freePort()));
    String out =
        Scripts.run(env, "e2e-tests/cluster/cluster-up.sh", "--with-nodes", "--nodes", "0");
    String kubeconfig = Scripts.lastLine(out).substring("KUBECONFIG=".length());
    env.put("KUBECONFIG", kubeconfig);
    Scripts.run(env, "e2e-tests/cluster/demo-nodes.sh", kubeconfig, "5");
    Scripts.run(env, "scripts/operator-up.sh");
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(Path.of(kubeconfig))))
            .build();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
  }

  @AfterAll
  static void down() {
    try {
      if (client != null) {
        client.close();
      }
      Scripts.run(env, "scripts/operator-down.sh");
    } finally {
      Scripts.run(env, "e2e-tests/cluster/cluster-down.sh");
    }
  }

  @Test
  @Order(1)
  void everyExampleObjectBecomesReadyAtItsCurrentGeneration(OpenSearchEndpoint opensearch)
      throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(Repo.path("examples"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        for (HasMetadata r : client.load(in).items()) {
          r.getMetadata().setNamespace(NS);
          if ("AlertPipeline".equals(r.getKind())) {
            r = atNode(r, opensearch);
          }
          client.resource(r).inNamespace(NS).forceConflicts().serverSideApply();
        }
      }
    }
    waitFor("every Vigil object Ready at its current generation", () -> notReady().isEmpty(), 180);
    assertThat(count("TapAssignment")).isEqualTo(5);
    assertThat(status("AlertPipeline", "site").get("connected")).isEqualTo(Boolean.TRUE);
  }

  /**
   * The example pipeline with the test node as its only endpoint and no CA (the node speaks plain
   * HTTP); everything else (credentials Secret, retention, routes) as the example has it.
   */
  @SuppressWarnings("unchecked")
  private static HasMetadata atNode(HasMetadata example, OpenSearchEndpoint opensearch) {
    GenericKubernetesResource g =
        client.getKubernetesSerialization().convertValue(example, GenericKubernetesResource.class);
    Map<String, Object> os =
        (Map<String, Object>)
            ((Map<String, Object>) g.getAdditionalProperties().get("spec")).get("opensearch");
    os.put("endpoints", List.of(opensearch.url().toString().replaceAll("/$", "")));
    os.remove("caSecretRef");
    return g;
  }

  @Test
  @Order(2)
  void deletingATapGarbageCollectsItsSensors() throws Exception {
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("border-4-sensor").get())
        .isNotNull();
    client
        .genericKubernetesResources("vigil.dev/v1alpha1", "TapAssignment")
        .inNamespace(NS)
        .withName("border-4")
        .delete();
    waitFor(
        "border-4's StatefulSet and ConfigMap garbage-collected",
        () ->
            client.apps().statefulSets().inNamespace(NS).withName("border-4-sensor").get() == null
                && client.configMaps().inNamespace(NS).withName("border-4-sensor-config").get()
                    == null,
        90);
    waitFor(
        "SensorCluster border-afpacket counts 3 links",
        () -> Integer.valueOf(3).equals(status("SensorCluster", "border-afpacket").get("links")),
        60);
  }

  @Test
  @Order(3)
  void aHostAgentChangeRollsItsDaemonSetAndDeletingItCollectsIt() throws Exception {
    String ds = "compute-cpu-agent";
    assertThat(client.apps().daemonSets().inNamespace(NS).withName(ds).get()).isNotNull();
    client
        .genericKubernetesResources("vigil.dev/v1alpha1", "HostAgent")
        .inNamespace(NS)
        .withName("compute-cpu")
        .edit(
            r -> {
              @SuppressWarnings("unchecked")
              Map<String, Object> spec =
                  (Map<String, Object>) r.getAdditionalProperties().get("spec");
              spec.put("image", "registry.example/vigil/agent:0.1.1");
              spec.put("rollout", Map.of("maxUnavailable", "25%"));
              return r;
            });
    waitFor(
        "DaemonSet " + ds + " rolled to agent 0.1.1 with 25% unavailable",
        () -> {
          var d = client.apps().daemonSets().inNamespace(NS).withName(ds).get();
          return d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getImage()
                  .equals("registry.example/vigil/agent:0.1.1")
              && "25%"
                  .equals(
                      d.getSpec()
                          .getUpdateStrategy()
                          .getRollingUpdate()
                          .getMaxUnavailable()
                          .getStrVal());
        },
        60);
    waitFor(
        "HostAgent compute-cpu Ready at its new generation",
        () -> !notReady().contains("HostAgent/compute-cpu"),
        90);
    client
        .genericKubernetesResources("vigil.dev/v1alpha1", "HostAgent")
        .inNamespace(NS)
        .withName("compute-cpu")
        .delete();
    waitFor(
        "DaemonSet " + ds + " garbage-collected",
        () -> client.apps().daemonSets().inNamespace(NS).withName(ds).get() == null,
        90);
  }

  @Test
  @Order(4)
  void aRestartedOperatorWritesNothing() throws Exception {
    Scripts.run(env, "scripts/operator-down.sh");
    Scripts.run(env, "scripts/operator-up.sh");
    Thread.sleep(5_000); // informers synced, first reconcile of everything done
    Map<String, String> before = versions();
    // The measure: no write in 60 s at rest after a restart (each object's
    // resourceVersion, each workload's generation).
    Thread.sleep(60_000);
    assertThat(versions()).isEqualTo(before);
  }

  private static List<String> notReady() {
    List<String> out = new ArrayList<>();
    for (String kind : KINDS) {
      for (GenericKubernetesResource r :
          client
              .genericKubernetesResources("vigil.dev/v1alpha1", kind)
              .inNamespace(NS)
              .list()
              .getItems()) {
        Map<String, Object> st = statusOf(r);
        Object observed = st.get("observedGeneration");
        boolean current =
            observed instanceof Number n && n.longValue() == r.getMetadata().getGeneration();
        boolean ready =
            st.get("conditions") instanceof List<?> cs
                && cs.stream()
                    .anyMatch(
                        c ->
                            c instanceof Map<?, ?> m
                                && "Ready".equals(m.get("type"))
                                && "True".equals(m.get("status")));
        if (!current || !ready) {
          out.add(kind + "/" + r.getMetadata().getName());
        }
      }
    }
    return out;
  }

  private static Map<String, String> versions() {
    Map<String, String> v = new LinkedHashMap<>();
    for (String kind : KINDS) {
      for (var r :
          client
              .genericKubernetesResources("vigil.dev/v1alpha1", kind)
              .inNamespace(NS)
              .list()
              .getItems()) {
        v.put(kind + "/" + r.getMetadata().getName(), r.getMetadata().getResourceVersion());
      }
    }
    client
        .apps()
        .statefulSets()
        .inNamespace(NS)
        .list()
        .getItems()
        .forEach(
            r -> v.put("sts/" + r.getMetadata().getName(), r.getMetadata().getGeneration() + ""));
    client
        .apps()
        .daemonSets()
        .inNamespace(NS)
        .list()
        .getItems()
        .forEach(
            r -> v.put("ds/" + r.getMetadata().getName(), r.getMetadata().getGeneration() + ""));
    client
        .configMaps()
        .inNamespace(NS)
        .list()
        .getItems()
        .forEach(
            r -> v.put("cm/" + r.getMetadata().getName(), r.getMetadata().getResourceVersion()));
    return v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> statusOf(GenericKubernetesResource r) {
    Object s = r.getAdditionalProperties().get("status");
    return s instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static Map<String, Object> status(String kind, String name) {
    return statusOf(
        client
            .genericKubernetesResources("vigil.dev/v1alpha1", kind)
            .inNamespace(NS)
            .withName(name)
            .get());
  }

  private static int count(String kind) {
    return client
        .genericKubernetesResources("vigil.dev/v1alpha1", kind)
        .inNamespace(NS)
        .list()
        .getItems()
        .size();
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void waitFor(String what, Check check, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (check.ok()) {
        return;
      }
      Thread.sleep(1000);
    }
    System.err.println(ClusterDump.dump(client, NS, "ExampleSiteIT: " + what));
    System.err.println("not ready: " + notReady());
    throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
  }
}
