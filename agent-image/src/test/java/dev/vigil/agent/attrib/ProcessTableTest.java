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
  void aLaterExecOfTheSameProcessDoesNotLendItsImageToAnEarlierOne(@TempDir Path tmp)
      throws Exception {
    // /proc/300 already shows the image of a second exec (xmrig) when the first (setpriv) is read
    Path proc = Files.createDirectories(tmp.resolve("proc"));
    Path p = Files.createDirectories(proc.resolve("300"));
    Path xmrig = Files.writeString(tmp.resolve("xmrig"), "miner");
    Path setpriv = Files.writeString(tmp.resolve("setpriv"), "wrapper");
    Files.createSymbolicLink(p.resolve("exe"), xmrig);
    Files.write(p.resolve("cmdline"), "xmrig\0-o\0stratum+tcp://pool:3333\0".getBytes());
    Files.writeString(p.resolve("cgroup"), "0::/\n");
    Path passwd = tmp.resolve("passwd");
    Files.writeString(passwd, "root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n");
    ProcessTable t =
        new ProcessTable(
            new ProcFs(proc), new Users(passwd), new CgroupAttribution(null), () -> 0, 5_000);
    long xmrigIno = (Long) Files.getAttribute(xmrig, "unix:ino");
    long setprivIno = (Long) Files.getAttribute(setpriv, "unix:ino");

    ProcessInfo first =
        t.onExec(300, 1, 0, "setpriv", "/usr/bin/setpriv", List.of(), 0, setprivIno);
    assertThat(first.exe()).isEqualTo("/usr/bin/setpriv");
    assertThat(first.user()).isEqualTo("root");
    assertThat(first.args()).as("not the later image's cmdline").isEmpty();

    ProcessInfo second =
        t.onExec(300, 1, 65534, "xmrig", "./xmrig", List.of("./xmrig"), 0, xmrigIno);
    assertThat(second.exe()).as("/proc names this exec's image").isEqualTo(xmrig.toString());
    assertThat(second.user()).isEqualTo("nobody");
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
