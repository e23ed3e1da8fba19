package dev.vigil.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.agent.cli.Agent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The agent's JSON-lines files in one {@code --events} directory, read as a tailer would: only
 * complete lines (the agent's buffered writer may have flushed half of the last one), waits with
 * generous deadlines that name what was seen when they run out. Shared by the agent ITs.
 */
final class EventFiles {
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  EventFiles(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** Every complete line of {@code stream} (e.g. {@code notice.log}); none when it is missing. */
  List<JsonNode> lines(String stream) throws IOException {
    return lines(dir.resolve(stream));
  }

  /** Every complete line of {@code file}. */
  static List<JsonNode> lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    List<JsonNode> out = new ArrayList<>();
    if (end < 0) {
      return out;
    }
    for (String l : text.substring(0, end).split("\n")) {
      if (!l.isBlank()) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }

  JsonNode await(String stream, Predicate<JsonNode> match) throws Exception {
    return await(stream, match, WAIT);
  }

  JsonNode await(String stream, Predicate<JsonNode> match, Duration timeout) throws Exception {
    return await(dir.resolve(stream), match, timeout);
  }

  /** The first line of {@code file} matching, waiting up to {@code timeout} for it. */
  static JsonNode await(Path file, Predicate<JsonNode> match, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode n : lines(file)) {
        if (match.test(n)) {
          return n;
        }
      }
      Thread.sleep(100);
    }
    List<JsonNode> seen = lines(file);
    throw new AssertionError(
        "no matching line in "
            + file.getFileName()
            + " within "
            + timeout
            + "; last lines: "
            + seen.subList(Math.max(0, seen.size() - 8), seen.size()));
  }

  /** Waits until {@code count} lines of {@code stream} match. */
  void awaitCount(String stream, Predicate<JsonNode> match, int count, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long n = 0;
    while (System.nanoTime() < deadline) {
      n = lines(stream).stream().filter(match).count();
      if (n >= count) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "only " + n + " of " + count + " matching lines in " + stream + " within " + timeout);
  }

  /** The ConnectBack (or other rule's) alert of {@code pid} in notice.log. */
  JsonNode awaitAlert(String rule, long pid) throws Exception {
    return await(
        "notice.log",
        n -> n.at("/rule/name").asText().equals(rule) && n.at("/process/pid").asLong() == pid);
  }

  /**
   * Waits for the connection of {@code pid} to be established: a connect-back alert held for its
   * source port is written in the same batch, so after this (+500 ms for the flush) an absent alert
   * is really absent.
   */
  void awaitEstablished(long pid) throws Exception {
    await(
        "socket.log",
        n -> n.path("event").asText().equals("established") && n.path("pid").asLong() == pid);
    Thread.sleep(500);
  }

  /** The agent's /metrics text. */
  static String metrics(Agent agent) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.metricsPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
