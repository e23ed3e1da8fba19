package dev.vigil.agent.attrib;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

  @Test
  void statWithSpacesAndParenthesesInComm() {
    String stat =
        "4242 (my (odd) prog) R 17 4242 17 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 3 0 98765"
            + " 10000000 2048 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
    ProcFs.Stat s = ProcFs.parseStat(stat).orElseThrow();
    assertThat(s.pid()).isEqualTo(4242);
    assertThat(s.comm()).isEqualTo("my (odd) prog");
    assertThat(s.state()).isEqualTo('R');
    assertThat(s.ppid()).isEqualTo(17);
    assertThat(s.utime()).isEqualTo(250);
    assertThat(s.stime()).isEqualTo(50);
    assertThat(s.threads()).isEqualTo(3);
    assertThat(s.startTime()).isEqualTo(98765);
    assertThat(s.rssPages()).isEqualTo(2048);
    assertThat(ProcFs.parseStat("garbage")).isEmpty();
  }

  @Test
  void statusFields() {
    ProcFs.Status s =
        ProcFs.parseStatus(
            "Name:\txmrig\nUmask:\t0022\nState:\tR (running)\nPPid:\t1\n"
                + "Uid:\t1001\t1001\t1001\t1001\nVmRSS:\t  5120 kB\nThreads:\t4\n");
    assertThat(s).isEqualTo(new ProcFs.Status("xmrig", 1, 1001, 5120, 4));
  }

  @Test
  void fakeProcTreeReadsAndMissingPidsAreEmpty(@TempDir Path proc) throws Exception {
    Path p = Files.createDirectories(proc.resolve("77"));
    Files.write(p.resolve("cmdline"), "python3\0-c\0print(1)\0".getBytes());
    Files.writeString(p.resolve("io"), "rchar: 5\nread_bytes: 4096\nwrite_bytes: 8192\n");
    Files.createSymbolicLink(p.resolve("exe"), Path.of("/usr/bin/python3.11"));
    Files.createDirectories(proc.resolve("self"));
    ProcFs fs = new ProcFs(proc);
    assertThat(fs.pids()).containsExactly(77);
    assertThat(fs.cmdline(77)).contains(List.of("python3", "-c", "print(1)"));
    assertThat(fs.exe(77)).contains("/usr/bin/python3.11");
    assertThat(fs.io(77).orElseThrow()).containsExactly(4096, 8192);
    assertThat(fs.stat(78)).isEmpty();
    assertThat(fs.exe(78)).isEmpty();
  }
}
