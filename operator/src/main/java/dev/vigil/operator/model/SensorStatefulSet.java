package dev.vigil.operator.model;

import dev.vigil.api.v1alpha1.SensorCluster;
import dev.vigil.api.v1alpha1.TapAssignment;
import dev.vigil.api.v1alpha1.spec.Capture;
import dev.vigil.api.v1alpha1.spec.Hugepages;
import dev.vigil.api.v1alpha1.spec.SensorClusterSpec;
import dev.vigil.api.v1alpha1.spec.TapInterface;
import dev.vigil.api.v1alpha1.spec.WorkerResources;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sensor workers of one tap: a StatefulSet (one pod per worker, ordinal = worker index), pinned
 * to the tap's node, Guaranteed QoS with whole CPUs so the kubelet's static CPU manager gives each
 * worker exclusive cores.
 *
 * <ul>
 *   <li>AF_PACKET and libpcap: host network, capabilities NET_RAW, NET_ADMIN, IPC_LOCK, SYS_NICE
 *       and nothing else (never {@code privileged}).
 *   <li>DPDK: hugepages requested and mounted at {@code /dev/hugepages}; an SR-IOV VF resource and
 *       the Multus network-attachment annotation when the tap names one; IPC_LOCK and SYS_NICE.
 * </ul>
 */
public final class SensorStatefulSet {

  public static final String COMPONENT = "sensor";
  public static final String CONTAINER = "sensor";
  public static final String CONFIG_DIR = "/etc/vigil";
  public static final String POLICY_DIR = PolicyVolume.DIR;
  public static final String LOG_DIR = "/var/log/vigil";

  /** Multus annotation carrying the SR-IOV network attachment. */
  public static final String NETWORKS_ANNOTATION = "k8s.v1.cni.cncf.io/networks";

  private SensorStatefulSet() {}

  public static String name(TapAssignment tap) {
    return tap.getMetadata().getName() + "-sensor";
  }

  public static String configMapName(TapAssignment tap) {
    return tap.getMetadata().getName() + "-sensor-config";
  }

