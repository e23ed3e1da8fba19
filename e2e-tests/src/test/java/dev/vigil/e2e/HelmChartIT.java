package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Repo;
import dev.vigil.testing.TestNamespace;
import dev.vigil.testing.WithKubeApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** helm/vigil lints, renders, and installs into a real API server with least-privilege RBAC. */
@WithKubeApiServer
class HelmChartIT {

  private static final Path HELM =
      Path.of(System.getProperty("user.home"), ".cache/vigil/bin/helm-" + helmVersion() + "/helm");

  @Test
  void lints() throws Exception {
    assertThat(helm("lint", Repo.path("helm/vigil").toString())).contains("0 chart(s) failed");
  }

  @Test
  void valuesSchemaRejectsNonsense() throws Exception {
    Process p =
        new ProcessBuilder(
                HELM.toString(),
                "template",
                "x",
                Repo.path("helm/vigil").toString(),
                "--set",
                "replicas=0")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isNotZero();
    assertThat(out).contains("/replicas").contains("minimum");
  }

  @Test
  void shipsTheDashboardsAsConfigMaps(KubernetesClient client) throws Exception {
    String chart = Repo.path("helm/vigil").toString();
    List<HasMetadata> objects =
        load(
            client,
            helm("template", "vigil", chart, "--set", "dashboards.opensearch.indexPrefix=site"));
    ConfigMap grafana = configMap(objects, "vigil-operator-grafana-dashboard");
    assertThat(grafana.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(grafana.getData().get("vigil.json"))
        .isEqualTo(Files.readString(Repo.path("helm/vigil/dashboards/grafana/vigil.json")).strip());
    ConfigMap osd = configMap(objects, "vigil-operator-opensearch-dashboards");
    String ndjson = osd.getData().get("vigil.ndjson");
    assertThat(ndjson)
        .isEqualTo(
            Files.readString(Repo.path("helm/vigil/dashboards/opensearch/vigil.ndjson"))
                .strip()
                .replace("\"title\":\"vigil-", "\"title\":\"site-"));
    assertThat(ndjson).contains("\"title\":\"site-alerts-*\"").doesNotContain("\"title\":\"vigil-");
    assertThat(
            helm(
                "template",
                "vigil",
                chart,
                "--set",
                "dashboards.grafana.enabled=false",
                "--set",
                "dashboards.opensearch.enabled=false"))
        .doesNotContain("kind: ConfigMap");
  }

  private static List<HasMetadata> load(KubernetesClient client, String yaml) {
    return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  private static ConfigMap configMap(List<HasMetadata> objects, String name) {
    return objects.stream()
        .filter(o -> o instanceof ConfigMap && o.getMetadata().getName().equals(name))
        .map(ConfigMap.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
  }

  @Test
  void installsIntoTheApiServerWithLeastPrivilege(KubernetesClient client, TestNamespace ns)
      throws Exception {
    String pipelines = ns.name() + "-pipelines";
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(pipelines).endMetadata().build())
        .serverSideApply();
    try {
      installAndCheck(client, ns, pipelines);
    } finally {
      client.namespaces().withName(pipelines).delete();
    }
  }

  private static void installAndCheck(KubernetesClient client, TestNamespace ns, String pipelines)
      throws Exception {
    String rendered =
        helm(
            "template",
            "vigil",
            Repo.path("helm/vigil").toString(),
            "--namespace",
            ns.name(),
            "--include-crds",
            "--set",
            "serviceMonitor.enabled=false",
            "--set",
            "alertPipelineNamespaces={" + ns.name() + "," + pipelines + "}");
    List<HasMetadata> objects =
        client.load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items();
    List<HasMetadata> rest = new ArrayList<>();
    int crds = 0;
    for (HasMetadata o : objects) {
      if (o instanceof CustomResourceDefinition) {
        client.resource(o).forceConflicts().serverSideApply();
        crds++;
      } else {
        rest.add(o);
      }
    }
    assertThat(crds).isEqualTo(5);
    for (HasMetadata o : rest) {
      client.resource(o).forceConflicts().serverSideApply();
    }

    Deployment d =
        client.apps().deployments().inNamespace(ns.name()).withName("vigil-operator").get();
    var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();

    ClusterRole role = client.rbac().clusterRoles().withName("vigil-operator").get();
    assertThat(role.getRules())
        .allSatisfy(
            r -> {
              assertThat(r.getResources()).doesNotContain("*", "pods/exec");
              assertThat(r.getVerbs()).doesNotContain("*");
              // Secrets: never cluster-wide (Roles in the AlertPipeline namespaces only).
              assertThat(r.getResources()).doesNotContain("secrets");
            });

    String sa = "system:serviceaccount:" + ns.name() + ":vigil-operator";
    assertThat(allowed(client, sa, "apps", "statefulsets", "patch", "anywhere")).isTrue();
    assertThat(allowed(client, sa, "vigil.dev", "tapassignments/status", "patch", "x")).isTrue();
    // Secrets: get in the listed AlertPipeline namespaces only; list and watch never.
    for (String n : List.of(ns.name(), pipelines)) {
      assertThat(allowed(client, sa, "", "secrets", "get", n)).as("get secrets in " + n).isTrue();
      assertThat(allowed(client, sa, "", "secrets", "list", n)).isFalse();
      assertThat(allowed(client, sa, "", "secrets", "watch", n)).isFalse();
      assertThat(allowed(client, sa, "", "secrets", "create", n)).isFalse();
    }
    assertThat(allowed(client, sa, "", "secrets", "get", "anywhere")).isFalse();
    assertThat(allowed(client, sa, "", "secrets", "get", null)).isFalse();
    assertThat(allowed(client, sa, "", "nodes", "watch", null)).isTrue();
    assertThat(allowed(client, sa, "", "nodes", "patch", null)).isFalse();
    assertThat(allowed(client, sa, "coordination.k8s.io", "leases", "update", ns.name())).isTrue();
    assertThat(allowed(client, sa, "coordination.k8s.io", "leases", "update", "kube-system"))
        .isFalse();
  }

  private static boolean allowed(
      KubernetesClient client, String user, String group, String resource, String verb, String ns) {
    String[] parts = resource.split("/");
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(user)
            .withGroups("system:serviceaccounts", "system:authenticated")
            .withNewResourceAttributes()
            .withGroup(group)
            .withResource(parts[0])
            .withSubresource(parts.length > 1 ? parts[1] : null)
            .withVerb(verb)
            .withNamespace(ns)
            .endResourceAttributes()
            .endSpec()
            .build();
    return client
        .authorization()
        .v1()
        .subjectAccessReview()
        .create(review)
        .getStatus()
        .getAllowed();
  }

  private static String helm(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(HELM.toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("helm " + String.join(" ", args)).isZero();
    return out;
  }

  private static String helmVersion() {
    try {
      for (String line : Files.readAllLines(Repo.path("e2e-tests/cluster/versions.env"))) {
        if (line.startsWith("HELM_VERSION=")) {
          return line.substring("HELM_VERSION=".length()).trim();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("HELM_VERSION missing from versions.env");
  }
}
