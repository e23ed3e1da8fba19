package dev.vigil.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.spec.OpenSearch;
import dev.vigil.common.ship.Doc;
import dev.vigil.common.ship.Shipper;
import dev.vigil.common.ship.ShipperConfig;
import dev.vigil.operator.opensearch.DataClass;
import dev.vigil.operator.opensearch.IndexTemplates;
import dev.vigil.testing.OpenSearchCalls;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code StorageBench <opensearch-url> <conn.log> <gzip-bytes> <work-dir>}: the storage and ingest
 * benchmark behind {@code make bench} (see {@code common/bench/storage-bench.sh}).
 *
 * <ol>
 *   <li>Installs the operator's conn template ({@code bench-tuned}, {@code bench-raw}) and, as the
 *       "before" peer, the same template with every storage choice undone ({@code bench-untuned}:
 *       all fields indexed with doc values).
 *   <li>Ingests the same conn.log documents (ids {@code uid@ts}, as the sensor sends them) with
 *       plain {@code _bulk} requests of 5 000 {@code create}s into {@code bench-raw} and {@code
 *       bench-untuned}, and through the {@link Shipper} (production defaults) into {@code
 *       bench-tuned}; prints docs/s of each and the Shipper / raw ratio.
 *   <li>Force-merges every index to one segment and prints the primary store size against the
 *       gzip'd conn.log.
 * </ol>
 */
