package dev.vigil.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's own scripts (cluster-up.sh, operator-up.sh, ...) the way a user does, from e2e
 * tests: stderr goes to the test log, stdout is returned, a non-zero exit fails the test.
 */
public final class Scripts {

  private Scripts() {}

  /** Runs {@code script} (relative to the repository root) with extra environment. */
  public static String run(Map<String, String> env, String script, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Repo.path(script).toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(600, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(script + " did not finish in 600 s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(script + " exited " + p.exitValue() + "; stdout:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + script, e);
    }
  }

  /** The last line a script printed, e.g. {@code KUBECONFIG=<path>}. */
  public static String lastLine(String out) {
    return out.strip().lines().reduce((a, b) -> b).orElse("");
  }

  /** A TCP port free on 127.0.0.1 at the time of the call. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
