package dev.vigil.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.attrib.CgroupAttribution;
import dev.vigil.agent.attrib.ProcessInfo;
import dev.vigil.agent.attrib.Workload;
import dev.vigil.agent.sample.JobSample;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MinerDetectorTest {
  private static final Workload JOB = CgroupAttribution.parse("/slurm/uid_1001/job_88/step_0");
  private static final long MIB = 1024 * 1024;

  private static ProcessInfo proc(String exe, String... args) {
    return new ProcessInfo(
        900,
        899,
        1001,
        "alice",
        exe.substring(exe.lastIndexOf('/') + 1),
        exe,
        List.of(args),
        JOB,
        0);
  }

  private static Policy policy(double cpu, double sustain, double memMiB) {
    return new Policy(null, new Policy.Miner(true, cpu, sustain, memMiB, null, null, null, null))
        .resolved();
  }

  private static JobSample sample(long t, double cpu, int cores, long rss) {
    return new JobSample(
        "slurm:88",
        JOB,
        t,
        cpu,
        cores,
        rss,
        4,
        0,
        0,
        List.of(900),
        Optional.of(proc("/tmp/a.out", "./a.out")),
        -1,
        -1,
        -1,
        0);
  }

  @Test
  void minerExecutablesAndCommandLines() {
    MinerDetector d = new MinerDetector("cn1", Policy.defaults());
    assertThat(d.onExec(proc("/tmp/.x/xmrig", "./xmrig")).orElseThrow().note())
        .isEqualTo(Alert.MINER_EXECUTABLE);
    Alert byCmd =
        d.onExec(proc("/tmp/renamed", "./renamed", "-o", "stratum+tcp://pool.example:3333"))
            .orElseThrow();
    assertThat(byCmd.fields()).containsEntry("job_id", "88").containsEntry("user", "alice");
    assertThat((String) byCmd.fields().get("reason")).contains("stratum");
    assertThat(d.onExec(proc("/tmp/k", "./k", "--donate-level", "1"))).isPresent();
    assertThat(d.onExec(proc("/usr/bin/python3", "python3", "train.py", "--epochs", "3")))
        .isEmpty();
    assertThat(d.onExec(proc("/opt/lammps/lmp", "lmp", "-in", "in.lj"))).isEmpty();
  }

  @Test
  void busyLightJobAlertsOnceAfterTheSustainWindow() {
    MinerDetector d = new MinerDetector("cn1", policy(0.9, 3, 64));
    assertThat(d.onSample(sample(10_000, 0.97, 4, 20 * MIB))).isEmpty();
    assertThat(d.onSample(sample(11_000, 0.99, 4, 20 * MIB))).isEmpty();
    assertThat(d.onSample(sample(12_000, 0.95, 4, 20 * MIB))).isEmpty();
    Alert a = d.onSample(sample(13_000, 0.98, 4, 20 * MIB)).orElseThrow();
    assertThat(a.note()).isEqualTo(Alert.SILENT_MINER);
    assertThat(a.fields())
        .containsEntry("job_id", "88")
        .containsEntry("cores", 4)
        .containsEntry("sustained_seconds", 3.0)
        .containsEntry("mem_per_core_mib", 5.0)
        .containsEntry("user", "alice");
    assertThat(d.onSample(sample(14_000, 0.98, 4, 20 * MIB))).isEmpty();
  }

  @Test
  void aDipRestartsTheWindow() {
    MinerDetector d = new MinerDetector("cn1", policy(0.9, 2, 64));
    d.onSample(sample(0, 0.95, 1, MIB));
    d.onSample(sample(1_000, 0.95, 1, MIB));
    assertThat(d.onSample(sample(2_000, 0.50, 1, MIB))).isEmpty();
    assertThat(d.onSample(sample(3_000, 0.95, 1, MIB))).isEmpty();
    assertThat(d.onSample(sample(4_000, 0.95, 1, MIB))).isEmpty();
    assertThat(d.onSample(sample(5_000, 0.95, 1, MIB))).isPresent();
  }

  @Test
  void memoryHeavyJobAtFullCpuNeverAlerts() {
    MinerDetector d = new MinerDetector("cn1", policy(0.9, 2, 64));
    for (long t = 0; t < 60_000; t += 1_000) {
      assertThat(d.onSample(sample(t, 1.0, 4, 4 * 512 * MIB))).isEmpty();
    }
  }

  @Test
  void memoryPerCoreUsesTheJobsCoresNotTheNodes() {
    MinerDetector d = new MinerDetector("cn1", policy(0.9, 0, 64));
    // 200 MiB over 8 cores is 25 MiB per core: light.
    assertThat(d.onSample(sample(0, 0.95, 8, 200 * MIB))).isPresent();
    MinerDetector one = new MinerDetector("cn1", policy(0.9, 0, 64));
    // the same 200 MiB on one core is heavy.
    assertThat(one.onSample(sample(0, 0.95, 1, 200 * MIB))).isEmpty();
  }

  private static JobSample gpuSample(long t, int util, long gpuMem) {
    return new JobSample(
        "slurm:88",
        JOB,
        t,
        0.02,
        4,
        10 * MIB,
        4,
        0,
        0,
        List.of(900),
        Optional.of(proc("/tmp/a.out", "./a.out")),
        -1,
        -1,
        util,
        gpuMem);
  }

  @Test
  void busyGpuWithLittleGpuMemoryIsAMinerButAGpuTrainingJobIsNot() {
    Policy p =
        new Policy(null, new Policy.Miner(true, null, 2.0, null, null, null, 80.0, 512.0))
            .resolved();
    MinerDetector d = new MinerDetector("gpu1", p);
    assertThat(d.onSample(gpuSample(0, 99, 100 * MIB))).isEmpty();
    assertThat(d.onSample(gpuSample(1_000, 98, 100 * MIB))).isEmpty();
    Alert a = d.onSample(gpuSample(2_000, 97, 100 * MIB)).orElseThrow();
    assertThat(a.fields())
        .containsEntry("resource", "gpu")
        .containsEntry("gpu_util_percent", 97)
        .containsEntry("job_id", "88");

    MinerDetector training = new MinerDetector("gpu1", p);
    for (long t = 0; t < 30_000; t += 1_000) {
      assertThat(training.onSample(gpuSample(t, 100, 30_000 * MIB))).isEmpty();
    }
  }
}
