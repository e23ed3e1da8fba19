package dev.vigil.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.spec.OpenSearch;
import dev.vigil.common.ship.Doc;
import dev.vigil.common.ship.Shipper;
import dev.vigil.common.ship.ShipperConfig;
import dev.vigil.operator.opensearch.DataClass;
import dev.vigil.operator.opensearch.IndexTemplates;
import dev.vigil.sensor.bench.ConnLogGen;
import dev.vigil.sensor.log.ConnLogWriter;
import dev.vigil.testing.OpenSearchCalls;
import dev.vigil.testing.OpenSearchNodes;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conn indices derive {@code _source} (docs/adr/0010): no copy of the record is stored. Against a
 * real node with the operator's conn template, records written and shipped by the sensor's own
 * {@link ConnLogWriter} (sensor id, observer fields, IPv4 and IPv6, VLANs, optional fields left
 * out) must read back, by GET and by search, with every field the sensor shipped and each value
 * equal to it ({@link ReadBack}); the fields the dashboards aggregate must aggregate to the sums
 * and counts of the file, the ones people search must find what the file says; a record with a
 * field the mapping lacks is rejected (dead-lettered), never stored without it.
 */
class DerivedSourceIT {
  /** Decimals as written (ts to the microsecond), not as the nearest double. */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static final String SENSOR = "ds-sensor-0";

  @TempDir Path tmp;

