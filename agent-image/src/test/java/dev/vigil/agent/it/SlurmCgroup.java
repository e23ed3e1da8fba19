package dev.vigil.agent.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Slurm-style job (or pod) cgroup made by the test: {@code
 * cpuset/slurm/uid_<uid>/job_<id>/step_0} on cgroup v1, or {@code
 * <prefix>_slurmstepd.scope/job_<id>/step_0} on cgroup v2, pinned to one CPU when the cpuset
 * controller can be used. Removed (processes must be gone) on close.
 */
public final class SlurmCgroup implements AutoCloseable {
  private static final Path ROOT = Path.of("/sys/fs/cgroup");
  public final String jobId;
  public final Path step;
  public final int cores;
  private final List<Path> created = new ArrayList<>();

  /**
   * A Kubernetes-style pod cgroup ({@code ag-kubepods/burstable/pod<uid>/ctr}, matched by the
   * agent's {@code kubepods…pod<uid>} rule) in the cpuset (v1) or unified (v2) hierarchy.
   */
  public static SlurmCgroup pod(String uid) throws IOException {
    return new SlurmCgroup(List.of("ag-kubepods", "burstable", "pod" + uid, "ctr"));
  }

  private SlurmCgroup(List<String> levels) throws IOException {
    this.jobId = null;
    boolean v2 = Files.exists(ROOT.resolve("cgroup.controllers"));
    Path p = v2 ? ROOT : ROOT.resolve("cpuset");
    String mems = v2 ? "" : Files.readString(p.resolve("cpuset.mems")).strip();
    for (String level : levels) {
      p = mkdir(p.resolve(level));
      if (!v2) {
        if (Files.readString(p.resolve("cpuset.mems")).isBlank()) {
          Files.writeString(p.resolve("cpuset.mems"), mems);
        }
        if (Files.readString(p.resolve("cpuset.cpus")).isBlank()) {
          Files.writeString(
              p.resolve("cpuset.cpus"),
              Files.readString(p.getParent().resolve("cpuset.cpus")).strip());
        }
      }
    }
    step = p;
    cores = Runtime.getRuntime().availableProcessors();
  }

  public SlurmCgroup(String jobId, int cpu) throws IOException {
    this.jobId = jobId;
    boolean v2 = Files.exists(ROOT.resolve("cgroup.controllers"));
    if (v2) {
      Path scope = mkdir(ROOT.resolve("ag_slurmstepd.scope"));
      boolean cpuset = tryWrite(ROOT.resolve("cgroup.subtree_control"), "+cpuset");
      cpuset &= tryWrite(scope.resolve("cgroup.subtree_control"), "+cpuset");
      Path job = mkdir(scope.resolve("job_" + jobId));
      cpuset &= tryWrite(job.resolve("cpuset.cpus"), Integer.toString(cpu));
      step = mkdir(job.resolve("step_0"));
      cores = cpuset ? 1 : Runtime.getRuntime().availableProcessors();
    } else {
      Path cs = ROOT.resolve("cpuset");
      if (!Files.isDirectory(cs)) {
        throw new IOException("neither cgroup v2 nor a v1 cpuset hierarchy at " + ROOT);
      }
      String mems = Files.readString(cs.resolve("cpuset.mems")).strip();
      Path p = cs;
      for (String level : List.of("slurm", "uid_0", "job_" + jobId, "step_0")) {
        p = mkdir(p.resolve(level));
        if (Files.readString(p.resolve("cpuset.mems")).isBlank()) {
          Files.writeString(p.resolve("cpuset.mems"), mems);
        }
        String cpus = Files.readString(p.resolve("cpuset.cpus")).strip();
        if (level.startsWith("job_") || level.equals("step_0")) {
          Files.writeString(p.resolve("cpuset.cpus"), Integer.toString(cpu));
        } else if (cpus.isEmpty()) {
          Files.writeString(
              p.resolve("cpuset.cpus"),
              Files.readString(p.getParent().resolve("cpuset.cpus")).strip());
        }
      }
      step = p;
      cores = 1;
      // Hybrid host: also place the task in the unified (v2) tree, whose cgroup id the BPF
      // events carry, under the v2 Slurm layout.
      Path unified = ROOT.resolve("unified");
      if (Files.exists(unified.resolve("cgroup.controllers"))) {
        Path u = mkdir(unified.resolve("ag_slurmstepd.scope"));
        u = mkdir(u.resolve("job_" + jobId));
        v2step = mkdir(u.resolve("step_0"));
      }
    }
  }

  private Path v2step;

  /** Moves a process (and so its future children) into the job's step. */
  public void add(long pid) throws IOException {
    Files.writeString(step.resolve("cgroup.procs"), Long.toString(pid));
    if (v2step != null) {
      Files.writeString(v2step.resolve("cgroup.procs"), Long.toString(pid));
    }
  }

  private Path mkdir(Path p) throws IOException {
    if (!Files.isDirectory(p)) {
      Files.createDirectory(p);
      created.add(p);
    }
    return p;
  }

  private static boolean tryWrite(Path f, String v) {
    try {
      Files.writeString(f, v);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    for (int i = created.size() - 1; i >= 0; i--) {
      for (int attempt = 0; attempt < 50; attempt++) {
        try {
          Files.deleteIfExists(created.get(i));
          break;
        } catch (IOException e) {
          try {
            Thread.sleep(100); // exiting tasks leave the cgroup asynchronously
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }
}
