package dev.vigil.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.api.v1alpha1.status.TapAssignmentStatus;
import dev.vigil.testing.KubeApiServers;
import dev.vigil.testing.Repo;
import dev.vigil.testing.TestNamespace;
import dev.vigil.testing.WithKubeApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a person does with kubectl, against the real API server: get, scale, explain. */
@ExtendWith(EstablishedCrds.class)
@WithKubeApiServer(crds = "crds")
class KubectlIT {

  private static Path kubectl;
  private static Path kubeconfig;
  private static String namespace;

  @BeforeAll
  static void setUp(TestNamespace ns) throws Exception {
    kubectl =
        Path.of(
            System.getProperty("user.home"),
            ".kubeapitest/k8s",
            KubeApiServers.DEFAULT_VERSION + "-linux-amd64",
            "kubectl");
    assumeTrue(Files.isExecutable(kubectl), "no kubectl at " + kubectl);
    kubeconfig = Files.createTempFile("vigil-kubectl-it", ".kubeconfig");
    Files.writeString(kubeconfig, KubeApiServers.kubeconfigYaml());
    namespace = ns.name();
    run("apply", "-f", Repo.path("examples").toString());
  }

  @Test
  void getVigilListsEveryKind() throws Exception {
    String out = run("get", "vigil", "-o", "name");
    assertThat(out.lines().map(l -> l.substring(0, l.indexOf('/'))).distinct())
        .containsExactlyInAnyOrder(
            "sensorcluster.vigil.dev",
            "tapassignment.vigil.dev",
            "hostagent.vigil.dev",
            "detectorpolicy.vigil.dev",
            "alertpipeline.vigil.dev");
  }

  @Test
  void tapAssignmentsShowLinkNodeAndWorkers(KubernetesClient client) throws Exception {
    TapAssignment tap = client.resources(TapAssignment.class).withName("wan-400g").get();
    Condition ready = new Condition();
    ready.setType(Condition.Type.READY);
    ready.setStatus(Condition.Status.TRUE);
    ready.setReason("WorkersCapturing");
    ready.setLastTransitionTime("2026-11-23T12:00:00Z");
    tap.setStatus(new TapAssignmentStatus());
    tap.getStatus().setReadyWorkers(20);
    tap.getStatus().setConditions(List.of(ready));
    client.resource(tap).updateStatus();

    List<String> lines = run("get", "tap", "wan-400g").lines().toList();
    assertThat(lines.get(0).split("\\s+"))
        .containsExactly("NAME", "LINK", "GBPS", "NODE", "DESIRED", "WORKERS", "READY", "AGE");
    assertThat(lines.get(1).split("\\s+"))
        .startsWith("wan-400g", "wan-400g", "400", "sensor-03", "24", "20", "True");
  }

  @Test
  void kubectlScaleChangesWorkers() throws Exception {
    assertThat(run("scale", "tapassignment/border-4", "--replicas=12"))
        .contains("tapassignment.vigil.dev/border-4 scaled");
    assertThat(run("get", "tap", "border-4", "-o", "jsonpath={.spec.workers}")).isEqualTo("12");
  }

  @Test
  void explainTeachesTheFields() throws Exception {
    String out = run("explain", "tapassignment.spec.workers");
    assertThat(out).contains("Sensor workers for this link (1-64)");
    assertThat(run("explain", "sensorcluster.spec"))
        .contains("Configuration shared by every TapAssignment");
  }

  private static String run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(kubectl.toString());
    cmd.add("--kubeconfig=" + kubeconfig);
    cmd.add("--namespace=" + namespace);
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl %s finished", args[0]).isTrue();
    assertThat(p.exitValue()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
    return out;
  }
}
