package dev.vigil.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real kube-apiserver + etcd per test JVM.
 *
 * <p>By default it starts the Go-built binaries of {@code e2e-tests/cluster/build-binaries.sh}
 * through Fabric8's kube-api-test in offline mode (nothing is downloaded). When the system property
 * or environment variable {@code VIGIL_IT_KUBECONFIG} names a kubeconfig, that cluster is used
 * instead (e.g. the one {@code make cluster-up} started, or a Kind cluster).
 */
public final class KubeApiServers {

  private static final Logger LOG = LoggerFactory.getLogger(KubeApiServers.class);

  /**
   * Kubernetes version of the cached binaries; keep in step with e2e-tests/cluster/versions.env.
   */
  public static final String DEFAULT_VERSION = "1.36.3";

  private static String kubeconfigYaml;
  private static KubeAPIServer server;

  private KubeApiServers() {}

  /** The kubeconfig (YAML) of the shared API server, starting it on first use. */
  public static synchronized String kubeconfigYaml() {
    if (kubeconfigYaml != null) {
      return kubeconfigYaml;
    }
    String external = setting("VIGIL_IT_KUBECONFIG");
    if (external != null && !external.isBlank()) {
      try {
        kubeconfigYaml = Files.readString(Path.of(external));
        LOG.info("Using the cluster of {}", external);
        return kubeconfigYaml;
      } catch (IOException e) {
        throw new IllegalStateException("cannot read VIGIL_IT_KUBECONFIG=" + external, e);
      }
    }
    String version = orDefault(setting("VIGIL_KUBE_VERSION"), DEFAULT_VERSION);
    Path dir =
        Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s", version + "-linux-amd64");
    if (!Files.isExecutable(dir.resolve("kube-apiserver"))
        || !Files.isExecutable(dir.resolve("etcd"))) {
      throw new IllegalStateException(
          "No Go-built kube-apiserver/etcd "
              + version
              + " in "
              + dir
              + ". Run 'make binaries' (e2e-tests/cluster/build-binaries.sh) first.");
    }
    LOG.info("Starting kube-apiserver {} + etcd from {}", version, dir);
    server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(true)
                .withApiServerVersion(version)
                .withUpdateKubeConfig(false)
                .withStartupTimeout(120_000)
                .build());
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "kube-apiserver-stop"));
    kubeconfigYaml = server.getKubeConfigYaml();
    return kubeconfigYaml;
  }

  /** A new client for the shared API server, optionally scoped to a namespace. */
  public static KubernetesClient newClient(String namespace) {
    Config config = Config.fromKubeconfig(kubeconfigYaml());
    if (namespace != null) {
      config.setNamespace(namespace);
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  static String setting(String name) {
    String v = System.getProperty(name);
    return v != null ? v : System.getenv(name);
  }

  private static String orDefault(String v, String d) {
    return v == null || v.isBlank() ? d : v;
  }
}
