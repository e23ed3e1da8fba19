package dev.vigil.common.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends documents to {@code _bulk} as NDJSON {@code create} operations over {@link HttpClient} and
 * sorts the outcome per record: created → shipped; 409 (already there under the same id) →
 * duplicate; 429/5xx per item, or the whole request failing (unreachable, timeout, 429, 5xx,
 * 401/403/404 while security or the cluster is misconfigured) → returned for retry; any other
 * per-item 4xx (mapping conflict, parse error) → dead letter with OpenSearch's reason. A whole
 * request answered 400 or 413 is split until the culprit stands alone and can be dead-lettered.
 */
final class BulkClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FILTER = "?filter_path=errors,items.*.status,items.*.error";

  private final ShipperConfig cfg;
  private final ShipperMetrics metrics;
  private final DeadLetters deadLetters;
  private final HttpClient http;

  /** Docs to try again, and why, or an empty list when every doc reached a final state. */
  record Outcome(List<Doc> retry, String error) {
    static final Outcome DONE = new Outcome(List.of(), null);
  }

  BulkClient(ShipperConfig cfg, ShipperMetrics metrics, DeadLetters deadLetters) {
    this.cfg = cfg;
    this.metrics = metrics;
    this.deadLetters = deadLetters;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(cfg.connectTimeout())
            .version(HttpClient.Version.HTTP_1_1);
    if (cfg.sslContext() != null) {
      b.sslContext(cfg.sslContext());
    }
    this.http = b.build();
  }

  String index(Doc d) {
    return d.dataClass().indexName(cfg.indexPrefix(), d.epochMillis());
  }

  Outcome send(List<Doc> docs) {
    if (docs.isEmpty()) {
      return Outcome.DONE;
    }
    StringBuilder body = new StringBuilder(docs.size() * 256);
    for (Doc d : docs) {
      body.append("{\"create\":{\"_index\":");
      appendJsonString(body, index(d));
      body.append(",\"_id\":");
      appendJsonString(body, d.id());
      body.append("}}\n").append(d.json()).append('\n');
    }
    URI base = cfg.endpoint().get();
    HttpRequest.Builder req =
        HttpRequest.newBuilder(base.resolve("/_bulk" + FILTER))
            .timeout(cfg.requestTimeout())
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    if (cfg.authorization() != null) {
      req.header("Authorization", cfg.authorization());
    }
    metrics.bulkRequests.incrementAndGet();
    HttpResponse<String> resp;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return retryAll(docs, "unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return retryAll(docs, "interrupted");
    }
    int status = resp.statusCode();
    if (status == 400 || status == 413) {
      if (docs.size() == 1) {
        Doc d = docs.getFirst();
        deadLetters.write(d, index(d), status, "bulk request rejected: " + abbreviate(resp.body()));
        metrics.deadLettered.incrementAndGet();
        return Outcome.DONE;
      }
      int half = docs.size() / 2;
      Outcome a = send(docs.subList(0, half));
      Outcome b = send(docs.subList(half, docs.size()));
      List<Doc> retry = new ArrayList<>(a.retry());
      retry.addAll(b.retry());
      return new Outcome(retry, a.error() != null ? a.error() : b.error());
    }
    if (status / 100 != 2) {
      return retryAll(docs, "HTTP " + status + ": " + abbreviate(resp.body()));
    }
    JsonNode root;
    try {
      root = JSON.readTree(resp.body());
    } catch (IOException e) {
      return retryAll(docs, "unparsable bulk response: " + abbreviate(resp.body()));
    }
    JsonNode items = root.path("items");
    if (items.size() != docs.size()) {
      return retryAll(docs, "bulk response has " + items.size() + " items for " + docs.size());
    }
    List<Doc> retry = new ArrayList<>();
    String error = null;
    for (int i = 0; i < docs.size(); i++) {
      JsonNode item = items.get(i).path("create");
      int s = item.path("status").asInt(0);
      Doc d = docs.get(i);
      if (s == 200 || s == 201) {
        metrics.shipped.incrementAndGet();
      } else if (s == 409) {
        metrics.duplicate.incrementAndGet();
      } else if (s == 429 || s >= 500 || s == 0) {
        retry.add(d);
        error = "item " + s + ": " + item.path("error");
      } else {
        JsonNode err = item.path("error");
        String reason = err.path("type").asText("") + ": " + err.path("reason").asText("");
        JsonNode cause = err.path("caused_by");
        if (!cause.isMissingNode()) {
          reason +=
              " (caused by "
                  + cause.path("type").asText("")
                  + ": "
                  + cause.path("reason").asText("")
                  + ")";
        }
        deadLetters.write(d, index(d), s, reason);
        metrics.deadLettered.incrementAndGet();
      }
    }
    metrics.failed.addAndGet(retry.size());
    return new Outcome(retry, error);
  }

  private Outcome retryAll(List<Doc> docs, String error) {
    metrics.failed.addAndGet(docs.size());
    return new Outcome(List.copyOf(docs), error);
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 500 ? s.substring(0, 500) + "..." : s;
  }

  static void appendJsonString(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
