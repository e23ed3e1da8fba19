package dev.vigil.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent-image/vigil-agent} as an operator runs it: the bash launcher, JDK lookup, the BPF
 * object packaged as a class-path resource, default policy, and a clean exit on SIGTERM.
 */
class LauncherIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void launcherStartsTheAgentWhichLogsAChildsExecAndStopsOnSigterm(@TempDir Path tmp)
      throws Exception {
    Path root = Path.of(System.getProperty("vigil.root"));
    Path events = tmp.resolve("events");
    Path out = tmp.resolve("agent.out");
    Process agent =
        new ProcessBuilder(
                root.resolve("agent-image/vigil-agent").toString(),
                "--events",
                events.toString(),
                "--node",
                "launcher-it")
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      await(
          events.resolve("agent.log"), n -> n.path("event").asText().equals("started"), agent, out);
      Process p = new ProcessBuilder("/bin/sh", "-c", "exit 7").start();
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      long pid = p.pid();
      JsonNode exit =
          await(
              events.resolve("process.log"),
              n -> n.path("event").asText().equals("exit") && n.path("pid").asLong() == pid,
              agent,
              out);
      assertThat(exit.path("exit_code").asInt()).isEqualTo(7);
      assertThat(exit.path("node").asText()).isEqualTo("launcher-it");
      // /proc/<pid>/exe when the agent got there in time, else the path exec'd (from BPF).
      assertThat(exit.path("exe").asText())
          .isIn("/bin/sh", Path.of("/bin/sh").toRealPath().toString());
    } finally {
      agent.destroy(); // SIGTERM: the shutdown hook detaches the programs
      assertThat(agent.waitFor(20, TimeUnit.SECONDS)).as("agent stops on SIGTERM").isTrue();
    }
    assertThat(Files.readString(out)).contains("vigil-agent: node launcher-it");
  }

  @Test
  void withoutRootTheAgentRefusesToStartAndSaysWhy(@TempDir Path tmp) throws Exception {
    Path root = Path.of(System.getProperty("vigil.root"));
    Path events = Files.createDirectories(tmp.resolve("events"));
    Files.setPosixFilePermissions(
        tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(
        events, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Path object = root.resolve("agent-image/target/classes/bpf/vigil_agent.bpf.o");
    Process probe =
        new ProcessBuilder(
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "test",
                "-r",
                object.toString())
            .start();
    probe.waitFor(10, TimeUnit.SECONDS);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        probe.exitValue() == 0, "the checkout is not readable by user nobody: " + root);
    Process agent =
        new ProcessBuilder(
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                root.resolve("agent-image/vigil-agent").toString(),
                "--events",
                events.toString())
            .redirectErrorStream(true)
            .start();
    String out =
        new String(agent.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).as(out).isEqualTo(3);
    assertThat(out).contains("cannot start eBPF sensor").contains("need root");
  }

  static JsonNode await(Path file, Predicate<JsonNode> match, Process agent, Path out)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        for (String l : Files.readAllLines(file)) {
          JsonNode n = JSON.readTree(l);
          if (match.test(n)) {
            return n;
          }
        }
      }
      if (!agent.isAlive()) {
        throw new AssertionError(
            "agent exited " + agent.exitValue() + ": " + Files.readString(out));
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no matching line in " + file + "; agent output: " + Files.readString(out));
  }
}
