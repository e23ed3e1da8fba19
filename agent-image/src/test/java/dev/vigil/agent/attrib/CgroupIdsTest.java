package dev.vigil.agent.attrib;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupIdsTest {

  private static long ino(Path p) throws Exception {
    return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
  }

  @Test
  void idsAreDirectoryInodesOfTheV2TreeRescannedAtMostOncePerInterval(@TempDir Path root)
      throws Exception {
    Path unified = Files.createDirectories(root.resolve("unified"));
    Files.writeString(unified.resolve("cgroup.controllers"), "");
    Path step =
        Files.createDirectories(unified.resolve("system.slice/slurmstepd.scope/job_4/step_0"));
    AtomicLong now = new AtomicLong(10_000);
    CgroupIds ids = new CgroupIds(root, now::get, 1_000);
    assertThat(ids.path(ino(step))).contains("/system.slice/slurmstepd.scope/job_4/step_0");
    assertThat(ids.path(ino(unified))).contains("/");

    Path later = Files.createDirectories(unified.resolve("system.slice/slurmstepd.scope/job_5"));
    assertThat(ids.path(ino(later))).isEmpty(); // scanned just now: no rescan yet
    now.addAndGet(1_000);
    assertThat(ids.path(ino(later))).contains("/system.slice/slurmstepd.scope/job_5");
  }

  @Test
  void aTaskGoneFromProcIsStillAttributedByItsCgroupId(@TempDir Path tmp) throws Exception {
    Path cg = tmp.resolve("cg");
    Files.createDirectories(cg);
    Files.writeString(cg.resolve("cgroup.controllers"), "");
    Path job = Files.createDirectories(cg.resolve("slurmstepd.scope/job_77/step_0"));
    ProcessTable t =
        new ProcessTable(
                new ProcFs(Files.createDirectories(tmp.resolve("proc"))),
                new Users(tmp.resolve("passwd")),
                new CgroupAttribution(null),
                () -> 0L,
                1000)
            .withCgroupIds(new CgroupIds(cg, () -> 0L, 1000));
    ProcessInfo p = t.onExec(5, 1, 0, "sh", "/bin/sh", java.util.List.of("sh"), ino(job));
    assertThat(p.workload().jobId()).isEqualTo("77");
    ProcessInfo host = t.onExec(6, 1, 0, "sh", "/bin/sh", java.util.List.of("sh"), 0);
    assertThat(host.workload().kind()).isEqualTo(Workload.Kind.HOST);
  }
}
