package dev.vigil.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads persisted alerts in the order OpenSearch stored them, per shard by sequence number.
 *
 * <p>Every write to a shard gets the next {@code _seq_no}; the shard's <em>global checkpoint</em>
 * is the highest sequence number below which every operation is processed on every in-sync copy. A
 * poll reads each shard's checkpoint, refreshes, and then reads {@code cursor < _seq_no <=
 * checkpoint}: every alert in that range is searchable, and no later alert can land in it. A
 * spooled alert shipped days late (old {@code @timestamp}, so an old daily index) still gets a new
 * sequence number in that index and is read. No clock, ingest pipeline or mapping is involved.
 */
final class AlertSource {
  static final int PAGE = 5_000;
  private static final String FILTER = "filter_path=_scroll_id,hits.hits._id,hits.hits._source";

  private final OpenSearchClient os;
  private final RouterConfig.OpenSearchAccess access;

  /** One shard of one alerts index; {@link #id()} keys the cursor. */
  record Shard(String index, String uuid, int number) {
    String id() {
      return index + "/" + uuid + "/" + number;
    }
  }

  AlertSource(OpenSearchClient os, RouterConfig.OpenSearchAccess access) {
    this.os = os;
    this.access = access;
  }

  /**
   * A shard's progress as its primary reports it.
   *
   * @param global every operation at or below it is processed on every in-sync copy
   * @param max the highest sequence number issued: above {@code global} while writes are in flight
   */
  record Checkpoint(long global, long max) {
    boolean inFlight() {
      return max > global;
    }
  }

  /** Each alerts shard's checkpoints, as its primary reports them. */
  Map<Shard, Checkpoint> checkpoints() throws IOException, InterruptedException {
    OpenSearchClient.Response r =
        os.get(
            "/"
                + access.alertsPattern()
                + "/_stats/docs?level=shards&ignore_unavailable=true&allow_no_indices=true"
                + "&expand_wildcards=open");
    if (!r.ok()) {
      throw new IOException(
          "stats of "
              + access.alertsPattern()
              + ": HTTP "
              + r.status()
              + " "
              + abbreviate(r.body()));
    }
    return parseCheckpoints(r.json());
  }

  static Map<Shard, Checkpoint> parseCheckpoints(JsonNode stats) {
    Map<Shard, Checkpoint> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> idx : stats.path("indices").properties()) {
      String uuid = idx.getValue().path("uuid").asText("-");
      for (Map.Entry<String, JsonNode> sh : idx.getValue().path("shards").properties()) {
        for (JsonNode copy : sh.getValue()) {
          if (copy.path("routing").path("primary").asBoolean(false)) {
            JsonNode seq = copy.path("seq_no");
            if (!seq.isMissingNode()) {
              out.put(
                  new Shard(idx.getKey(), uuid, Integer.parseInt(sh.getKey())),
                  new Checkpoint(
                      seq.path("global_checkpoint").asLong(-1), seq.path("max_seq_no").asLong(-1)));
            }
          }
        }
      }
    }
    return out;
  }

  /** Makes everything processed so far searchable in {@code indices}. */
  void refresh(Collection<String> indices) throws IOException, InterruptedException {
    if (indices.isEmpty()) {
      return;
    }
    OpenSearchClient.Response r =
        os.post("/" + String.join(",", indices) + "/_refresh?ignore_unavailable=true", null);
    if (!r.ok()) {
      throw new IOException("refresh: HTTP " + r.status() + " " + abbreviate(r.body()));
    }
  }

  /** Feeds every alert of {@code shard} with {@code after < _seq_no <= upTo} to {@code sink}. */
  long read(Shard shard, long after, long upTo, Consumer<AlertRecord> sink)
      throws IOException, InterruptedException {
    ObjectNode q = OpenSearchClient.JSON.createObjectNode();
    q.put("size", PAGE);
    q.putArray("sort").add("_doc");
    q.putObject("query").putObject("range").putObject("_seq_no").put("gt", after).put("lte", upTo);
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
    OpenSearchClient.Response r =
        os.post(
            "/"
                + shard.index()
                + "/_search?scroll=2m&preference=_shards:"
                + shard.number()
                + "&"
                + FILTER,
            q.toString());
    long n = 0;
    String scrollId = null;
    try {
      while (true) {
        if (!r.ok()) {
          throw new IOException(
              "search of " + shard.index() + ": HTTP " + r.status() + " " + abbreviate(r.body()));
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
    return new AlertRecord(
        key,
        s.path("rule").path("name").asText("unknown"),
        s.path("event").path("severity").asInt(0),
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
