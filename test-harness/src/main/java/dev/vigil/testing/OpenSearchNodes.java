package dev.vigil.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real OpenSearch node per test JVM, in a JVM of its own (opensearch-node module; OpenSearch's
 * Netty must never share a classpath with Quarkus). When {@code VIGIL_IT_OPENSEARCH_URL} is set
 * (e.g. by {@code make opensearch-up}), that node is used instead.
 */
public final class OpenSearchNodes {

  private static final Logger LOG = LoggerFactory.getLogger(OpenSearchNodes.class);
  private static final String READY_PREFIX = "OPENSEARCH_URL=";

  private static String url;
  private static Process process;

  private OpenSearchNodes() {}

  /** Base URL ({@code http://127.0.0.1:port}) of the shared node, starting it on first use. */
  public static synchronized String url() {
    if (url != null) {
      return url;
    }
    String external = KubeApiServers.setting("VIGIL_IT_OPENSEARCH_URL");
    if (external != null && !external.isBlank()) {
      url = external;
      return url;
    }
    try {
      url = start();
      return url;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The command line that runs a node: shared by this harness and scripts/opensearch-up.sh. */
  public static List<String> command(int basePort, Path data) throws IOException {
    Path module = Repo.path("opensearch-node");
    Path cpFile = module.resolve("target/classpath.txt");
    Path classes = module.resolve("target/classes");
    if (!Files.exists(cpFile) || !Files.isDirectory(classes)) {
      throw new IllegalStateException(
          "opensearch-node is not built (" + cpFile + "); run ./mvnw -pl opensearch-node package");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xms512m");
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(classes + ":" + Files.readString(cpFile).trim());
    cmd.add("dev.vigil.opensearch.OpenSearchNode");
    cmd.add("--base-port");
    cmd.add(Integer.toString(basePort));
    cmd.add("--data");
    cmd.add(data.toString());
    return cmd;
  }

  private static String start() throws IOException {
    int base = freeBasePort();
    Path data = Files.createTempDirectory("vigil-opensearch-it");
    Path log = data.resolve("node.log");
    LOG.info("Starting OpenSearch node (base port {}, data {}, log {})", base, data, log);
    ProcessBuilder pb = new ProcessBuilder(command(base, data)).redirectErrorStream(true);
    process = pb.start();
    Runtime.getRuntime().addShutdownHook(new Thread(OpenSearchNodes::stop, "opensearch-stop"));
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  var w = Files.newBufferedWriter(log)) {
                String line;
                while ((line = r.readLine()) != null) {
                  w.write(line);
                  w.newLine();
                  w.flush();
                  if (line.startsWith(READY_PREFIX)) {
                    ready.complete(line.substring(READY_PREFIX.length()).trim());
                  }
                }
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
              ready.completeExceptionally(
                  new IllegalStateException("OpenSearch node exited; see " + log));
            },
            "opensearch-log");
    pump.setDaemon(true);
    pump.start();
    try {
      return ready.get(240, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      stop();
      throw new IllegalStateException("OpenSearch node not ready after 240 s; see " + log, e);
    } catch (Exception e) {
      stop();
      throw new IllegalStateException("OpenSearch node failed to start; see " + log, e);
    }
  }

  private static synchronized void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A base port whose +1 (HTTP) and +100 (transport) neighbours are free too, below the kernel's
   * ephemeral range: a busy host (a connect storm, many outgoing connections) can hold every
   * ephemeral port's neighbours, and an outgoing connection could take a port before the node
   * binds.
   */
  static int freeBasePort() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
      if (free(base) && free(base + 1) && free(base + 100)) {
        return base;
      }
    }
    throw new IOException("no free port range for OpenSearch in 20000-32100");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