public final class StorageBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final int BATCH = 5_000;

  private StorageBench() {}

  public static void main(String[] args) throws Exception {
    URI os = URI.create(args[0]);
    Path connLog = Path.of(args[1]);
    long gzipBytes = Long.parseLong(args[2]);
    Path work = Path.of(args[3]);
    List<Doc> docs = new ArrayList<>();
    long jsonBytes = 0;
    try (var lines = Files.lines(connLog)) {
      for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        String l = it.next();
        jsonBytes += l.length() + 1;
        docs.add(doc(l));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "conn records              : %,d (%,d bytes of JSON lines)%n",
        docs.size(),
        jsonBytes);
    System.out.printf(
        Locale.ROOT,
        "gzip -6 of conn.log       : %,d bytes (%.1f bytes/record)%n",
        gzipBytes,
        (double) gzipBytes / docs.size());

    for (String p :
        List.of("bench-tuned", "bench-raw", "bench-untuned", "bench-warm", "bench-warms")) {
      call(os, "DELETE", "/" + p + "-*", null);
    }
    template(os, "bench-tuned", false);
    template(os, "bench-raw", false);
    template(os, "bench-untuned", true);
    template(os, "bench-warm", false);
    template(os, "bench-warms", false);

    // Warm both paths (JIT, the node's first segments) on a slice that is thrown away.
    List<Doc> warm = docs.subList(0, Math.min(docs.size(), 100_000));
    raw(os, "bench-warm", warm);
    shipper(os, "bench-warms", warm, work.resolve("warm-spool"));
    call(os, "DELETE", "/bench-warm-*", null);
    call(os, "DELETE", "/bench-warms-*", null);

    // Each measurement is printed as soon as it is taken (a long run on a busy machine still
    // leaves numbers behind).
    double shipRate = shipper(os, "bench-tuned", docs, work.resolve("spool"));
    System.out.printf(
        Locale.ROOT, "ingest Shipper (defaults)  : %,.0f docs/s (operator template)%n", shipRate);
    long tuned = mergedStore(os, "bench-tuned", docs.size());
    System.out.printf(
        Locale.ROOT,
        "store, operator template  : %,d bytes, %.1f bytes/record, store/gzip = %.2fx"
            + " (goal <= 1x)%n",
        tuned,
        (double) tuned / docs.size(),
        (double) tuned / gzipBytes);
    double rawRate = raw(os, "bench-raw", docs);
    System.out.printf(
        Locale.ROOT, "ingest raw _bulk (5000/req): %,.0f docs/s (operator template)%n", rawRate);
    System.out.printf(
        Locale.ROOT,
        "ratio Shipper / raw _bulk : %.1f %% (goal >= 90 %%)%n",
        100 * shipRate / rawRate);
    double untunedRate = raw(os, "bench-untuned", docs);
    System.out.printf(Locale.ROOT, "ingest raw _bulk, untuned  : %,.0f docs/s%n", untunedRate);
    long untuned = mergedStore(os, "bench-untuned", docs.size());
    System.out.printf(
        Locale.ROOT,
        "store, untuned (before)   : %,d bytes, %.1f bytes/record, store/gzip = %.2fx%n",
        untuned,
        (double) untuned / docs.size(),
        (double) untuned / gzipBytes);
  }

  /** Force-merges the prefix's indices to one segment; their primary store bytes. */
  private static long mergedStore(URI os, String prefix, long expectDocs) throws Exception {
    call(os, "POST", "/" + prefix + "-*/_forcemerge?max_num_segments=1", null);
    call(os, "POST", "/" + prefix + "-*/_refresh", null);
    return store(os, prefix, expectDocs);
  }

  /** The document the sensor ships for a conn.log line: id {@code uid@ts}, as ConnLogWriter. */
  static Doc doc(String line) {
    int ts0 = line.indexOf("{\"ts\":") + 6;
    int ts1 = line.indexOf(',', ts0);
    int uid0 = line.indexOf("\"uid\":\"", ts1) + 7;
    int uid1 = line.indexOf('"', uid0);
    String ts = line.substring(ts0, ts1);
    long millis = new BigDecimal(ts).movePointRight(3).longValue();
    return Doc.withId(
        dev.vigil.common.schema.DataClass.CONN,
        millis,
        line.substring(uid0, uid1) + "@" + ts,
        line);
  }

  private static void template(URI os, String prefix, boolean untuned) throws Exception {
    OpenSearch spec = new OpenSearch();
    spec.setEndpoints(List.of(os.toString()));
    spec.setIndexPrefix(prefix);
    spec.setShards(1);
    spec.setReplicas(0);
    spec.setCodec(OpenSearch.Codec.BEST_COMPRESSION);
    ObjectNode t = IndexTemplates.desired(spec, DataClass.CONN, "bench/" + prefix);
    // Bulk-load refresh for every variant alike (fewer tiny segments on a 2-core machine); the
    // store is measured after a force-merge to one segment, which this does not change.
    ((ObjectNode) t.at("/template/settings/index")).put("refresh_interval", "30s");
    if (untuned) {
      undo(t.at("/template/mappings/properties"));
    }
    call(os, "PUT", "/_index_template/" + prefix + "-conn", t.toString());
  }

  /** Every field indexed with doc values: the mapping without the storage choices. */
  private static void undo(JsonNode props) {
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      JsonNode f = it.next().getValue();
      if (f instanceof ObjectNode o) {
        o.remove("index");
        o.remove("doc_values");
        if (o.has("properties")) {
          undo(o.get("properties"));
        }
      }
    }
  }

  /** Plain _bulk creates, one request at a time, as the Shipper sends them; returns docs/s. */
  private static double raw(URI os, String prefix, List<Doc> docs) throws Exception {
    long t0 = System.nanoTime();
    StringBuilder body = new StringBuilder(4 << 20);
    for (int i = 0; i < docs.size(); i += BATCH) {
      body.setLength(0);
      for (Doc d : docs.subList(i, Math.min(docs.size(), i + BATCH))) {
        body.append("{\"create\":{\"_index\":\"")
            .append(d.dataClass().indexName(prefix, d.epochMillis()))
            .append("\",\"_id\":\"")
            .append(d.id())
            .append("\"}}\n")
            .append(d.json())
            .append('\n');
      }
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      os.resolve("/_bulk?filter_path=errors,items.*.status,items.*.error"))
                  .timeout(Duration.ofMinutes(5))
                  .header("Content-Type", "application/x-ndjson")
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200 || JSON.readTree(r.body()).path("errors").asBoolean()) {
        throw new IOException("raw _bulk failed: " + r.statusCode() + " " + r.body());
      }
    }
    return docs.size() / ((System.nanoTime() - t0) / 1e9);
  }

  /**
   * Through the Shipper with production defaults; the producer offers as fast as the queue takes (a
   * sensor at line rate, without spilling to the spool); returns docs/s until drained.
   */
  private static double shipper(URI os, String prefix, List<Doc> docs, Path dir) throws Exception {
    ShipperConfig cfg = ShipperConfig.defaults(() -> os, dir).withIndexPrefix(prefix);
    long t0 = System.nanoTime();
    try (Shipper s = new Shipper(cfg)) {
      int high = cfg.queueCapacity() - cfg.batchDocs();
      for (Doc d : docs) {
        while (s.queueDepth() >= high) {
          LockSupport.parkNanos(200_000);
        }
        if (s.offer(d) == Shipper.Offer.REFUSED) {
          throw new IllegalStateException("shipper refused a record");
        }
      }
      if (!s.awaitDrained(Duration.ofMinutes(30))) {
        throw new IllegalStateException("shipper not drained: " + s.lastError());
      }
      double rate = docs.size() / ((System.nanoTime() - t0) / 1e9);
      var m = s.metrics();
      if (m.deadLettered.get() != 0 || m.shipped.get() != docs.size()) {
        throw new IllegalStateException(
            "shipper: " + m.shipped.get() + " shipped, " + m.deadLettered.get() + " dead letters");
      }
      return rate;
    }
  }

  /** Primary store bytes of the prefix's conn indices, checking the doc count. */
  private static long store(URI os, String prefix, long expectDocs) throws Exception {
    JsonNode rows =
        call(
            os,
            "GET",
            "/_cat/indices/" + prefix + "-*?format=json&bytes=b&h=index,pri.store.size,docs.count",
            null);
    long bytes = 0;
    long count = 0;
    for (JsonNode r : rows) {
      bytes += r.path("pri.store.size").asLong();
      count += r.path("docs.count").asLong();
    }
    if (count != expectDocs) {
      throw new IllegalStateException(prefix + ": " + count + " docs, expected " + expectDocs);
    }
    return bytes;
  }

  private static JsonNode call(URI base, String method, String path, String body) throws Exception {
    return OpenSearchCalls.call(base, method, path, body);
  }
}
