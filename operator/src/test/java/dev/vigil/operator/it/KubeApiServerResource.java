package dev.vigil.operator.it;

import dev.vigil.testing.KubeApiServerExtension;
import dev.vigil.testing.KubeApiServers;
import dev.vigil.testing.Repo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Points the operator under test at the shared real API server (Go-built kube-apiserver + etcd)
 * with Vigil's generated CRDs installed.
 */
public class KubeApiServerResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    try {
      Path kubeconfig = Files.createTempFile("vigil-operator-it", ".kubeconfig");
      Files.writeString(kubeconfig, KubeApiServers.kubeconfigYaml());
      try (KubernetesClient client = KubeApiServers.newClient(null)) {
        KubeApiServerExtension.applyCrds(client, Repo.path("crds"));
      }
      // Fabric8's auto-configuration (used by Quarkus' client) reads this property.
      System.setProperty("kubeconfig", kubeconfig.toString());
      return Map.of("quarkus.kubernetes-client.devservices.enabled", "false");
    } catch (Exception e) {
      throw new IllegalStateException("cannot prepare the API server for the operator", e);
    }
  }

  @Override
  public void stop() {}
}
