package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Scripts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code make cluster-up} / {@code cluster-down} as a user runs them: the scripts start etcd,
 * kube-apiserver, controller-manager, scheduler and kwok on free ports in a private state dir; the
 * cluster garbage-collects owned objects and schedules pods onto kwok nodes; cluster-down leaves
 * none of the processes it started.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {

  @TempDir static Path state;
  static Map<String, String> env;
  static KubernetesClient client;
  static List<Long> pids = new ArrayList<>();

  @BeforeAll
  static void up() throws Exception {
    env =
        Map.of(
            "VIGIL_CLUSTER_STATE", state.resolve("cluster").toString(),
            "VIGIL_APISERVER_PORT", Integer.toString(Scripts.freePort()),
            "VIGIL_ETCD_PORT", Integer.toString(Scripts.freePort()));
    String out = Scripts.run(env, "e2e-tests/cluster/cluster-up.sh", "--nodes", "2");
    String last = Scripts.lastLine(out);
    assertThat(last).startsWith("KUBECONFIG=");
    Path kubeconfig = Path.of(last.substring("KUBECONFIG=".length()));
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
            .build();
    try (Stream<Path> files = Files.list(state.resolve("cluster/pids"))) {
      for (Path f : files.toList()) {
        pids.add(Long.parseLong(Files.readString(f).strip()));
      }
    }
  }

  @AfterAll
  static void down() {
    if (client != null) {
      client.close();
    }
    Scripts.run(env, "e2e-tests/cluster/cluster-down.sh");
  }

  @Test
  @Order(1)
  void readyzIsOk() {
    assertThat(client.raw("/readyz")).isEqualTo("ok");
    assertThat(pids).hasSize(5);
  }

  @Test
  @Order(2)
  void controllerManagerGarbageCollectsOwnedObjects() {
    ConfigMap owner =
        client
            .configMaps()
            .inNamespace("default")
            .resource(
                new ConfigMapBuilder().withNewMetadata().withName("owner").endMetadata().build())
            .create();
    client
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("child")
                .addNewOwnerReference()
                .withApiVersion("v1")
                .withKind("ConfigMap")
                .withName("owner")
                .withUid(owner.getMetadata().getUid())
                .endOwnerReference()
                .endMetadata()
                .build())
        .create();
    client.configMaps().inNamespace("default").withName("owner").delete();
    client
        .configMaps()
        .inNamespace("default")
        .withName("child")
        .waitUntilCondition(cm -> cm == null, 90, TimeUnit.SECONDS);
  }

  @Test
  @Order(3)
  void schedulerPlacesPodsOnKwokNodesWhichRunThem() {
    assertThat(client.nodes().list().getItems()).hasSize(2);
    client
        .pods()
        .inNamespace("default")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("sensor-probe")
                .endMetadata()
                .withNewSpec()
                .addNewToleration()
                .withOperator("Exists")
                .endToleration()
                .addNewContainer()
                .withName("c")
                .withImage("vigil/sensor:dev")
                .endContainer()
                .endSpec()
                .build())
        .create();
    Pod running =
        client
            .pods()
            .inNamespace("default")
            .withName("sensor-probe")
            .waitUntilCondition(
                p -> p != null && "Running".equals(p.getStatus().getPhase()), 90, TimeUnit.SECONDS);
    assertThat(running.getSpec().getNodeName()).startsWith("vigil-node-");
  }

  @Test
  @Order(4)
  void clusterDownLeavesNoProcessBehind() throws Exception {
    client.close();
    client = null;
    Scripts.run(env, "e2e-tests/cluster/cluster-down.sh");
    for (long pid : pids) {
      assertThat(running(pid)).as("pid %d still running after cluster-down", pid).isFalse();
    }
  }

  /** True while the process exists and is not a zombie waiting for init to reap it. */
  private static boolean running(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return false;
    }
    String s;
    try {
      s = Files.readString(stat);
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    }
    // Field 3, after "(comm)", is the state.
    return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
  }
}
