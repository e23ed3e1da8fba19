package dev.vigil.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The router's memory in OpenSearch, index {@code <prefix>-router-state}: one {@code cursor}
 * document (ingest time read through, and each route's held-back counts) and one document per group
 * not yet forgotten (its count, the instant through which it counted, and what each route has been
 * sent). Group documents are written before the cursor, so after a crash the cursor may lag the
 * groups but never lead them; {@link Groups} skips what a group already counted.
 */
final class StateStore {
  static final String CURSOR_ID = "cursor";

  private final OpenSearchClient os;
  private final String index;

  /** The cursor document's version as loaded or last written; -1 when there is none. */
  private long cursorSeqNo = -1;

  private long cursorTerm = -1;

  /** What {@link #load()} found. */
  record Loaded(
      long poll, Map<String, Long> cursor, Map<String, long[]> heldBack, List<Group> groups) {
    boolean fresh() {
      return cursor == null;
    }
  }

  StateStore(OpenSearchClient os, String index) {
    this.os = os;
    this.index = index;
  }

  void ensureIndex() throws IOException, InterruptedException {
    if (os.get("/" + index).ok()) {
      return;
    }
    ObjectNode body = OpenSearchClient.JSON.createObjectNode();
    ObjectNode idx = body.putObject("settings").putObject("index");
    idx.put("number_of_shards", "1");
    idx.put("auto_expand_replicas", "0-1");
    ObjectNode mappings = body.putObject("mappings");
    mappings.put("dynamic", false);
    ObjectNode p = mappings.putObject("properties");
    p.putObject("type").put("type", "keyword");
    p.putObject("state").put("type", "keyword");
    p.putObject("key").put("type", "keyword");
    OpenSearchClient.Response r = os.put("/" + index, body.toString());
    if (!r.ok() && !r.body().contains("resource_already_exists_exception")) {
      throw new IOException("creating " + index + ": HTTP " + r.status() + " " + r.body());
    }
  }

  Loaded load() throws IOException, InterruptedException {
    check(os.post("/" + index + "/_refresh", null), "refresh");
    OpenSearchClient.Response c = os.get("/" + index + "/_doc/" + CURSOR_ID);
    Map<String, Long> cursor = null;
    long poll = 0;
    Map<String, long[]> held = new HashMap<>();
    cursorSeqNo = -1;
    cursorTerm = -1;
    if (c.ok()) {
      cursorSeqNo = c.json().path("_seq_no").asLong();
      cursorTerm = c.json().path("_primary_term").asLong();
      JsonNode src = c.json().path("_source");
      poll = src.path("poll").asLong();
      cursor = new HashMap<>();
      for (JsonNode sh : src.path("shards")) {
        cursor.put(sh.path("shard").asText(), sh.path("seq_no").asLong());
      }
      for (Map.Entry<String, JsonNode> e : src.path("routes").properties()) {
        held.put(
            e.getKey(),
            new long[] {
              e.getValue().path("held_groups").asLong(), e.getValue().path("held_alerts").asLong()
            });
      }
    } else if (c.status() != 404) {
      throw new IOException("GET cursor: HTTP " + c.status());
    }
    List<Group> groups = new ArrayList<>();
    OpenSearchClient.Response r =
        os.post(
            "/" + index + "/_search?scroll=2m",
            "{\"size\":1000,\"sort\":[\"_doc\"],\"query\":{\"term\":{\"type\":\"group\"}}}");
    String scrollId = null;
    try {
      while (true) {
        check(r, "search groups");
        JsonNode root = r.json();
        scrollId = root.path("_scroll_id").asText(null);
        JsonNode hits = root.path("hits").path("hits");
        if (hits.isEmpty()) {
          break;
        }
        for (JsonNode h : hits) {
          groups.add(fromJson(h.path("_source")));
        }
        r = os.post("/_search/scroll", "{\"scroll\":\"2m\",\"scroll_id\":\"" + scrollId + "\"}");
      }
    } finally {
      if (scrollId != null) {
        os.send(
            "DELETE",
            "/_search/scroll",
            "{\"scroll_id\":[\"" + scrollId + "\"]}",
            "application/json");
      }
    }
    return new Loaded(poll, cursor, held, groups);
  }

  /** Writes groups (all or nothing from the caller's view: any failed item throws). */
  void saveGroups(Collection<Group> groups) throws IOException, InterruptedException {
    if (groups.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    for (Group g : groups) {
      b.append("{\"index\":{\"_index\":\"")
          .append(index)
          .append("\",\"_id\":")
          .append(OpenSearchClient.JSON.writeValueAsString(g.id()))
          .append("}}\n")
          .append(toJson(g))
          .append('\n');
    }
    bulk(b);
  }

  /**
   * Commits a poll: writes the cursor only if it is still the version this store loaded or last
   * wrote, so a router that another one has fenced off cannot commit.
   *
   * @throws RouterLease.LostException when another router wrote the cursor since
   */
  void saveCursor(long poll, Map<String, Long> cursor, Map<String, long[]> heldBack)
      throws IOException, InterruptedException {
    ObjectNode d = OpenSearchClient.JSON.createObjectNode();
    d.put("type", "cursor");
    d.put("poll", poll);
    com.fasterxml.jackson.databind.node.ArrayNode shards = d.putArray("shards");
    cursor.forEach((shard, seq) -> shards.addObject().put("shard", shard).put("seq_no", seq));
    ObjectNode routes = d.putObject("routes");
    heldBack.forEach(
        (route, h) -> routes.putObject(route).put("held_groups", h[0]).put("held_alerts", h[1]));
    d.put("updated", Instant.now().toString());
    String query =
        cursorSeqNo < 0
            ? "?op_type=create"
            : "?if_seq_no=" + cursorSeqNo + "&if_primary_term=" + cursorTerm;
    OpenSearchClient.Response r = os.put("/" + index + "/_doc/" + CURSOR_ID + query, d.toString());
    if (r.status() == 409) {
      throw new RouterLease.LostException(
          "another router wrote the cursor since this one loaded it (poll " + poll + " dropped)");
    }
    check(r, "PUT cursor");
    cursorSeqNo = r.json().path("_seq_no").asLong();
    cursorTerm = r.json().path("_primary_term").asLong();
  }

  void delete(Collection<String> ids) throws IOException, InterruptedException {
    if (ids.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    for (String id : ids) {
      b.append("{\"delete\":{\"_index\":\"")
          .append(index)
          .append("\",\"_id\":")
          .append(OpenSearchClient.JSON.writeValueAsString(id))
          .append("}}\n");
    }
    bulk(b);
  }

  private void bulk(StringBuilder ndjson) throws IOException, InterruptedException {
    OpenSearchClient.Response r = os.bulk(ndjson.toString());
    check(r, "bulk to " + index);
    JsonNode root = r.json();
    if (root.path("errors").asBoolean(false)) {
      for (JsonNode item : root.path("items")) {
        JsonNode op = item.elements().next();
        int s = op.path("status").asInt();
        if (s / 100 != 2 && s != 404) {
          throw new IOException("bulk to " + index + ": item " + s + " " + op.path("error"));
        }
      }
    }
  }

  private static void check(OpenSearchClient.Response r, String what) throws IOException {
    if (!r.ok()) {
      throw new IOException(what + ": HTTP " + r.status() + " " + abbreviate(r.body()));
    }
  }

  static String toJson(Group g) {
    ObjectNode d = OpenSearchClient.JSON.createObjectNode();
    d.put("type", "group");
    d.put("key", g.key);
    d.put("state", g.state.name());
    d.put("opened_at", g.openedAt);
    d.put("last_seen_at", g.lastSeen);
    d.put("count", g.count);
    d.put("poll", g.poll);
    d.put("base_count", g.baseCount);
    d.put("base_last_seen_at", g.baseLastSeen);
    d.put("base_state", g.baseState.name());
    d.put("rule", g.ruleName);
    d.put("severity", g.severity);
    d.put("first_seen", g.firstTimestamp);
    d.put("last_seen", g.lastTimestamp);
    d.put("message", g.message);
    d.put("source_ip", g.sourceIp);
    d.put("destination_ip", g.destinationIp);
    d.put("host", g.hostName);
    d.put("user", g.userName);
    ObjectNode routes = d.putObject("routes");
    g.routes.forEach(
        (name, p) ->
            routes
                .putObject(name)
                .put("opened", p.opened)
                .put("triggered", p.triggered)
                .put("closed", p.closed)
                .put("suppressed", p.suppressed));
    return d.toString();
  }

  static Group fromJson(JsonNode d) {
    Group g = new Group(d.path("key").asText(), d.path("opened_at").asLong());
    g.state = Group.State.valueOf(d.path("state").asText("OPEN"));
    g.lastSeen = d.path("last_seen_at").asLong();
    g.count = d.path("count").asLong();
    g.poll = d.path("poll").asLong();
    g.baseCount = d.path("base_count").asLong();
    g.baseLastSeen = d.path("base_last_seen_at").asLong();
    g.baseState = Group.State.valueOf(d.path("base_state").asText("OPEN"));
    g.ruleName = d.path("rule").asText();
    g.severity = d.path("severity").asInt();
    g.firstTimestamp = text(d.path("first_seen"));
    g.lastTimestamp = text(d.path("last_seen"));
    g.message = text(d.path("message"));
    g.sourceIp = text(d.path("source_ip"));
    g.destinationIp = text(d.path("destination_ip"));
    g.hostName = text(d.path("host"));
    g.userName = text(d.path("user"));
    for (Map.Entry<String, JsonNode> e : d.path("routes").properties()) {
      Group.Progress p = g.progress(e.getKey());
      p.opened = e.getValue().path("opened").asBoolean();
      p.triggered = e.getValue().path("triggered").asBoolean();
      p.closed = e.getValue().path("closed").asBoolean();
      p.suppressed = e.getValue().path("suppressed").asBoolean();
    }
    g.dirty = false;
    return g;
  }

  private static String text(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? null : n.asText();
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 500 ? s.substring(0, 500) + "..." : s;
  }
}