  @Test
  void connRecordsReadBackAsShippedFromADerivedSource() throws Exception {
    URI os = URI.create(OpenSearchNodes.url());
    String prefix = "ds-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    OpenSearch spec = new OpenSearch();
    spec.setEndpoints(List.of(os.toString()));
    spec.setIndexPrefix(prefix);
    spec.setShards(1);
    spec.setReplicas(0);
    ObjectNode template = IndexTemplates.desired(spec, DataClass.CONN, "it/derived");
    assertThat(template.at("/template/settings/index/derived_source/enabled").asText())
        .isEqualTo("true");
    call(os, "PUT", "/_index_template/" + IndexTemplates.name(spec, DataClass.CONN), template);
    JsonNode props = DataClass.CONN.properties();

    // 1. The sensor's writer and shipper, as a sensor with an identity and a link ships.
    Path log = tmp.resolve("conn.log");
    ShipperConfig cfg =
        ShipperConfig.defaults(() -> os, tmp.resolve("spool")).withIndexPrefix(prefix);
    int n = 4_000;
    try (Shipper shipper = new Shipper(cfg);
        ConnLogWriter w =
            new ConnLogWriter(log, 7, shipper, SENSOR).observer("ds-tap", "ds-link")) {
      ConnLogGen.write(w, n, 7);
      w.close();
      assertThat(shipper.awaitDrained(Duration.ofMinutes(2))).as("shipped").isTrue();
      assertThat(shipper.metrics().deadLettered.get()).isZero();
    }
    Map<String, JsonNode> shipped = new HashMap<>();
    for (String line : Files.readAllLines(log)) {
      ObjectNode doc = (ObjectNode) JSON.readTree(line);
      ObjectNode observer = doc.putObject("observer").put("type", "sensor").put("name", "ds-tap");
      observer.putObject("ingress").putObject("interface").put("name", "ds-link");
      String ts = line.substring(6, line.indexOf(','));
      String id =
          Doc.compactId(
              Long.parseLong(ts.substring(0, ts.indexOf('.'))),
              SENSOR + ":" + doc.path("uid").asText() + "@" + ts);
      assertThat(shipped.put(id, doc)).as("unique id %s", id).isNull();
    }
    assertThat(shipped).hasSize(n);
    // The population covers what the check must see: IPv6, VLAN tags, an optional field absent,
    // missed bytes.
    assertThat(where(shipped, d -> d.path("id.orig_h").asText().contains(":"))).isPositive();
    assertThat(where(shipped, d -> d.has("vlan"))).isPositive();
    assertThat(where(shipped, d -> !d.has("service"))).isPositive();
    assertThat(where(shipped, d -> d.path("missed_bytes").asLong() > 0)).isPositive();

    // 2. GET by id (before any explicit refresh: real-time reads may come from the translog),
    // then every document by search after a refresh.
    List<String> ids = new ArrayList<>(shipped.keySet());
    String pattern = prefix + "-conn-*";
    for (int i = 0; i < ids.size(); i += 97) {
      String id = ids.get(i);
      JsonNode doc = shipped.get(id);
      String index =
          dev.vigil.common.schema.DataClass.CONN.indexName(prefix, millis(doc.path("ts").asText()));
      JsonNode got = call(os, "GET", "/" + index + "/_doc/" + id, null);
      assertThat(got.path("found").asBoolean()).as("GET %s", id).isTrue();
      assertThat(ReadBack.leaves(got.path("_source"), props))
          .as("GET %s", id)
          .isEqualTo(ReadBack.leaves(doc, props));
    }
    call(os, "POST", "/" + pattern + "/_refresh", null);
    Map<String, JsonNode> found = new HashMap<>();
    JsonNode r =
        call(
            os,
            "POST",
            "/" + pattern + "/_search?scroll=2m",
            "{\"size\":1000,\"query\":{\"match_all\":{}}}");
    while (r.path("hits").path("hits").size() > 0) {
      for (JsonNode h : r.path("hits").path("hits")) {
        assertThat(found.put(h.path("_id").asText(), h.path("_source"))).isNull();
      }
      r =
          call(
              os,
              "POST",
              "/_search/scroll",
              "{\"scroll\":\"2m\",\"scroll_id\":\"" + r.path("_scroll_id").asText() + "\"}");
    }
    assertThat(found.keySet()).isEqualTo(shipped.keySet());
    for (Map.Entry<String, JsonNode> e : found.entrySet()) {
      assertThat(ReadBack.leaves(e.getValue(), props))
          .as("search hit %s", e.getKey())
          .isEqualTo(ReadBack.leaves(shipped.get(e.getKey()), props));
    }

    // 3. What the dashboards aggregate: sums and counts equal to the file's.
    for (String f :
        List.of(
            "orig_bytes",
            "resp_bytes",
            "orig_pkts",
            "resp_pkts",
            "orig_ip_bytes",
            "resp_ip_bytes",
            "missed_bytes",
            "duration")) {
      BigDecimal want = BigDecimal.ZERO;
      for (JsonNode d : shipped.values()) {
        if (d.has(f)) {
          want = want.add(d.get(f).decimalValue());
        }
      }
      JsonNode agg =
          call(
              os,
              "POST",
              "/" + pattern + "/_search",
              "{\"size\":0,\"aggs\":{\"s\":{\"sum\":{\"field\":\"" + f + "\"}}}}");
      assertThat(agg.at("/aggregations/s/value").decimalValue().doubleValue())
          .as("sum of %s", f)
          .isCloseTo(want.doubleValue(), org.assertj.core.data.Offset.offset(1e-6 * n));
    }
    for (String f :
        List.of(
            "id.orig_h",
            "id.resp_h",
            "id.resp_p",
            "proto",
            "service",
            "conn_state",
            "observer.name",
            "observer.ingress.interface.name")) {
      Map<String, Long> want = new HashMap<>();
      for (JsonNode d : shipped.values()) {
        JsonNode v = f.startsWith("observer") ? d.at("/" + f.replace('.', '/')) : d.get(f);
        if (v != null && !v.isMissingNode()) {
          want.merge(v.asText(), 1L, Long::sum);
        }
      }
      JsonNode agg =
          call(
              os,
              "POST",
              "/" + pattern + "/_search",
              "{\"size\":0,\"aggs\":{\"t\":{\"terms\":{\"field\":\""
                  + f
                  + "\",\"size\":100000}}}}");
      Map<String, Long> got = new HashMap<>();
      for (JsonNode b : agg.at("/aggregations/t/buckets")) {
        got.put(b.path("key").asText(), b.path("doc_count").asLong());
      }
      assertThat(got).as("terms of %s", f).isEqualTo(want);
    }

    // 4. What people search: a uid, a port, an address block, a byte range, a time range.
    JsonNode one = shipped.values().iterator().next();
    assertThat(count(os, pattern, term("uid", one.path("uid").asText()))).isEqualTo(1);
    assertThat(count(os, pattern, term("id.resp_p", "22")))
        .isEqualTo(where(shipped, d -> d.path("id.resp_p").asInt() == 22))
        .isPositive();
    assertThat(count(os, pattern, term("id.orig_h", "10.0.0.0/16")))
        .isEqualTo(where(shipped, d -> d.path("id.orig_h").asText().startsWith("10.0.")))
        .isPositive();
    assertThat(count(os, pattern, "{\"range\":{\"orig_bytes\":{\"gte\":1000000}}}"))
        .isEqualTo(where(shipped, d -> d.path("orig_bytes").asLong() >= 1_000_000))
        .isPositive();
    String mid = ((ObjectNode) shipped.get(ids.get(n / 2))).path("ts").asText();
    assertThat(
            count(
                os,
                pattern,
                "{\"range\":{\"ts\":{\"gte\":\"" + mid + "\",\"format\":\"epoch_second\"}}}"))
        .isEqualTo(
            where(
                shipped,
                d -> new BigDecimal(d.path("ts").asText()).compareTo(new BigDecimal(mid)) >= 0))
        .isPositive();

    // 5. The comparison can fail: one microsecond of duration, a dropped field, a renamed value.
    JsonNode sample = shipped.get(ids.get(0));
    ObjectNode changed = sample.deepCopy();
    changed.put("conn_state", "XX");
    assertThat(ReadBack.leaves(changed, props)).isNotEqualTo(ReadBack.leaves(sample, props));
    changed = sample.deepCopy();
    changed.remove("history");
    assertThat(ReadBack.leaves(changed, props)).isNotEqualTo(ReadBack.leaves(sample, props));
    changed = sample.deepCopy();
    changed.put("ts", new BigDecimal(sample.path("ts").asText()).add(new BigDecimal("0.000001")));
    assertThat(ReadBack.leaves(changed, props)).isNotEqualTo(ReadBack.leaves(sample, props));

    // 6. A field the mapping lacks could not be derived: the record is rejected, not cut.
    String unknown =
        ((ObjectNode) sample.deepCopy()).put("uid", "Cunmapped").put("new_field", 1).toString();
    ShipperConfig cfg2 =
        ShipperConfig.defaults(() -> os, tmp.resolve("spool2")).withIndexPrefix(prefix);
    try (Shipper shipper = new Shipper(cfg2)) {
      shipper.offer(
          Doc.withId(
              dev.vigil.common.schema.DataClass.CONN,
              millis(sample.path("ts").asText()),
              Doc.compactId(0, "unmapped"),
              unknown));
      assertThat(shipper.awaitDrained(Duration.ofSeconds(60))).isTrue();
      assertThat(shipper.metrics().deadLettered.get()).isEqualTo(1);
    }
    assertThat(Files.readString(cfg2.deadLetterFile())).contains("Cunmapped");
    call(os, "POST", "/" + pattern + "/_refresh", null);
    assertThat(count(os, pattern, term("uid", "Cunmapped"))).isZero();
  }

  private static long millis(String ts) {
    return new BigDecimal(ts).movePointRight(3).longValue();
  }

  private static long where(Map<String, JsonNode> docs, Predicate<JsonNode> p) {
    return docs.values().stream().filter(p).count();
  }

  private static String term(String field, String value) {
    return "{\"term\":{\"" + field + "\":\"" + value + "\"}}";
  }

  private static long count(URI os, String pattern, String query) throws Exception {
    return call(os, "POST", "/" + pattern + "/_count", "{\"query\":" + query + "}")
        .path("count")
        .asLong();
  }

  private static JsonNode call(URI os, String method, String path, Object body) throws Exception {
    return OpenSearchCalls.call(os, method, path, body == null ? null : body.toString());
  }
}