  public static Map<String, String> selector(TapAssignment tap) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(Labels.COMPONENT, COMPONENT);
    s.put(Labels.TAP, tap.getMetadata().getName());
    return s;
  }

  /**
   * @param policyConfigMaps compiled DetectorPolicy ConfigMaps the tap's SensorCluster selects,
   *     projected into {@link #POLICY_DIR} (the sensor reloads them without a restart)
   */
  public static StatefulSet desired(
      TapAssignment tap, SensorCluster cluster, String configHash, List<String> policyConfigMaps) {
    return desired(tap, cluster, configHash, policyConfigMaps, PipelineWiring.none());
  }

  /**
   * @param pipeline how workers reach the SensorCluster's AlertPipeline (endpoint, credentials)
   */
  public static StatefulSet desired(
      TapAssignment tap,
      SensorCluster cluster,
      String configHash,
      List<String> policyConfigMaps,
      PipelineWiring pipeline) {
    SensorClusterSpec c = cluster.getSpec();
    Capture capture = c.getCapture() != null ? c.getCapture() : new Capture();
    String mode = SensorConfig.captureMode(capture);
    boolean dpdk = "dpdk".equals(mode);
    TapInterface iface = tap.getSpec().getInterface();
    String node = tap.getSpec().getNodeName();
    SensorConfig config = SensorConfig.of(tap, cluster);

    Map<String, String> labels = Labels.of(COMPONENT, tap);
    labels.put(Labels.TAP, tap.getMetadata().getName());
    labels.put(Labels.SENSOR_CLUSTER, cluster.getMetadata().getName());

    Map<String, Quantity> resources = new LinkedHashMap<>();
    WorkerResources wr = c.getResources() != null ? c.getResources() : new WorkerResources();
    resources.put("cpu", new Quantity(Integer.toString(wr.getCpus() != null ? wr.getCpus() : 2)));
    resources.put("memory", new Quantity(wr.getMemory() != null ? wr.getMemory() : "4Gi"));
    Hugepages hp = capture.getHugepages();
    if (dpdk && hp != null) {
      String size = SensorConfig.enumValue(hp.getPageSize());
      resources.put("hugepages-" + (size != null ? size : "1Gi"), new Quantity(hp.getPerWorker()));
    }
    if (iface.getSriov() != null) {
      resources.put(iface.getSriov().getResourceName(), new Quantity("1"));
    }

    List<EnvVar> env = new ArrayList<>();
    env.add(
        new EnvVarBuilder()
            .withName("VIGIL_WORKER_INDEX")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.labels['apps.kubernetes.io/pod-index']")
            .endFieldRef()
            .endValueFrom()
            .build());
    env.add(env("VIGIL_WORKERS", Integer.toString(workers(tap))));
    env.add(env("VIGIL_CAPTURE_MODE", mode));
    env.add(env("VIGIL_INTERFACE", SensorConfig.interfaceId(iface)));
    env.add(env("VIGIL_FANOUT_GROUP", Integer.toString(config.fanoutGroup())));
    env.add(env("VIGIL_NODE", node));
    env.add(env("VIGIL_LINK", tap.getSpec().getLink().getName()));
    env.add(env("VIGIL_METRICS_PORT_BASE", Integer.toString(metricsPortBase(config))));

    env.addAll(pipeline.env());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--config", CONFIG_DIR + "/sensor/" + SensorConfig.FILE,
                "--policy-dir", POLICY_DIR,
                "--logs", LOG_DIR));
    args.addAll(pipeline.args());

    List<VolumeMount> mounts = new ArrayList<>(pipeline.mounts());
    List<Volume> volumes = new ArrayList<>(pipeline.volumes());
    mounts.add(mount("config", CONFIG_DIR + "/sensor", true));
    volumes.add(
        new VolumeBuilder()
            .withName("config")
            .withNewConfigMap()
            .withName(configMapName(tap))
            .endConfigMap()
            .build());
    mounts.add(PolicyVolume.mount());
    volumes.add(PolicyVolume.of(policyConfigMaps));
    mounts.add(mount("logs", LOG_DIR, false));
    volumes.add(new VolumeBuilder().withName("logs").withNewEmptyDir().endEmptyDir().build());
    if (dpdk) {
      mounts.add(mount("hugepages", "/dev/hugepages", false));
      volumes.add(
          new VolumeBuilder()
              .withName("hugepages")
              .withNewEmptyDir()
              .withMedium("HugePages")
              .endEmptyDir()
              .build());
    }

    List<String> caps =
        dpdk
            ? List.of("IPC_LOCK", "SYS_NICE")
            : List.of("NET_RAW", "NET_ADMIN", "IPC_LOCK", "SYS_NICE");
    Capabilities capabilities = new CapabilitiesBuilder().withAdd(caps).withDrop("ALL").build();

    Map<String, String> podAnnotations = new LinkedHashMap<>();
    podAnnotations.put(Labels.CONFIG_HASH, configHash);
    if (iface.getSriov() != null) {
      podAnnotations.put(NETWORKS_ANNOTATION, iface.getSriov().getNetworkAttachment());
    }

    PodSpecBuilder pod =
        new PodSpecBuilder()
            .withHostNetwork(!dpdk)
            .withDnsPolicy(dpdk ? "ClusterFirst" : "ClusterFirstWithHostNet")
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withTerminationGracePeriodSeconds(30L)
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .addNewMatchField()
            .withKey("metadata.name")
            .withOperator("In")
            .withValues(node)
            .endMatchField()
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .withNodeSelector(c.getNodeSelector())
            .withTolerations(Tolerations.of(c.getTolerations()))
            .withVolumes(volumes)
            .withContainers(
                new ContainerBuilder()
                    .withName(CONTAINER)
                    .withImage(c.getImage())
                    .withArgs(args)
                    .withEnv(env)
                    .withNewResources()
                    .withRequests(resources)
                    .withLimits(resources)
                    .endResources()
                    .withVolumeMounts(mounts)
                    .withNewSecurityContext()
                    .withPrivileged(false)
                    .withAllowPrivilegeEscalation(false)
                    .withReadOnlyRootFilesystem(true)
                    .withRunAsUser(0L)
                    .withCapabilities(capabilities)
                    .endSecurityContext()
                    .withPorts(
                        dpdk
                            ? List.of(
                                new ContainerPortBuilder()
                                    .withName("metrics")
                                    .withContainerPort(metricsPortBase(config))
                                    .build())
                            // On the host network a declared port becomes a host port, and
                            // every worker of a node would fight for it: workers listen on
                            // base + index and declare nothing.
                            : List.of())
                    .build());

    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(name(tap))
        .withNamespace(tap.getMetadata().getNamespace())
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withReplicas(workers(tap))
        .withPodManagementPolicy("Parallel")
        .withServiceName(name(tap))
        .withNewSelector()
        .withMatchLabels(selector(tap))
        .endSelector()
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(podAnnotations)
        .endMetadata()
        .withSpec(pod.build())
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * First Prometheus port of a tap's workers; worker {@code i} listens on base + i. Spread by the
   * tap's fanout group over 20000–58399 in blocks of 64 (the most workers a tap may have), so taps
   * sharing a host network rarely share a block.
   */
  public static int metricsPortBase(SensorConfig config) {
    return 20_000 + (config.fanoutGroup() % 600) * 64;
  }

  public static int workers(TapAssignment tap) {
    Integer w = tap.getSpec().getWorkers();
    return w != null ? w : 1;
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static VolumeMount mount(String name, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(name)
        .withMountPath(path)
        .withReadOnly(readOnly)
        .build();
  }
}
