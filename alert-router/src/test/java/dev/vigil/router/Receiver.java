package dev.vigil.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP receiver standing in for PagerDuty, Slack or a webhook: records every request and
 * answers with scripted statuses (then {@code okStatus}).
 */
final class Receiver implements AutoCloseable {
  record Request(String path, String authorization, String body, int answered) {
    JsonNode json() {
      try {
        return OpenSearchClient.JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
  private final int okStatus;

  Receiver(int okStatus, Integer... scripted) throws IOException {
    this.okStatus = okStatus;
    script.addAll(List.of(scripted));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          Integer s = script.poll();
          int status = s == null ? okStatus : s;
          requests.add(
              new Request(
                  ex.getRequestURI().getPath(),
                  ex.getRequestHeaders().getFirst("Authorization"),
                  new String(body, StandardCharsets.UTF_8),
                  status));
          byte[] answer =
              (status / 100 == 2 ? "{\"status\":\"success\"}" : "{\"status\":\"boom\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(status, answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** Requests answered 2xx. */
  List<Request> delivered() {
    return requests.stream().filter(r -> r.answered() / 100 == 2).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
