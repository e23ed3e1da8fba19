package dev.vigil.agent.attrib;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupAttributionTest {

  @Test
  void slurmCgroupV1WithUidJobAndStep() {
    Workload w = CgroupAttribution.parse("/slurm/uid_1000/job_4242/step_0/task_1");
    assertThat(w.kind()).isEqualTo(Workload.Kind.SLURM);
    assertThat(w.jobId()).isEqualTo("4242");
    assertThat(w.step()).isEqualTo("0");
    assertThat(w.slurmUid()).isEqualTo(1000);
    assertThat(w.key()).isEqualTo("slurm:4242");
  }

  @Test
  void slurmCgroupV2UnderSlurmstepdScope() {
    Workload multi =
        CgroupAttribution.parse("/system.slice/node01_slurmstepd.scope/job_78/step_0/user/task_0");
    assertThat(multi.jobId()).isEqualTo("78");
    assertThat(CgroupAttribution.parse("/system.slice/slurmstepd.scope/system").kind())
        .isEqualTo(Workload.Kind.HOST);
    Workload v2 = CgroupAttribution.parse("/system.slice/slurmstepd.scope/job_77/step_batch/user");
    assertThat(v2.kind()).isEqualTo(Workload.Kind.SLURM);
    assertThat(v2.jobId()).isEqualTo("77");
    assertThat(v2.step()).isEqualTo("batch");
    assertThat(v2.slurmUid()).isEqualTo(-1);
  }

  @Test
  void kubernetesPodCgroupfsAndSystemdDrivers() {
    Workload cgroupfs =
        CgroupAttribution.parse(
            "/kubepods/burstable/pod6b1f3c1e-8a3b-4c5d-9e0f-0123456789ab/0b1c2d3e4f");
    assertThat(cgroupfs.kind()).isEqualTo(Workload.Kind.KUBERNETES);
    assertThat(cgroupfs.podUid()).isEqualTo("6b1f3c1e-8a3b-4c5d-9e0f-0123456789ab");
    Workload systemd =
        CgroupAttribution.parse(
            "/kubepods.slice/kubepods-besteffort.slice/"
                + "kubepods-besteffort-pod6b1f3c1e_8a3b_4c5d_9e0f_0123456789ab.slice/"
                + "cri-containerd-abc.scope");
    assertThat(systemd.podUid()).isEqualTo("6b1f3c1e-8a3b-4c5d-9e0f-0123456789ab");
    assertThat(systemd.key()).isEqualTo("pod:6b1f3c1e-8a3b-4c5d-9e0f-0123456789ab");
  }

  @Test
  void hostProcessesAreNotJobs() {
    Workload w = CgroupAttribution.parse("/system.slice/sshd.service");
    assertThat(w.kind()).isEqualTo(Workload.Kind.HOST);
    assertThat(w.key()).isNull();
  }

  @Test
  void procCgroupPicksTheLineThatNamesAJob() {
    String hybrid =
        "9:name=systemd:/\n"
            + "4:memory:/slurm/uid_501/job_9/step_extern\n"
            + "3:cpuset:/slurm/uid_501/job_9/step_extern\n"
            + "0::/\n";
    Workload w = CgroupAttribution.parseProcCgroup(hybrid);
    assertThat(w.jobId()).isEqualTo("9");
    assertThat(w.step()).isEqualTo("extern");
    assertThat(CgroupAttribution.parseProcCgroup("0::/user.slice/session-3.scope\n").cgroup())
        .isEqualTo("/user.slice/session-3.scope");
  }

  @Test
  void podNamespaceAndNameFromKubeletLogDirectories(@TempDir Path logs) throws Exception {
    String uid = "6b1f3c1e-8a3b-4c5d-9e0f-0123456789ab";
    Files.createDirectories(logs.resolve("hpc-jobs_solver_with_underscores-0_" + uid));
    Files.createDirectories(logs.resolve("other_pod_11111111-2222-3333-4444-555555555555"));
    Workload w =
        new CgroupAttribution(logs).attribute("0::/kubepods/burstable/pod" + uid + "/ctr\n");
    assertThat(w.podNamespace()).isEqualTo("hpc-jobs");
    assertThat(w.podName()).isEqualTo("solver_with_underscores-0");
    assertThat(w.toMap()).containsEntry("pod_uid", uid).containsEntry("kind", "kubernetes");
  }
}
