package dev.vigil.agent.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupStatsTest {

  @Test
  void pathsAreCutAtTheJobOrPod() {
    assertThat(CgroupStats.rel("/slurm/uid_5/job_12/step_0/task_1"))
        .isEqualTo("slurm/uid_5/job_12");
    assertThat(
            CgroupStats.rel(
                "/kubepods.slice/kubepods-burstable.slice/"
                    + "kubepods-burstable-pod6b1f3c1e_8a3b_4c5d_9e0f_0123456789ab.slice/cri-x.scope"))
        .isEqualTo(
            "kubepods.slice/kubepods-burstable.slice/"
                + "kubepods-burstable-pod6b1f3c1e_8a3b_4c5d_9e0f_0123456789ab.slice");
    assertThat(CgroupStats.rel("/")).isEmpty();
  }

  @Test
  void cgroupV2JobCounters(@TempDir Path root) throws Exception {
    Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu memory\n");
    Path job = Files.createDirectories(root.resolve("system.slice/slurmstepd.scope/job_7"));
    Files.writeString(job.resolve("cpu.stat"), "usage_usec 1500000\nuser_usec 1000000\n");
    Files.writeString(job.resolve("memory.current"), "4096\n");
    CgroupStats s = new CgroupStats(root);
    String text = "0::/system.slice/slurmstepd.scope/job_7/step_0/user/task_0\n";
    assertThat(s.cpuUsec(text)).hasValue(1_500_000);
    assertThat(s.memoryBytes(text)).hasValue(4096);
    assertThat(s.cpuUsec("0::/nowhere\n")).isEmpty();
  }

  @Test
  void cgroupV1HybridJobCounters(@TempDir Path root) throws Exception {
    Path cpu = Files.createDirectories(root.resolve("cpu,cpuacct/slurm/uid_5/job_9"));
    Files.writeString(cpu.resolve("cpuacct.usage"), "2500000000\n");
    Path mem = Files.createDirectories(root.resolve("memory/slurm/uid_5/job_9"));
    Files.writeString(mem.resolve("memory.usage_in_bytes"), "1048576\n");
    Files.createDirectories(root.resolve("unified"));
    String text =
        "5:memory:/slurm/uid_5/job_9/step_0\n4:cpu,cpuacct:/slurm/uid_5/job_9/step_0\n0::/\n";
    CgroupStats s = new CgroupStats(root);
    assertThat(s.cpuUsec(text)).hasValue(2_500_000);
    assertThat(s.memoryBytes(text)).hasValue(1_048_576);
    // Only the cpuset is per-job: the root's cpuacct must not be reported as the job's.
    Files.writeString(root.resolve("cpu,cpuacct/cpuacct.usage"), "99999999999\n");
    assertThat(s.cpuUsec("3:cpuset:/slurm/uid_5/job_9/step_0\n4:cpu,cpuacct:/\n0::/\n")).isEmpty();
  }
}
