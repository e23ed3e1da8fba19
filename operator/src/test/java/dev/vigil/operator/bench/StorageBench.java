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
import java.util.EnumSet;
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
 *       all fields indexed with doc values, {@code _source} stored, ids {@code uid@ts}).
 *   <li>Ingests the same conn.log documents (ids as the sensor makes them, {@link Doc#compactId})
 *       with plain {@code _bulk} requests of 5 000 {@code create}s into {@code bench-raw} and
 *       {@code bench-untuned}, and through the {@link Shipper} (production defaults) into {@code
 *       bench-tuned}; prints docs/s of each and the Shipper / raw ratio. Then more Shipper / raw
 *       rounds ({@code -Dbench.ingest.rounds}, default 5 in all) in alternating order, each phase
 *       into fresh indices deleted before the next phase, and the median ratio with its range.
 *   <li>Where the operator template's bytes go, by Lucene file type.
 *   <li>Force-merges every index to one segment and prints the primary store size against the
 *       gzip'd conn.log.
 *   <li>The lever ladder: from the ADR 0010 template (the operator's before derived source) each
 *       storage lever added in turn ({@link Lever}), each rung ingested with plain {@code _bulk},
 *       force-merged and printed as bytes/record and store/gzip; the last rung is the operator
 *       template. {@code -Dbench.ladder=false} skips it.
 * </ol>
 */
public final class StorageBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Shipper-vs-raw rounds ({@code -Dbench.ingest.rounds}, default 5), in alternating order. */
  private static final int INGEST_ROUNDS = Integer.getInteger("bench.ingest.rounds", 5);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final int BATCH = 5_000;

  private StorageBench() {}

  /**
   * The storage levers of the conn template, in the order the ladder adds them; each undoes itself
   * on a copy of the operator template (mapping and ids), so rung {@code k} is the operator
   * template with the levers after {@code k} undone.
   */
  enum Lever {
    DERIVED_SOURCE(
        "derived _source (ts date_nanos, keywords without ignore_above, history stored)"),
    COMPACT_IDS("compact ids (12 bytes: second + SHA-256 of uid@ts) instead of uid@ts"),
    UID_DOC_VALUES_ONLY("uid: doc values only, no terms"),
    NUMBERS_DOC_VALUES_ONLY("ports, byte counts, VLANs: doc values only, no points"),
    DURATION_SCALED("duration: scaled_float (micros) instead of double"),
    HISTORY_DOC_VALUES("history: doc values instead of a stored field"),
    TS_SKIP_LIST("ts: doc values with a skip index (skip_list) instead of points");

    final String what;

    Lever(String what) {
      this.what = what;
    }

    /** Undoes this lever in the template {@code t}. */
    void undo(ObjectNode t) {
      ObjectNode p = (ObjectNode) t.at("/template/mappings/properties");
      switch (this) {
        case DERIVED_SOURCE -> {
          ((ObjectNode) t.at("/template/settings/index")).remove("derived_source");
          ((ObjectNode) t.at("/template/mappings")).put("dynamic", false);
          ((ObjectNode) p.get("ts")).put("type", "date");
          ignoreAbove(p);
          p.putObject("history")
              .put("type", "keyword")
              .put("index", false)
              .put("doc_values", false);
        }
        case COMPACT_IDS -> {} // ids: see natural()
        case UID_DOC_VALUES_ONLY -> {
          ObjectNode uid = (ObjectNode) p.get("uid");
          uid.remove("index");
          if (!t.at("/template/settings/index/derived_source").isObject()) {
            uid.put("ignore_above", 1024);
          }
        }
        case NUMBERS_DOC_VALUES_ONLY -> {
          for (String f :
              List.of("id.orig_p", "id.resp_p", "orig_bytes", "resp_bytes", "vlan", "inner_vlan")) {
            ((ObjectNode) p.at("/" + f.replace(".", "/properties/"))).remove("index");
          }
        }
        case DURATION_SCALED -> p.putObject("duration").put("type", "double").put("index", false);
        case TS_SKIP_LIST -> {
          ObjectNode ts = (ObjectNode) p.get("ts");
          ts.remove("index");
          ts.remove("skip_list");
        }
        case HISTORY_DOC_VALUES -> {
          if (t.at("/template/settings/index/derived_source").isObject()) {
            ((ObjectNode) p.get("history")).put("doc_values", false).put("store", true);
          }
        }
      }
    }
  }

  /** Keywords as the ADR 0010 template had them: {@code ignore_above: 1024}. */
  private static void ignoreAbove(JsonNode props) {
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      JsonNode f = it.next().getValue();
      if (f instanceof ObjectNode o) {
        if (o.path("type").asText().equals("keyword")
            && o.path("index").asBoolean(true)
            && o.path("doc_values").asBoolean(true)) {
          o.put("ignore_above", 1024);
        }
        if (o.has("properties")) {
          ignoreAbove(o.get("properties"));
        }
      }
    }
  }

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
        List.of(
            "bench-tuned",
            "bench-raw",
            "bench-untuned",
            "bench-warm",
            "bench-warms",
            "bench-points")) {
      call(os, "DELETE", "/" + p + "-*", null);
    }
    template(os, "bench-tuned", EnumSet.noneOf(Lever.class), false);
    template(os, "bench-raw", EnumSet.noneOf(Lever.class), false);
    template(os, "bench-untuned", EnumSet.allOf(Lever.class), true);
    template(os, "bench-warm", EnumSet.noneOf(Lever.class), false);
    template(os, "bench-warms", EnumSet.noneOf(Lever.class), false);
    List<Doc> natural = docs.stream().map(StorageBench::natural).toList();

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
    breakdown(os, "bench-tuned", docs.size());
    timeRanges(os, docs);
    call(os, "DELETE", "/bench-tuned-*", null);
    double rawRate = raw(os, "bench-raw", docs);
    call(os, "DELETE", "/bench-raw-*", null);
    System.out.printf(
        Locale.ROOT, "ingest raw _bulk (5000/req): %,.0f docs/s (operator template)%n", rawRate);
    System.out.printf(
        Locale.ROOT,
        "ratio Shipper / raw _bulk : %.1f %% (round 1 of %d: Shipper first)%n",
        100 * shipRate / rawRate,
        INGEST_ROUNDS);
    // Further rounds alternate the order (raw first, then Shipper first, ...), so that neither
    // path always runs into the node's later state or the same slice of another process's load;
    // each phase's indices are deleted before the next phase starts, so that no phase runs beside
    // the background merges of the one before. The verdict is the median round.
    List<Double> ratios = new ArrayList<>(List.of(shipRate / rawRate));
    for (int round = 2; round <= INGEST_ROUNDS; round++) {
      boolean rawFirst = round % 2 == 0;
      double r = 0;
      if (rawFirst) {
        r = raw(os, "bench-raw", docs);
        call(os, "DELETE", "/bench-raw-*", null);
      }
      double sh = shipper(os, "bench-tuned", docs, work.resolve("spool" + round));
      call(os, "DELETE", "/bench-tuned-*", null);
      if (!rawFirst) {
        r = raw(os, "bench-raw", docs);
        call(os, "DELETE", "/bench-raw-*", null);
      }
      ratios.add(sh / r);
      System.out.printf(
          Locale.ROOT,
          "ratio Shipper / raw _bulk : %.1f %% (round %d: %s first; %,.0f vs %,.0f docs/s)%n",
          100 * sh / r,
          round,
          rawFirst ? "raw" : "Shipper",
          sh,
          r);
    }
    List<Double> sorted = ratios.stream().sorted().toList();
    System.out.printf(
        Locale.ROOT,
        "ratio Shipper / raw _bulk : median %.1f %% of %d rounds, range %.1f-%.1f %% (goal >= 90 %%)%n",
        100 * sorted.get(sorted.size() / 2),
        sorted.size(),
        100 * sorted.getFirst(),
        100 * sorted.getLast());
    double untunedRate = raw(os, "bench-untuned", natural);
    System.out.printf(Locale.ROOT, "ingest raw _bulk, untuned  : %,.0f docs/s%n", untunedRate);
    long untuned = mergedStore(os, "bench-untuned", docs.size());
    System.out.printf(
        Locale.ROOT,
        "store, untuned (before)   : %,d bytes, %.1f bytes/record, store/gzip = %.2fx%n",
        untuned,
        (double) untuned / docs.size(),
        (double) untuned / gzipBytes);
    call(os, "DELETE", "/bench-untuned-*", null);

    if (!Boolean.parseBoolean(System.getProperty("bench.ladder", "true"))) {
      return;
    }
    System.out.println("lever ladder (plain _bulk, force-merged; each rung adds one lever):");
    Lever[] levers = Lever.values();
    for (int k = 0; k <= levers.length; k++) {
      EnumSet<Lever> undone = EnumSet.noneOf(Lever.class);
      for (int j = k; j < levers.length; j++) {
        undone.add(levers[j]);
      }
      String prefix = "bench-rung" + k;
      call(os, "DELETE", "/" + prefix + "-*", null);
      template(os, prefix, undone, false);
      raw(os, prefix, undone.contains(Lever.COMPACT_IDS) ? natural : docs);
      long b = mergedStore(os, prefix, docs.size());
      System.out.printf(
          Locale.ROOT,
          "  %-74s: %,13d bytes, %6.1f bytes/record, store/gzip = %.2fx%n",
          k == 0 ? "ADR 0010 template (before derived source)" : "+ " + levers[k - 1].what,
          b,
          (double) b / docs.size(),
          (double) b / gzipBytes);
      call(os, "DELETE", "/" + prefix + "-*", null);
    }
  }

  /** The same record with the id the sensor gave it before compact ids: {@code uid@ts}. */
  static Doc natural(Doc d) {
    String line = d.json();
    int ts0 = line.indexOf("{\"ts\":") + 6;
    int ts1 = line.indexOf(',', ts0);
    int uid0 = line.indexOf("\"uid\":\"", ts1) + 7;
    int uid1 = line.indexOf('"', uid0);
    return Doc.withId(
        d.dataClass(),
        d.epochMillis(),
        line.substring(uid0, uid1) + "@" + line.substring(ts0, ts1),
        line);
  }

  /** Force-merges the prefix's indices to one segment; their primary store bytes. */
  private static long mergedStore(URI os, String prefix, long expectDocs) throws Exception {
    call(os, "POST", "/" + prefix + "-*/_forcemerge?max_num_segments=1", null);
    call(os, "POST", "/" + prefix + "-*/_refresh", null);
    return store(os, prefix, expectDocs);
  }

  /**
   * The document the sensor ships for a conn.log line: the compact id of {@code uid@ts}, as
   * ConnLogWriter makes it.
   */
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
        Doc.compactId(Math.floorDiv(millis, 1000L), line.substring(uid0, uid1) + "@" + ts),
        line);
  }

  /**
   * The operator's conn template for {@code prefix}, with {@code undone} levers undone and, when
   * {@code untuned}, every field indexed with doc values.
   */
  private static void template(URI os, String prefix, EnumSet<Lever> undone, boolean untuned)
      throws Exception {
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
    for (Lever l : undone) {
      l.undo(t);
    }
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
        o.remove("store");
        if (o.has("properties")) {
          undo(o.get("properties"));
        }
      }
    }
  }

  /** Plain _bulk creates, one request at a time, as the Shipper sends them; returns docs/s. */
  static double raw(URI os, String prefix, List<Doc> docs) throws Exception {
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
          LockSupport.parkNanos(2_000_000); // 60 000 records of headroom: ~1 s of work
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

  /**
   * Where the bytes go: the prefix's segment files by Lucene file type (stored fields, terms,
   * postings, doc values, points...), summed over its indices, in bytes/record.
   */
  static void breakdown(URI os, String prefix, long records) throws Exception {
    JsonNode idx =
        call(
                os,
                "GET",
                "/" + prefix + "-*/_stats/segments?include_segment_file_sizes=true&level=indices",
                null)
            .path("indices");
    Map<String, long[]> sizes = new java.util.TreeMap<>();
    Map<String, String> what = new java.util.HashMap<>();
    for (JsonNode i : idx) {
      for (Map.Entry<String, JsonNode> f :
          i.path("primaries").path("segments").path("file_sizes").properties()) {
        sizes.computeIfAbsent(f.getKey(), k -> new long[1])[0] +=
            f.getValue().path("size_in_bytes").asLong();
        what.put(f.getKey(), f.getValue().path("description").asText());
      }
    }
    System.out.println("  by Lucene file (operator template, force-merged):");
    sizes.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "    %-5s %6.1f bytes/record  %s%n",
                    e.getKey(),
                    (double) e.getValue()[0] / records,
                    what.get(e.getKey())));
  }

  /**
   * Time-range search on the operator template ({@code ts}: a skip index over doc values, in {@code
   * bench-tuned}) against the same records with points on {@code ts} ({@code bench-points}), both
   * force-merged: the same random one-minute windows, in alternating order, hit counts compared,
   * and the median latency of each and their ratio.
   */
  static void timeRanges(URI os, List<Doc> docs) throws Exception {
    template(os, "bench-points", EnumSet.of(Lever.TS_SKIP_LIST), false);
    raw(os, "bench-points", docs);
    long points = mergedStore(os, "bench-points", docs.size());
    long lo = docs.stream().mapToLong(Doc::epochMillis).min().orElseThrow() / 1000;
    long hi = docs.stream().mapToLong(Doc::epochMillis).max().orElseThrow() / 1000;
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    int n = 300;
    long[] skip = new long[n];
    long[] bkd = new long[n];
    long hits = 0;
    for (int i = -30; i < n; i++) { // the first 30 warm both up
      long from = lo + rnd.nextLong(Math.max(1, hi - lo - 60));
      String q =
          "{\"size\":0,\"track_total_hits\":true,\"query\":{\"range\":{\"ts\":{\"gte\":\""
              + from
              + "\",\"lt\":\""
              + (from + 60)
              + "\",\"format\":\"epoch_second\"}}}}";
      long[] took = new long[2];
      long[] count = new long[2];
      for (int k = 0; k < 2; k++) {
        int which = (i + k) & 1; // alternate which index is asked first
        long t = System.nanoTime();
        JsonNode r =
            call(
                os,
                "POST",
                (which == 0 ? "/bench-tuned-*" : "/bench-points-*")
                    + "/_search?request_cache=false",
                q);
        took[which] = System.nanoTime() - t;
        count[which] = r.at("/hits/total/value").asLong(-1);
      }
      if (count[0] != count[1] || count[0] < 0) {
        throw new IllegalStateException(
            "ts in [" + from + ", " + (from + 60) + "): " + count[0] + " vs " + count[1] + " hits");
      }
      if (i >= 0) {
        skip[i] = took[0];
        bkd[i] = took[1];
        hits += count[0];
      }
    }
    java.util.Arrays.sort(skip);
    java.util.Arrays.sort(bkd);
    System.out.printf(
        Locale.ROOT,
        "time range, 1 minute (%d queries, %,d hits each on average, counts equal): skip index"
            + " %.2f ms, points %.2f ms median; skip/points = %.2fx (store with ts points: %.1f"
            + " bytes/record)%n",
        n,
        hits / n,
        skip[n / 2] / 1e6,
        bkd[n / 2] / 1e6,
        (double) skip[n / 2] / bkd[n / 2],
        (double) points / docs.size());
    call(os, "DELETE", "/bench-points-*", null);
  }

  /** Primary store bytes of the prefix's conn indices, checking the doc count. */
  static long store(URI os, String prefix, long expectDocs) throws Exception {
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
