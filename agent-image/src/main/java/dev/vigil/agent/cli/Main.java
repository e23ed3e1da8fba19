package dev.vigil.agent.cli;

import dev.vigil.agent.bpf.BpfException;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code agent-image/vigil-agent}. Exit codes: 2 usage or unreadable option files, 3
 * eBPF unavailable.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    AgentConfig config;
    try {
      config = AgentConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Agent agent;
    try {
      agent = new Agent(config);
    } catch (IOException e) {
      // e.g. an unreadable --opensearch-password-file or --opensearch-ca (paths only, no secrets)
      System.err.println("vigil-agent: " + e);
      System.exit(2);
      return;
    }
    try {
      agent.start();
    } catch (BpfException | IOException e) {
      System.err.println("vigil-agent: cannot start eBPF sensor: " + e.getMessage());
      agent.close();
      System.exit(3);
      return;
    }
    System.err.println(
        "vigil-agent: node "
            + config.node()
            + ", events in "
            + config.events()
            + (agent.metricsPort() >= 0 ? ", metrics on :" + agent.metricsPort() : "")
            + (config.opensearch() != null
                ? ", shipping to " + config.opensearch() + " (prefix " + config.indexPrefix() + ")"
                : ""));
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    agent.close();
                  } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                  } finally {
                    done.countDown();
                  }
                }));
    done.await();
  }
}
