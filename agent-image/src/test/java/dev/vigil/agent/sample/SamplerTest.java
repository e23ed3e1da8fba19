package dev.vigil.agent.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.attrib.CgroupAttribution;
import dev.vigil.agent.attrib.ProcFs;
import dev.vigil.agent.attrib.ProcessTable;
import dev.vigil.agent.attrib.Users;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplerTest {

  private static void proc(
      Path root, int pid, String comm, long utime, long stime, long rss, String cgroup)
      throws Exception {
    Path d = Files.createDirectories(root.resolve(Integer.toString(pid)));
    Files.writeString(
        d.resolve("stat"),
        pid
            + " ("
            + comm
            + ") R 1 "
            + pid
            + " 1 0 -1 0 0 0 0 0 "
            + utime
            + " "
            + stime
            + " 0 0 20 0 2 0 5000 1000000 "
            + rss
            + " 0");
    Files.writeString(d.resolve("cgroup"), cgroup);
    Files.writeString(d.resolve("io"), "read_bytes: 100\nwrite_bytes: 200\n");
  }

  @Test
  void cpuFractionOverTheJobsCpusetAndRssSums(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("proc"));
    Path cg = tmp.resolve("cgroup");
    Files.createDirectories(cg.resolve("cpuset/slurm/uid_5/job_12/step_0"));
    Files.writeString(cg.resolve("cpuset/slurm/uid_5/job_12/step_0/cpuset.cpus"), "2-3\n");
    String job12 = "3:cpuset:/slurm/uid_5/job_12/step_0\n0::/\n";
    String v2job = "0::/system.slice/slurmstepd.scope/job_13/step_0\n";
    Files.createDirectories(cg.resolve("system.slice/slurmstepd.scope/job_13/step_0"));
    Files.writeString(
        cg.resolve("system.slice/slurmstepd.scope/job_13/step_0/cpuset.cpus.effective"), "0\n");
    proc(root, 10, "a", 100, 0, 256, job12);
    proc(root, 11, "b", 100, 0, 256, job12);
    proc(root, 20, "c", 0, 0, 10, v2job);
    proc(root, 30, "sshd", 0, 0, 10, "0::/system.slice/sshd.service\n");
    ProcFs fs = new ProcFs(root);
    ProcessTable table =
        new ProcessTable(
            fs, new Users(tmp.resolve("none")), new CgroupAttribution(null), () -> 0L, 1000);
    Sampler s = new Sampler(fs, cg, table, 16, 100);
    assertThat(s.sample(1_000)).isEmpty();

    // Over 2 s: pid 10 +300 ticks, pid 11 +50 ticks => 3.5 CPU-s / 2 s / 2 cores = 0.875
    proc(root, 10, "a", 350, 50, 256, job12);
    proc(root, 11, "b", 150, 0, 256, job12);
    proc(root, 20, "c", 200, 0, 10, v2job); // 2 CPU-s / 2 s / 1 core = 1.0
    proc(root, 30, "sshd", 500, 0, 10, "0::/system.slice/sshd.service\n");
    List<JobSample> out = s.sample(3_000);
    assertThat(out).extracting(JobSample::key).containsExactlyInAnyOrder("slurm:12", "slurm:13");
    JobSample j12 = out.stream().filter(j -> j.key().equals("slurm:12")).findFirst().orElseThrow();
    assertThat(j12.cores()).isEqualTo(2);
    assertThat(j12.cpuFraction()).isEqualTo(0.875);
    assertThat(j12.rssBytes()).isEqualTo(512 * 4096L);
    assertThat(j12.pids()).containsExactly(10, 11);
    assertThat(j12.readBytes()).isEqualTo(200);
    JobSample j13 = out.stream().filter(j -> j.key().equals("slurm:13")).findFirst().orElseThrow();
    assertThat(j13.cores()).isEqualTo(1);
    assertThat(j13.cpuFraction()).isEqualTo(1.0);
  }

  @Test
  void aReusedPidIsANewProcessNotANegativeDelta(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("proc"));
    String job = "0::/slurmstepd.scope/job_1/step_0\n";
    proc(root, 10, "a", 1000, 0, 1, job);
    ProcFs fs = new ProcFs(root);
    ProcessTable table =
        new ProcessTable(
            fs, new Users(tmp.resolve("none")), new CgroupAttribution(null), () -> 0L, 1000);
    Sampler s = new Sampler(fs, tmp.resolve("nocgroup"), table, 4, 100);
    s.sample(1_000);
    Files.writeString(
        root.resolve("10/stat"), "10 (a) R 1 10 1 0 -1 0 0 0 0 0 5 0 0 0 20 0 1 0 9999 1 1 0");
    JobSample j = s.sample(2_000).getFirst();
    assertThat(j.cpuFraction()).isZero();
    assertThat(j.cores()).isEqualTo(4);
  }

  @Test
  void aProcessMovedIntoAJobAfterItStartedCountsForTheJob(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("proc"));
    proc(root, 10, "spin", 0, 0, 1, "0::/user.slice\n");
    ProcFs fs = new ProcFs(root);
    ProcessTable table =
        new ProcessTable(
            fs, new Users(tmp.resolve("none")), new CgroupAttribution(null), () -> 0L, 1000);
    Sampler s = new Sampler(fs, tmp.resolve("nocgroup"), table, 1, 100);
    s.sample(1_000);
    proc(root, 10, "spin", 100, 0, 1, "0::/slurmstepd.scope/job_3/step_0\n");
    assertThat(s.sample(2_000)).extracting(JobSample::key).containsExactly("slurm:3");
  }

  @Test
  void cpuLists() {
    assertThat(CpuList.count("0-3,8,10-11\n")).isEqualTo(7);
    assertThat(CpuList.count("5")).isEqualTo(1);
    assertThat(CpuList.count("")).isZero();
    assertThat(CpuList.count("3-1")).isZero();
    assertThat(CpuList.count("x")).isZero();
  }
}
