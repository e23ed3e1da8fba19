package dev.vigil.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SensorStatefulSetTest {

  @Test
  void afPacketWorkersArePinnedNamedCapabilitiesGuaranteedQos() {
    StatefulSet sts =
        SensorStatefulSet.desired(
            Fixtures.tap("name: ens1f0", 6),
            Fixtures.sensorCluster("mode: afpacket"),
            "abc123",
            List.of("baseline-policy"));
    PodSpec pod = sts.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);

    assertThat(sts.getSpec().getReplicas()).isEqualTo(6);
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(
            pod.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchFields()
                .get(0)
                .getValues())
        .containsExactly("sensor-01");
    assertThat(c.getSecurityContext().getPrivileged()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getAdd())
        .containsExactlyInAnyOrder("NET_RAW", "NET_ADMIN", "IPC_LOCK", "SYS_NICE");
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    // Guaranteed QoS with whole CPUs: requests == limits, integer cpu.
    assertThat(c.getResources().getRequests()).isEqualTo(c.getResources().getLimits());
    assertThat(c.getResources().getRequests().get("cpu")).isEqualTo(new Quantity("4"));
    assertThat(env(c, "VIGIL_INTERFACE").getValue()).isEqualTo("ens1f0");
    assertThat(env(c, "VIGIL_WORKER_INDEX").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.labels['apps.kubernetes.io/pod-index']");
    assertThat(Integer.parseInt(env(c, "VIGIL_FANOUT_GROUP").getValue()))
        .isEqualTo(FanoutGroup.of("sensor-01", "ens1f0"));
    assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(Labels.CONFIG_HASH, "abc123");
    assertThat(pod.getVolumes().stream().filter(v -> v.getProjected() != null))
        .singleElement()
        .satisfies(
            v ->
                assertThat(v.getProjected().getSources().get(0).getConfigMap().getName())
                    .isEqualTo("baseline-policy"));
    // Host network: no declared ports (they would become host ports, one worker per node).
    assertThat(c.getPorts()).isEmpty();
    assertThat(Integer.parseInt(env(c, "VIGIL_METRICS_PORT_BASE").getValue()))
        .isBetween(20_000, 58_400 - 64);
    assertThat(pod.getTolerations()).hasSize(1);
    assertThat(pod.getTolerations().get(0).getOperator()).isEqualTo("Exists");
  }

  @Test
  void dpdkWorkersGetHugepagesVfAndNetworkAttachmentButNoHostNetwork() {
    StatefulSet sts =
        SensorStatefulSet.desired(
            Fixtures.tap(
                "sriov: {resourceName: intel.com/sriov_netdevice, networkAttachment: vigil/tap-vf}",
                2),
            Fixtures.sensorCluster("mode: dpdk\nhugepages: {pageSize: 1Gi, perWorker: 4Gi}"),
            "h",
            List.of());
    PodSpec pod = sts.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);

    assertThat(pod.getHostNetwork()).isFalse();
    assertThat(c.getResources().getLimits())
        .containsEntry("hugepages-1Gi", new Quantity("4Gi"))
        .containsEntry("intel.com/sriov_netdevice", new Quantity("1"));
    assertThat(c.getResources().getRequests()).isEqualTo(c.getResources().getLimits());
    assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/dev/hugepages"));
    assertThat(pod.getVolumes())
        .anyMatch(v -> v.getEmptyDir() != null && "HugePages".equals(v.getEmptyDir().getMedium()));
    assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(SensorStatefulSet.NETWORKS_ANNOTATION, "vigil/tap-vf");
    assertThat(c.getSecurityContext().getCapabilities().getAdd())
        .doesNotContain("NET_RAW", "NET_ADMIN");
  }

  @Test
  void configChangeChangesTheHashThatRollsPods() {
    var cluster = Fixtures.sensorCluster("mode: afpacket");
    var tap = Fixtures.tap("name: ens1f0", 2);
    String before = SensorConfig.hash(SensorConfig.of(tap, cluster).toJson());
    tap.getSpec().setBpfFilter("not port 22");
    String after = SensorConfig.hash(SensorConfig.of(tap, cluster).toJson());
    tap.getSpec().setWorkers(8);
    String scaled = SensorConfig.hash(SensorConfig.of(tap, cluster).toJson());

    assertThat(after).isNotEqualTo(before);
    // Scaling alone must not roll the existing workers.
    assertThat(scaled).isEqualTo(after);
  }

  @Test
  void fanoutGroupDiffersPerInterfaceAndNodeAndIsStable() {
    assertThat(FanoutGroup.of("sensor-01", "ens1f0"))
        .isEqualTo(FanoutGroup.of("sensor-01", "ens1f0"));
    assertThat(FanoutGroup.of("sensor-01", "ens1f0"))
        .isNotEqualTo(FanoutGroup.of("sensor-01", "ens1f1"));
    for (int i = 0; i < 1000; i++) {
      assertThat(FanoutGroup.of("n" + i, "eth" + i)).isBetween(2, 0xFFFF);
    }
  }

  private static EnvVar env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
  }
}
