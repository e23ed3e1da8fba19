package dev.vigil.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentDaemonSetTest {

  @Test
  void defaultRolloutIsTenPercentNotOneNode() {
    DaemonSet ds = AgentDaemonSet.desired(Fixtures.hostAgent(""), List.of());
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable())
        .isEqualTo(new IntOrString("10%"));
  }

  @Test
  void argumentsAreTheAgentsOwnCli() {
    var c =
        AgentDaemonSet.desired(Fixtures.hostAgent("samplingInterval: 500ms"), List.of())
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(c.getArgs())
        .containsSequence("--sample-interval-ms", "500")
        .containsSequence("--policy-dir", "/etc/vigil/policies")
        .containsSequence("--cgroup-root", "/host/sys/fs/cgroup")
        .containsSequence("--node", "$(VIGIL_NODE)");
    assertThat(AgentDaemonSet.intervalMillis("2m")).isEqualTo(120_000);
    assertThat(AgentDaemonSet.intervalMillis("1s")).isEqualTo(1000);
  }

  @Test
  void rolloutFromSpec() {
    DaemonSet ds =
        AgentDaemonSet.desired(Fixtures.hostAgent("rollout: {maxUnavailable: 250}"), List.of());
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable())
        .isEqualTo(new IntOrString(250));
  }

  @Test
  void hostPidReadOnlyHostMountsAndNamedCapabilitiesOnly() {
    DaemonSet ds = AgentDaemonSet.desired(Fixtures.hostAgent(""), List.of("p-policy"));
    var pod = ds.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);

    assertThat(pod.getHostPID()).isTrue();
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(pod.getNodeSelector()).containsEntry("partition", "compute");
    assertThat(c.getSecurityContext().getPrivileged()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getAdd())
        .containsExactlyInAnyOrder(
            "BPF", "PERFMON", "SYS_RESOURCE", "SYS_PTRACE", "DAC_READ_SEARCH");
    assertThat(pod.getVolumes().stream().filter(v -> v.getHostPath() != null))
        .extracting(v -> v.getHostPath().getPath())
        .containsExactlyInAnyOrder(
            "/sys/kernel/btf",
            "/sys/kernel/tracing",
            "/sys/fs/cgroup",
            "/proc",
            "/etc/passwd",
            "/var/log/pods");
    assertThat(c.getVolumeMounts().stream().filter(m -> !m.getName().equals("events")))
        .allSatisfy(m -> assertThat(m.getReadOnly()).as(m.getName()).isTrue());
  }
}
