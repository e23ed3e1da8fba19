package dev.vigil.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.function.Consumer;

/**
 * Reads persisted alerts by ingest time. Every alerts index names the ingest pipeline {@link
 * #pipelineBody()} as its {@code index.default_pipeline}, which stamps {@code event.ingested} with
 * the node's clock when the alert is written: a spooled alert shipped hours late has an old
 * {@code @timestamp} (and lands in an old daily index) but a new {@code event.ingested}, so a
 * cursor over ingest time sees it.
 */
final class AlertSource {
  static final int PAGE = 5_000;
  private static final String FILTER =
      "filter_path=_scroll_id,hits.hits._id,hits.hits._source,hits.hits.fields";

  private final OpenSearchClient os;
  private final RouterConfig.OpenSearchAccess access;

  AlertSource(OpenSearchClient os, RouterConfig.OpenSearchAccess access) {
    this.os = os;
    this.access = access;
  }

  /** The ingest pipeline body; the operator's alerts index template names it. */
  static ObjectNode pipelineBody() {
    ObjectNode p = OpenSearchClient.JSON.createObjectNode();
    p.put(
        "description",
        "vigil.dev: stamps event.ingested so the alert router reads alerts in ingest order");
    ObjectNode set = p.putArray("processors").addObject().putObject("set");
    set.put("field", "event.ingested");
    set.put("value", "{{{_ingest.timestamp}}}");
    set.put("override", true);
    return p;
  }

  /** Installs (or refreshes) the ingest pipeline; idempotent. */
  void ensurePipeline() throws IOException, InterruptedException {
    OpenSearchClient.Response r =
        os.put("/_ingest/pipeline/" + access.ingestPipeline(), pipelineBody().toString());
    if (!r.ok()) {
      throw new IOException(
          "PUT _ingest/pipeline/"
              + access.ingestPipeline()
              + ": HTTP "
              + r.status()
              + " "
              + r.body());
    }
  }

  /** Feeds every alert with {@code after < event.ingested <= upTo} to {@code sink}. */
  long read(long after, long upTo, Consumer<AlertRecord> sink)
      throws IOException, InterruptedException {
    ObjectNode q = OpenSearchClient.JSON.createObjectNode();
    q.put("size", PAGE);
    q.putArray("sort").add("_doc");
    ObjectNode range = q.putObject("query").putObject("range").putObject("event.ingested");
    range.put("gt", after).put("lte", upTo).put("format", "epoch_millis");
    q.putArray("_source")
        .add("vigil.dedup_key")
        .add("rule.name")
        .add("event.severity")
        .add("@timestamp")
        .add("message")
        .add("source.ip")
        .add("destination.ip")
        .add("host.name")
        .add("user.name");
    q.putArray("docvalue_fields")
        .addObject()
        .put("field", "event.ingested")
        .put("format", "epoch_millis");
    OpenSearchClient.Response r =
        os.post(
            "/"
                + access.alertsPattern()
                + "/_search?scroll=2m&ignore_unavailable=true&allow_no_indices=true&"
                + FILTER,
            q.toString());
    long n = 0;
    String scrollId = null;
    try {
      while (true) {
        if (!r.ok()) {
          throw new IOException(
              "search of "
                  + access.alertsPattern()
                  + ": HTTP "
                  + r.status()
                  + " "
                  + abbreviate(r.body()));
        }
        JsonNode root = r.json();
        scrollId = root.path("_scroll_id").asText(null);
        JsonNode hits = root.path("hits").path("hits");
        if (!hits.isArray() || hits.isEmpty()) {
          return n;
        }
        for (JsonNode h : hits) {
          sink.accept(record(h));
          n++;
        }
        if (scrollId == null || hits.size() < PAGE) {
          return n;
        }
        ObjectNode next = OpenSearchClient.JSON.createObjectNode();
        next.put("scroll", "2m").put("scroll_id", scrollId);
        r = os.post("/_search/scroll?" + FILTER, next.toString());
      }
    } finally {
      if (scrollId != null) {
        ObjectNode clear = OpenSearchClient.JSON.createObjectNode();
        clear.putArray("scroll_id").add(scrollId);
        os.send("DELETE", "/_search/scroll", clear.toString(), "application/json");
      }
    }
  }

  static AlertRecord record(JsonNode hit) {
    JsonNode s = hit.path("_source");
    String key = s.path("vigil").path("dedup_key").asText(null);
    if (key == null || key.isEmpty()) {
      key = "doc-" + hit.path("_id").asText();
    }
    JsonNode ingested = hit.path("fields").path("event.ingested").path(0);
    return new AlertRecord(
        key,
        s.path("rule").path("name").asText("unknown"),
        s.path("event").path("severity").asInt(0),
        new BigDecimal(ingested.asText("0")).longValue(),
        s.path("@timestamp").asText(null),
        text(s.path("message")),
        text(s.path("source").path("ip")),
        text(s.path("destination").path("ip")),
        text(s.path("host").path("name")),
        text(s.path("user").path("name")));
  }

  private static String text(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? null : n.asText();
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 500 ? s.substring(0, 500) + "..." : s;
  }
}
