package dev.vigil.agent.detect;

import dev.vigil.agent.attrib.ProcessInfo;
import dev.vigil.agent.sample.JobSample;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Two signals of cryptomining:
 *
 * <ul>
 *   <li>{@link Alert#MINER_EXECUTABLE}: an exec whose executable name or command line matches a
 *       known miner pattern (xmrig-style options, {@code stratum+tcp://} pool URLs).
 *   <li>{@link Alert#SILENT_MINER}: a job whose CPU use stays at or above {@code cpuThreshold} of
 *       its cores for {@code sustainSeconds} while its resident memory per core stays below {@code
 *       maxMemoryPerCoreMiB}. Science codes that keep every core busy also hold real data, so a
 *       memory-heavy job at 100 % CPU does not alert. The same rule on GPUs: utilisation at or
 *       above {@code gpuUtilThresholdPercent} while the job holds less than {@code maxGpuMemoryMiB}
 *       of GPU memory (NVML).
 * </ul>
 *
 * One silent-miner alert per busy episode: the job must drop below the condition to re-arm.
 */
public final class MinerDetector {
  private final String node;
  private volatile Compiled compiled;
  private final Map<String, Episode> episodes = new HashMap<>();

  private record Compiled(Policy.Miner policy, List<Pattern> exe, List<Pattern> cmdline) {}

  private static final class Episode {
    long since = -1;
    boolean alerted;
  }

  public MinerDetector(String node, Policy policy) {
    this.node = node;
    update(policy);
  }

  public void update(Policy policy) {
    Policy.Miner m = policy.miner();
    compiled =
        new Compiled(
            m,
            m.exePatterns().stream().map(Pattern::compile).toList(),
            m.cmdlinePatterns().stream().map(Pattern::compile).toList());
  }

  public Optional<Alert> onExec(ProcessInfo p) {
    Compiled k = compiled;
    if (!k.policy().on()) {
      return Optional.empty();
    }
    String exeName = p.exe().substring(p.exe().lastIndexOf('/') + 1);
    String cmd = p.cmdline();
    String why = null;
    for (Pattern x : k.exe()) {
      if (x.matcher(exeName).find() || x.matcher(p.comm()).find()) {
        why = "executable name matches " + x.pattern();
        break;
      }
    }
    if (why == null) {
      for (Pattern x : k.cmdline()) {
        if (x.matcher(cmd).find()) {
          why = "command line matches " + x.pattern();
          break;
        }
      }
    }
    if (why == null) {
      return Optional.empty();
    }
    Map<String, Object> f = processFields(p);
    f.put("reason", why);
    return Optional.of(
        new Alert(
            Alert.MINER_EXECUTABLE,
            String.format(
                "miner-like program %s started on %s by %s (pid %d): %s",
                p.exe(), node, p.user(), p.pid(), why),
            f));
  }

  /**
   * Feeds one sampler reading of a job; returns an alert when a CPU or GPU episode crosses the
   * sustain window.
   */
  public synchronized Optional<Alert> onSample(JobSample s) {
    Optional<Alert> cpu = onCpu(s);
    Optional<Alert> gpu = onGpu(s);
    return cpu.isPresent() ? cpu : gpu;
  }

  private Optional<Alert> onGpu(JobSample s) {
    Policy.Miner m = compiled.policy();
    double gpuMiB = s.gpuMemoryBytes() / (1024.0 * 1024.0);
    boolean busyAndLight =
        m.on() && s.gpuUtilPercent() >= m.gpuUtilThresholdPercent() && gpuMiB < m.maxGpuMemoryMiB();
    String key = "gpu:" + s.key();
    if (!busyAndLight) {
      episodes.remove(key);
      return Optional.empty();
    }
    Episode e = episodes.computeIfAbsent(key, x -> new Episode());
    if (e.since < 0) {
      e.since = s.timeMillis();
    }
    double held = (s.timeMillis() - e.since) / 1000.0;
    if (e.alerted || held < m.sustainSeconds()) {
      return Optional.empty();
    }
    e.alerted = true;
    Map<String, Object> f = new LinkedHashMap<>();
    s.top().ifPresent(t -> f.putAll(processFields(t)));
    f.put("node", node);
    f.put("resource", "gpu");
    f.put("workload", s.workload().toMap());
    if (s.workload().jobId() != null) {
      f.put("job_id", s.workload().jobId());
    }
    f.put("gpu_util_percent", s.gpuUtilPercent());
    f.put("gpu_memory_mib", round(gpuMiB));
    f.put("sustained_seconds", round(held));
    f.put("pids", s.pids());
    return Optional.of(
        new Alert(
            Alert.SILENT_MINER,
            String.format(
                "%s on %s kept its GPU %d%% busy for %.0f s with only %.0f MiB of GPU memory",
                s.key(), node, s.gpuUtilPercent(), held, gpuMiB),
            f));
  }

  private Optional<Alert> onCpu(JobSample s) {
    Compiled k = compiled;
    Policy.Miner m = k.policy();
    double memPerCoreMiB = s.rssBytes() / (1024.0 * 1024.0) / Math.max(1, s.cores());
    boolean busyAndLight =
        m.on() && s.cpuFraction() >= m.cpuThreshold() && memPerCoreMiB < m.maxMemoryPerCoreMiB();
    if (!busyAndLight) {
      episodes.remove(s.key());
      return Optional.empty();
    }
    Episode e = episodes.computeIfAbsent(s.key(), key -> new Episode());
    if (e.since < 0) {
      e.since = s.timeMillis();
    }
    double held = (s.timeMillis() - e.since) / 1000.0;
    if (e.alerted || held < m.sustainSeconds()) {
      return Optional.empty();
    }
    e.alerted = true;
    Map<String, Object> f = new LinkedHashMap<>();
    // The busiest process first; the job's own cgroup reading wins over the process's cached one
    // (a process can be moved into a job's cgroup after its exec).
    s.top().ifPresent(t -> f.putAll(processFields(t)));
    f.put("node", node);
    f.put("resource", "cpu");
    f.put("workload", s.workload().toMap());
    if (s.workload().jobId() != null) {
      f.put("job_id", s.workload().jobId());
    }
    f.put("cpu_fraction", round(s.cpuFraction()));
    f.put("cores", s.cores());
    f.put("mem_per_core_mib", round(memPerCoreMiB));
    f.put("sustained_seconds", round(held));
    f.put("pids", s.pids());
    String who = s.top().map(ProcessInfo::user).orElse("?");
    return Optional.of(
        new Alert(
            Alert.SILENT_MINER,
            String.format(
                "%s on %s (user %s) held %.0f%% of %d cores for %.0f s with %.1f MiB per core",
                s.key(), node, who, s.cpuFraction() * 100, s.cores(), held, memPerCoreMiB),
            f));
  }

  /** Forgets jobs that no longer exist. */
  public synchronized void retain(java.util.Set<String> liveKeys) {
    episodes.keySet().removeIf(k -> !liveKeys.contains(k.startsWith("gpu:") ? k.substring(4) : k));
  }

  private Map<String, Object> processFields(ProcessInfo p) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("node", node);
    f.put("pid", p.pid());
    f.put("ppid", p.ppid());
    f.put("uid", p.uid());
    f.put("user", p.user());
    f.put("exe", p.exe());
    f.put("comm", p.comm());
    f.put("cmdline", p.cmdline());
    f.put("workload", p.workload().toMap());
    if (p.workload().jobId() != null) {
      f.put("job_id", p.workload().jobId());
    }
    return f;
  }

  private static double round(double d) {
    return Math.round(d * 1000) / 1000.0;
  }
}
