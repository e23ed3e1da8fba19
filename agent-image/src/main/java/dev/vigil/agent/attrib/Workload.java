package dev.vigil.agent.attrib;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a cgroup path says a process belongs to: a Slurm job (and step), a Kubernetes pod, or
 * nothing the agent knows ({@link Kind#HOST}).
 *
 * @param cgroup the cgroup path the attribution was made from
 * @param jobId Slurm job id, or null
 * @param step Slurm step ({@code 0}, {@code batch}, {@code extern}), or null
 * @param slurmUid the uid in a cgroup v1 Slurm path, or -1
 * @param podUid Kubernetes pod uid, or null
 * @param podNamespace from the kubelet's /var/log/pods entry when present, or null
 * @param podName same, or null
 */
public record Workload(
    Kind kind,
    String cgroup,
    String jobId,
    String step,
    long slurmUid,
    String podUid,
    String podNamespace,
    String podName) {

  public enum Kind {
    SLURM,
    KUBERNETES,
    HOST
  }

  public static Workload host(String cgroup) {
    return new Workload(Kind.HOST, cgroup, null, null, -1, null, null, null);
  }

  /** A key that groups the processes of one job or pod (the sampler's unit), or null for host. */
  public String key() {
    return switch (kind) {
      case SLURM -> "slurm:" + jobId;
      case KUBERNETES -> "pod:" + podUid;
      case HOST -> null;
    };
  }

  public Workload withPod(String namespace, String name) {
    return new Workload(kind, cgroup, jobId, step, slurmUid, podUid, namespace, name);
  }

  /** JSON-ready map (nulls left out). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
    if (jobId != null) {
      m.put("job_id", jobId);
    }
    if (step != null) {
      m.put("step", step);
    }
    if (slurmUid >= 0) {
      m.put("slurm_uid", slurmUid);
    }
    if (podUid != null) {
      m.put("pod_uid", podUid);
    }
    if (podNamespace != null) {
      m.put("pod_namespace", podNamespace);
    }
    if (podName != null) {
      m.put("pod_name", podName);
    }
    m.put("cgroup", cgroup);
    return m;
  }
}
