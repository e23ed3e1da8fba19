package dev.vigil.operator.model;

import dev.vigil.api.v1alpha1.HostAgent;
import dev.vigil.api.v1alpha1.spec.HostAgentSpec;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The eBPF agent of a HostAgent: a DaemonSet in the host PID namespace with read-only host mounts
 * (BTF, tracefs, cgroup, /proc) and the capabilities BPF, PERFMON, SYS_RESOURCE, SYS_PTRACE and
 * DAC_READ_SEARCH instead of {@code privileged}. Rolls {@code maxUnavailable} nodes at a time (10%
 * by default: a 5,000-node rollout must not take days).
 */
public final class AgentDaemonSet {

  public static final String COMPONENT = "agent";
  public static final String DEFAULT_MAX_UNAVAILABLE = "10%";
  public static final List<String> CAPABILITIES =
      List.of("BPF", "PERFMON", "SYS_RESOURCE", "SYS_PTRACE", "DAC_READ_SEARCH");

  private AgentDaemonSet() {}

  public static String name(HostAgent agent) {
    return agent.getMetadata().getName() + "-agent";
  }

  public static DaemonSet desired(HostAgent agent, List<String> policyConfigMaps) {
    return desired(agent, policyConfigMaps, PipelineWiring.none());
  }

  /**
   * @param pipeline how agents reach the HostAgent's AlertPipeline (endpoint, credentials)
   */
  public static DaemonSet desired(
      HostAgent agent, List<String> policyConfigMaps, PipelineWiring pipeline) {
    HostAgentSpec s = agent.getSpec();
    Map<String, String> labels = Labels.of(COMPONENT, agent);
    labels.put(Labels.HOST_AGENT, agent.getMetadata().getName());
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(Labels.COMPONENT, COMPONENT);
    selector.put(Labels.HOST_AGENT, agent.getMetadata().getName());

    IntOrString maxUnavailable =
        s.getRollout() != null && s.getRollout().getMaxUnavailable() != null
            ? s.getRollout().getMaxUnavailable()
            : new IntOrString(DEFAULT_MAX_UNAVAILABLE);

    List<Volume> volumes = new ArrayList<>(pipeline.volumes());
    List<VolumeMount> mounts = new ArrayList<>(pipeline.mounts());
    // The agent's own CLI (agent-image/vigil-agent); host paths are the read-only mounts above.
    List<String> args =
        new ArrayList<>(
            List.of(
                "--events", "/var/log/vigil",
                "--policy-dir", PolicyVolume.DIR,
                "--node", "$(VIGIL_NODE)",
                "--proc", "/host/proc",
                "--cgroup-root", "/host/sys/fs/cgroup",
                "--passwd", "/host/etc/passwd",
                "--pod-logs", "/var/log/pods",
                "--sample-interval-ms", Long.toString(intervalMillis(s.getSamplingInterval()))));
    args.addAll(pipeline.args());
    hostMount(volumes, mounts, "btf", "/sys/kernel/btf", "/sys/kernel/btf");
    hostMount(volumes, mounts, "tracefs", "/sys/kernel/tracing", "/sys/kernel/tracing");
    hostMount(volumes, mounts, "cgroup", "/sys/fs/cgroup", "/host/sys/fs/cgroup");
    hostMount(volumes, mounts, "proc", "/proc", "/host/proc");
    hostFileMount(volumes, mounts, "passwd", "/etc/passwd", "/host/etc/passwd");
    hostMount(volumes, mounts, "pod-logs", "/var/log/pods", "/var/log/pods");
    volumes.add(PolicyVolume.of(policyConfigMaps));
    mounts.add(PolicyVolume.mount());
    volumes.add(new VolumeBuilder().withName("events").withNewEmptyDir().endEmptyDir().build());
    mounts.add(new VolumeMountBuilder().withName("events").withMountPath("/var/log/vigil").build());

    Map<String, Quantity> requests = new LinkedHashMap<>();
    requests.put("cpu", new Quantity("100m"));
    requests.put("memory", new Quantity("256Mi"));
    Map<String, Quantity> limits = new LinkedHashMap<>();
    limits.put("memory", new Quantity("512Mi"));

    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName(name(agent))
        .withNamespace(agent.getMetadata().getNamespace())
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(maxUnavailable)
        .endRollingUpdate()
        .endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withHostPID(true)
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withPriorityClassName(s.getPriorityClassName())
        .withNodeSelector(s.getNodeSelector())
        .withTolerations(Tolerations.of(s.getTolerations()))
        .withVolumes(volumes)
        .addToContainers(
            new ContainerBuilder()
                .withName("agent")
                .withImage(s.getImage())
                .withArgs(args)
                .addAllToEnv(pipeline.env())
                .addToEnv(
                    new EnvVarBuilder()
                        .withName("VIGIL_NODE")
                        .withNewValueFrom()
                        .withNewFieldRef()
                        .withFieldPath("spec.nodeName")
                        .endFieldRef()
                        .endValueFrom()
                        .build())
                .withNewResources()
                .withRequests(requests)
                .withLimits(limits)
                .endResources()
                .withVolumeMounts(mounts)
                .withNewSecurityContext()
                .withPrivileged(false)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsUser(0L)
                .withNewCapabilities()
                .withAdd(CAPABILITIES)
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .build())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** "1s", "500ms", "1m" (the API's CEL rule admits only these shapes) in milliseconds. */
  static long intervalMillis(String d) {
    if (d == null || d.isBlank()) {
      return 1000;
    }
    if (d.endsWith("ms")) {
      return Long.parseLong(d.substring(0, d.length() - 2));
    }
    long n = Long.parseLong(d.substring(0, d.length() - 1));
    return d.endsWith("m") ? n * 60_000 : n * 1000;
  }

  private static void hostFileMount(
      List<Volume> volumes, List<VolumeMount> mounts, String name, String hostPath, String at) {
    volumes.add(
        new VolumeBuilder()
            .withName(name)
            .withNewHostPath()
            .withPath(hostPath)
            .withType("File")
            .endHostPath()
            .build());
    mounts.add(
        new VolumeMountBuilder().withName(name).withMountPath(at).withReadOnly(true).build());
  }

  private static void hostMount(
      List<Volume> volumes, List<VolumeMount> mounts, String name, String hostPath, String at) {
    volumes.add(
        new VolumeBuilder()
            .withName(name)
            .withNewHostPath()
            .withPath(hostPath)
            .withType("Directory")
            .endHostPath()
            .build());
    mounts.add(
        new VolumeMountBuilder().withName(name).withMountPath(at).withReadOnly(true).build());
  }
}
