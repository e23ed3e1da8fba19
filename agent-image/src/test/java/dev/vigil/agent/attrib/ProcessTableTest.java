package dev.vigil.agent.attrib;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTableTest {

  @Test
  void execOfAShortLivedProcessInheritsTheParentsJobAndExpiresAfterExit(@TempDir Path tmp)
      throws Exception {
    Path proc = Files.createDirectories(tmp.resolve("proc"));
    Path parent = Files.createDirectories(proc.resolve("100"));
    Files.writeString(parent.resolve("cgroup"), "0::/system.slice/slurmstepd.scope/job_5/step_0\n");
    Files.writeString(
        parent.resolve("status"), "Name:\tslurmstepd\nPPid:\t1\nUid:\t0\t0\t0\t0\nThreads:\t1\n");
    Path passwd = tmp.resolve("passwd");
    Files.writeString(passwd, "root:x:0:0::/root:/bin/sh\nalice:x:1001:1001::/home/a:/bin/sh\n");
    AtomicLong now = new AtomicLong(1_000);
    ProcessTable t =
        new ProcessTable(
            new ProcFs(proc), new Users(passwd), new CgroupAttribution(null), now::get, 5_000);

    ProcessInfo child = t.onExec(200, 100, 1001, "a.out", "/home/a/a.out", List.of("./a.out"));
    assertThat(child.user()).isEqualTo("alice");
    assertThat(child.exe()).isEqualTo("/home/a/a.out");
    assertThat(child.workload().jobId()).isEqualTo("5");
    assertThat(t.parents(child, 8)).extracting(ProcessInfo::pid).containsExactly(100);

    t.onExit(200);
    now.addAndGet(4_000);
    assertThat(t.expire()).isZero();
    assertThat(t.lookup(200)).isPresent();
    now.addAndGet(2_000);
    assertThat(t.expire()).isEqualTo(1);
    assertThat(t.lookup(200)).isEmpty();
  }

  @Test
  void unknownUidsPrintAsNumbers(@TempDir Path tmp) throws Exception {
    Path passwd = tmp.resolve("passwd");
    Files.writeString(passwd, "root:x:0:0::/root:/bin/sh\n");
    AtomicLong nanos = new AtomicLong();
    Users u = new Users(passwd, nanos::get);
    assertThat(u.name(0)).isEqualTo("root");
    assertThat(u.name(4321)).isEqualTo("4321");
    Files.writeString(passwd, "root:x:0:0::/root:/bin/sh\nbob:x:4321:1::/:/bin/sh\n");
    Files.setLastModifiedTime(
        passwd, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
    assertThat(u.name(4321)).isEqualTo("4321"); // not re-checked within the second
    nanos.addAndGet(1_000_000_000L);
    assertThat(u.name(4321)).isEqualTo("bob");
  }
}
