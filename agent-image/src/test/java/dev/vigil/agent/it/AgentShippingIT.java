package dev.vigil.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.agent.cli.Agent;
import dev.vigil.agent.cli.AgentConfig;
import dev.vigil.testing.OpenSearchEndpoint;
import dev.vigil.testing.WithOpenSearch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with {@code --opensearch}: a connect-back from a Slurm job (same trigger as {@link
 * AgentIT}) is in notice.log and, as the identical document, exactly once in {@code
 * <prefix>-alerts-*}; the socket line of the same connect is in {@code <prefix>-host-*}.
 */
@WithOpenSearch
class AgentShippingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODE = "ship-it-node";
  private static final Duration ARRIVAL = Duration.ofSeconds(60);

  @TempDir Path tmp;

  @Test
  void connectBackAlertArrivesInTheAlertsIndexExactlyOnceAsInNoticeLog(OpenSearchEndpoint os)
      throws Exception {
    String prefix = "agentit-" + UUID.randomUUID().toString().substring(0, 8);
    prefix = prefix.toLowerCase(Locale.ROOT);
    Path events = tmp.resolve("events");
    Path pods = Files.createDirectories(tmp.resolve("pods"));
    Agent agent =
        new Agent(
                AgentConfig.parse(
                    "--events",
                    events.toString(),
                    "--node",
                    NODE,
                    "--pod-logs",
                    pods.toString(),
                    "--metrics-port",
                    "0",
                    "--bpf-object",
                    System.getProperty("vigil.bpf.object"),
                    "--opensearch",
                    os.url().toString(),
                    "--index-prefix",
                    prefix))
            .start();
    OpenSearch http = new OpenSearch(os.url());
    String jobId = Integer.toString(ThreadLocalRandom.current().nextInt(500000, 599999));
    long pid;
    int port = ThreadLocalRandom.current().nextInt(30000, 40000);
    String nsAddress;
    String metrics;
    try {
      JsonNode notice;
      // The job's cgroup stays until the alert is out, as a running job's does: an agent that
      // reads the event after a sub-second job has ended and its cgroup is gone cannot name the
      // job (see agent-image/README.md, attribution).
      try (NetNs ns = new NetNs();
          SlurmCgroup job = new SlurmCgroup(jobId, 0)) {
        nsAddress = ns.nsAddress;
        pid = AgentIT.connectBack(ns, job, port);
        notice = awaitLine(events.resolve("notice.log"), ours(pid));
      }
      AgentIT.assertConnectBack(notice, NODE, jobId, nsAddress, port);

      // The alert document: polled until it is searchable.
      List<JsonNode> hits = awaitHits(http, prefix + "-alerts-*", pid, ours(pid));
      JsonNode doc = hits.getFirst();
      assertThat(doc.path("_index").asText()).startsWith(prefix + "-alerts-");
      assertThat(doc.path("_source")).as("same document as notice.log").isEqualTo(notice);
      assertThat(doc.path("_id").asText())
          .isEqualTo(
              notice.at("/vigil/dedup_key").asText() + "@" + notice.path("@timestamp").asText());

      // The same connect's socket line, as a host document.
      awaitHits(
          http,
          prefix + "-host-*",
          pid,
          n ->
              n.path("event").asText().equals("connect")
                  && n.path("dst").asText().equals(nsAddress)
                  && n.path("dport").asInt() == port);

      metrics = EventFiles.metrics(agent);
    } finally {
      agent.close();
    }
    // Exactly once, in the file and in OpenSearch, after the shipper has been closed (every retry
    // it would ever make is over).
    assertThat(lines(events.resolve("notice.log")).stream().filter(ours(pid)).count()).isEqualTo(1);
    List<JsonNode> all = http.search(prefix + "-alerts-*", pid);
    assertThat(all.stream().map(h -> h.path("_source")).filter(ours(pid)).count())
        .as("alert documents for pid %d: %s", pid, all)
        .isEqualTo(1);
    assertThat(gauge(metrics, "vigil_ship_shipped_total")).isPositive();
    assertThat(gauge(metrics, "vigil_ship_dead_lettered_total")).isZero();
    assertThat(gauge(metrics, "vigil_ship_spool_full_refused_total")).isZero();
  }

  private static Predicate<JsonNode> ours(long pid) {
    return n ->
        n.at("/rule/name").asText().equals("ConnectBack") && n.at("/process/pid").asLong() == pid;
  }

  private static long gauge(String metrics, String name) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in /metrics:\n" + metrics));
  }

  private static List<JsonNode> awaitHits(
      OpenSearch http, String pattern, long pid, Predicate<JsonNode> match) throws Exception {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    List<JsonNode> found = List.of();
    while (System.nanoTime() < deadline) {
      found =
          http.search(pattern, pid).stream().filter(h -> match.test(h.path("_source"))).toList();
      if (!found.isEmpty()) {
        return found;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "no document for pid " + pid + " in " + pattern + " within " + ARRIVAL);
  }

  private static JsonNode awaitLine(Path file, Predicate<JsonNode> match) throws Exception {
    return EventFiles.await(file, match, EventFiles.WAIT);
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    return EventFiles.lines(file);
  }

  /** Just enough OpenSearch REST to check what the agent shipped, independently of the shipper. */
  private record OpenSearch(URI base) {
    /** Hits (with _id, _index, _source) whose pid field is {@code pid}, after a refresh. */
    List<JsonNode> search(String pattern, long pid) throws IOException, InterruptedException {
      HttpClient c = HttpClient.newHttpClient();
      HttpResponse<String> refresh =
          c.send(
              HttpRequest.newBuilder(base.resolve("/" + pattern + "/_refresh"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (refresh.statusCode() / 100 != 2) {
        throw new IOException("refresh " + pattern + ": " + refresh.statusCode());
      }
      String query =
          "{\"size\":100,\"query\":{\"bool\":{\"should\":["
              + "{\"term\":{\"process.pid\":"
              + pid
              + "}},{\"term\":{\"pid\":"
              + pid
              + "}}],\"minimum_should_match\":1}}}";
      HttpResponse<String> r =
          c.send(
              HttpRequest.newBuilder(
                      base.resolve("/" + pattern + "/_search?ignore_unavailable=true"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(query))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IOException("search " + pattern + ": " + r.statusCode() + " " + r.body());
      }
      List<JsonNode> hits = new ArrayList<>();
      JSON.readTree(r.body()).at("/hits/hits").forEach(hits::add);
      return hits;
    }
  }
}
