package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.TestNamespace;
import dev.vigil.testing.WithKubeApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness gives each test class a real, Go-built kube-apiserver and its own namespace. */
@WithKubeApiServer
class KubeApiServerIT {

  @Test
  void createsAndReadsBackThroughFabric8(KubernetesClient client, TestNamespace ns) {
    client
        .configMaps()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("link-400g-a")
                .endMetadata()
                .withData(Map.of("speedGbps", "400", "source", "optical-tap"))
                .build())
        .create();

    ConfigMap read = client.configMaps().withName("link-400g-a").get();

    assertThat(read.getMetadata().getNamespace()).isEqualTo(ns.name());
    assertThat(read.getMetadata().getUid()).isNotBlank();
    assertThat(read.getData())
        .containsEntry("speedGbps", "400")
        .containsEntry("source", "optical-tap");
  }

  @Test
  void serverIsTheGoBuiltRelease(KubernetesClient client) {
    VersionInfo v = client.getKubernetesVersion();
    assertThat(v.getMajor()).isEqualTo("1");
    assertThat(v.getMinor()).isEqualTo("36");
    assertThat(v.getGitVersion()).startsWith("v1.36.");
  }

  @Test
  void namespaceIsFreshAndOwnedByThisClass(KubernetesClient client, TestNamespace ns) {
    assertThat(ns.name()).startsWith("kube-api-server-it-");
    assertThat(client.namespaces().withName(ns.name()).get().getStatus().getPhase())
        .isEqualTo("Active");
  }
}
