package dev.vigil.agent.attrib;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps cgroup paths to workloads. Layouts recognised:
 *
 * <ul>
 *   <li>Slurm, cgroup v1: {@code /slurm/uid_<uid>/job_<id>/step_<step>/…}
 *   <li>Slurm, cgroup v2: {@code …/slurmstepd.scope/job_<id>/step_<step>/…} (or {@code
 *       <node>_slurmstepd.scope} with multiple slurmd per host)
 *   <li>Kubernetes, cgroupfs driver: {@code /kubepods/<qos>/pod<uid>/<container>}
 *   <li>Kubernetes, systemd driver: {@code
 *       /kubepods.slice/kubepods-<qos>.slice/kubepods-<qos>-pod<uid_with_underscores>.slice/…}
 * </ul>
 *
 * Pod namespace and name come from the kubelet's log directory names ({@code
 * /var/log/pods/<namespace>_<name>_<uid>}) when that directory is readable.
 */
public final class CgroupAttribution {
  private static final Pattern SLURM_V1 =
      Pattern.compile("/slurm[^/]*/uid_(\\d+)/job_(\\d+)(?:/step_([^/]+))?");
  private static final Pattern SLURM_V2 =
      Pattern.compile("/(?:[^/]*_)?slurmstepd\\.scope/job_(\\d+)(?:/step_([^/]+))?");
  private static final Pattern KUBE_POD =
      Pattern.compile(
          "kubepods.*?pod([0-9a-fA-F]{8}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{4}"
              + "[-_][0-9a-fA-F]{12})");

  private final Path podLogs;

  public CgroupAttribution(Path podLogs) {
    this.podLogs = podLogs;
  }

  /** Attribution of one cgroup path (no file system access). */
  public static Workload parse(String cgroupPath) {
    Matcher m = SLURM_V1.matcher(cgroupPath);
    if (m.find()) {
      return new Workload(
          Workload.Kind.SLURM,
          cgroupPath,
          m.group(2),
          m.group(3),
          Long.parseLong(m.group(1)),
          null,
          null,
          null);
    }
    m = SLURM_V2.matcher(cgroupPath);
    if (m.find()) {
      return new Workload(
          Workload.Kind.SLURM, cgroupPath, m.group(1), m.group(2), -1, null, null, null);
    }
    m = KUBE_POD.matcher(cgroupPath);
    if (m.find()) {
      String uid = m.group(1).replace('_', '-').toLowerCase(java.util.Locale.ROOT);
      return new Workload(Workload.Kind.KUBERNETES, cgroupPath, null, null, -1, uid, null, null);
    }
    return Workload.host(cgroupPath);
  }

  /**
   * Attribution from the text of {@code /proc/<pid>/cgroup}: the first line (v2 {@code 0::} or any
   * v1 hierarchy) whose path names a job or pod; otherwise the v2 path, else the first one.
   */
  public static Workload parseProcCgroup(String procCgroup) {
    String fallback = null;
    String v2 = null;
    for (String line : procCgroup.split("\n")) {
      int a = line.indexOf(':');
      int b = a < 0 ? -1 : line.indexOf(':', a + 1);
      if (b < 0) {
        continue;
      }
      String path = line.substring(b + 1);
      Workload w = parse(path);
      if (w.kind() != Workload.Kind.HOST) {
        return w;
      }
      if (line.startsWith("0::")) {
        v2 = path;
      } else if (fallback == null) {
        fallback = path;
      }
    }
    return Workload.host(v2 != null ? v2 : fallback != null ? fallback : "/");
  }

  /** Like {@link #parseProcCgroup} plus pod namespace and name from the kubelet's log dirs. */
  public Workload attribute(String procCgroup) {
    Workload w = parseProcCgroup(procCgroup);
    if (w.kind() == Workload.Kind.KUBERNETES) {
      Optional<String[]> nsName = podNamespaceAndName(w.podUid());
      if (nsName.isPresent()) {
        return w.withPod(nsName.get()[0], nsName.get()[1]);
      }
    }
    return w;
  }

  Optional<String[]> podNamespaceAndName(String uid) {
    if (podLogs == null || !Files.isDirectory(podLogs)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(podLogs, "*_" + uid)) {
      for (Path d : dirs) {
        String n = d.getFileName().toString();
        String rest = n.substring(0, n.length() - uid.length() - 1);
        int us = rest.indexOf('_'); // namespaces cannot contain '_'
        if (us > 0) {
          return Optional.of(new String[] {rest.substring(0, us), rest.substring(us + 1)});
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
