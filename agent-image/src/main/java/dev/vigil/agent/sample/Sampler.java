package dev.vigil.agent.sample;

import dev.vigil.agent.attrib.CgroupAttribution;
import dev.vigil.agent.attrib.ProcFs;
import dev.vigil.agent.attrib.ProcessInfo;
import dev.vigil.agent.attrib.ProcessTable;
import dev.vigil.agent.attrib.Workload;
import dev.vigil.agent.gpu.Nvml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The 1-second sampler: reads every process's CPU time, RSS, threads and I/O from /proc, groups
 * processes by job or pod (from their cgroup), and turns the deltas into {@link JobSample}s. The
 * job's core count comes from its cpuset (cgroup v1 {@code cpuset/…/cpuset.cpus} or v2 {@code
 * cpuset.cpus.effective}), else the node's CPU count. Processes outside jobs and pods are skipped.
 */
public final class Sampler {
  private final ProcFs proc;
  private final Path cgroupRoot;
  private final ProcessTable table;
  private final int nodeCpus;
  private final long ticksPerSecond;

  private record Prev(long startTime, long ticks, String cgroupText, Workload workload) {}

  private Map<Integer, Prev> previous = new HashMap<>();
  private Map<String, Long> previousCgroupUsec = new HashMap<>();
  private final CgroupStats cgroupStats;
  private java.util.function.Supplier<List<Nvml.Device>> gpus = List::of;
  private long previousMillis;

  public Sampler(ProcFs proc, Path cgroupRoot, ProcessTable table, int nodeCpus) {
    this(proc, cgroupRoot, table, nodeCpus, 100);
  }

  Sampler(ProcFs proc, Path cgroupRoot, ProcessTable table, int nodeCpus, long ticksPerSecond) {
    this.proc = proc;
    this.cgroupRoot = cgroupRoot;
    this.table = table;
    this.nodeCpus = nodeCpus;
    this.ticksPerSecond = ticksPerSecond;
    this.cgroupStats = new CgroupStats(cgroupRoot);
  }

  private static final class Acc {
    Workload workload;
    String cgroupText;
    long ticks;
    long rssPages;
    int threads;
    long read;
    long write;
    List<Integer> pids = new ArrayList<>();
    int topPid;
    long topTicks = -1;
  }

  /** Where GPU readings come from (NVML on GPU nodes); none by default. */
  public Sampler withGpus(java.util.function.Supplier<List<Nvml.Device>> gpus) {
    this.gpus = gpus;
    return this;
  }

  /**
   * Takes one reading at {@code nowMillis}. The first call only primes the deltas and returns an
   * empty list.
   */
  public List<JobSample> sample(long nowMillis) {
    Map<Integer, Prev> next = new HashMap<>();
    Map<String, Acc> jobs = new HashMap<>();
    for (int pid : proc.pids()) {
      Optional<ProcFs.Stat> st = proc.stat(pid);
      if (st.isEmpty()) {
        continue;
      }
      ProcFs.Stat s = st.get();
      long ticks = s.utime() + s.stime();
      Prev p = previous.get(pid);
      if (p != null && p.startTime() != s.startTime()) {
        p = null; // the pid was reused by a new process
      }
      // Re-read the cgroup every time: tasks are moved into job cgroups after they start.
      Optional<String> cg = proc.cgroup(pid);
      if (cg.isEmpty()) {
        continue;
      }
      String cgText = cg.get();
      Workload w =
          p != null && p.cgroupText().equals(cgText)
              ? p.workload()
              : CgroupAttribution.parseProcCgroup(cgText);
      next.put(pid, new Prev(s.startTime(), ticks, cgText, w));
      if (w.key() == null) {
        continue;
      }
      long delta = p == null ? 0 : Math.max(0, ticks - p.ticks());
      Acc a = jobs.computeIfAbsent(w.key(), k -> new Acc());
      if (a.workload == null) {
        a.workload = w;
        a.cgroupText = cgText;
      }
      a.ticks += delta;
      a.rssPages += s.rssPages();
      a.threads += s.threads();
      a.pids.add(pid);
      proc.io(pid)
          .ifPresent(
              io -> {
                a.read += io[0];
                a.write += io[1];
              });
      if (delta > a.topTicks) {
        a.topTicks = delta;
        a.topPid = pid;
      }
    }
    boolean primed = previousMillis != 0;
    double seconds = (nowMillis - previousMillis) / 1000.0;
    previous = next;
    previousMillis = nowMillis;
    Map<String, Long> cgroupUsec = new HashMap<>();
    for (var e : jobs.entrySet()) {
      cgroupStats.cpuUsec(e.getValue().cgroupText).ifPresent(u -> cgroupUsec.put(e.getKey(), u));
    }
    Map<String, Long> prevUsec = previousCgroupUsec;
    previousCgroupUsec = cgroupUsec;
    if (!primed || seconds <= 0) {
      return List.of();
    }
    Map<String, int[]> gpuUtil = new HashMap<>();
    Map<String, Long> gpuMem = new HashMap<>();
    for (Nvml.Device d : gpus.get()) {
      for (Nvml.GpuProcess gp : d.processes()) {
        Prev owner = next.get(gp.pid());
        String key = owner == null ? null : owner.workload().key();
        if (key == null) {
          continue;
        }
        gpuUtil.merge(key, new int[] {d.utilPercent()}, (x, y) -> x[0] >= y[0] ? x : y);
        gpuMem.merge(key, gp.usedBytes(), Long::sum);
      }
    }
    List<JobSample> out = new ArrayList<>(jobs.size());
    for (var e : jobs.entrySet()) {
      Acc a = e.getValue();
      int cores = cores(a.cgroupText);
      Long now = cgroupUsec.get(e.getKey());
      Long before = prevUsec.get(e.getKey());
      double cgCpu =
          now != null && before != null && now >= before
              ? (now - before) / 1e6 / seconds / cores
              : -1;
      double cpu = a.ticks / (double) ticksPerSecond / seconds / cores;
      Optional<ProcessInfo> top = a.topTicks >= 0 ? table.lookup(a.topPid) : Optional.empty();
      a.pids.sort(null);
      out.add(
          new JobSample(
              e.getKey(),
              a.workload,
              nowMillis,
              cpu,
              cores,
              a.rssPages * 4096,
              a.threads,
              a.read,
              a.write,
              List.copyOf(a.pids),
              top,
              cgCpu,
              cgroupStats.memoryBytes(a.cgroupText).orElse(-1),
              gpuUtil.containsKey(e.getKey()) ? gpuUtil.get(e.getKey())[0] : -1,
              gpuMem.getOrDefault(e.getKey(), 0L)));
    }
    return out;
  }

  /** CPUs of the cpuset the cgroup text names, else the node's. */
  int cores(String procCgroup) {
    for (String line : procCgroup.split("\n")) {
      String[] f = line.split(":", 3);
      if (f.length < 3) {
        continue;
      }
      Path file = null;
      if (java.util.Arrays.asList(f[1].split(",")).contains("cpuset")) {
        file = cgroupRoot.resolve("cpuset" + f[2]).resolve("cpuset.cpus");
      } else if (f[0].equals("0") && f[1].isEmpty()) {
        file = cgroupRoot.resolve(f[2].substring(1)).resolve("cpuset.cpus.effective");
      }
      if (file != null) {
        try {
          int n = CpuList.count(Files.readString(file));
          if (n > 0) {
            return n;
          }
        } catch (IOException e) {
          // no cpuset file at this level: try the next hierarchy
        }
      }
    }
    return nodeCpus;
  }
}
