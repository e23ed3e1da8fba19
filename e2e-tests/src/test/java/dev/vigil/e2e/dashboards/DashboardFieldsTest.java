package dev.vigil.e2e.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.operator.opensearch.DataClass;
import dev.vigil.testing.Repo;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's OpenSearch Dashboards saved objects use only fields the operator's index templates
 * map (read from {@link DataClass}, the code that renders the templates), reference only objects in
 * the same file, and cover every dashboard the chart promises. Also: the PromQL name extraction
 * DashboardMetricsIT relies on.
 */
class DashboardFieldsTest {

  static final Path NDJSON = Repo.path("helm/vigil/dashboards/opensearch/vigil.ndjson");
  static final String PREFIX = "vigil";

  static Map<DataClass, Set<String>> templateFields() {
    Map<DataClass, Set<String>> m = new EnumMap<>(DataClass.class);
    for (DataClass c : DataClass.values()) {
      m.put(c, DashboardReferences.mappedFields(c));
    }
    return m;
  }

  @Test
  void savedObjectsUseOnlyFieldsTheIndexTemplatesMap() {
    List<ObjectNode> objects = DashboardReferences.readNdjson(NDJSON);
    assertThat(DashboardReferences.savedObjectProblems(objects, PREFIX, templateFields()))
        .isEmpty();
  }

  @Test
  void theChartShipsTheFourDashboardsAndAnIndexPatternPerClass() {
    List<ObjectNode> objects = DashboardReferences.readNdjson(NDJSON);
    Set<String> dashboards =
        objects.stream()
            .filter(o -> o.path("type").asText().equals("dashboard"))
            .map(o -> o.path("id").asText())
            .collect(Collectors.toSet());
    assertThat(dashboards)
        .containsExactlyInAnyOrder(
            "vigil-alerts", "vigil-connections", "vigil-tls", "vigil-link-volume");
    Set<String> patterns =
        objects.stream()
            .filter(o -> o.path("type").asText().equals("index-pattern"))
            .map(o -> o.path("attributes").path("title").asText())
            .collect(Collectors.toSet());
    for (DataClass c : DataClass.values()) {
      assertThat(patterns).contains(PREFIX + "-" + c.id() + "-*");
    }
    // Every visualization and search is on some dashboard.
    Set<String> onDashboards =
        objects.stream()
            .filter(o -> o.path("type").asText().equals("dashboard"))
            .flatMap(o -> o.path("references").valueStream())
            .map(r -> r.path("id").asText())
            .collect(Collectors.toSet());
    objects.stream()
        .filter(o -> Set.of("visualization", "search").contains(o.path("type").asText()))
        .forEach(o -> assertThat(onDashboards).contains(o.path("id").asText()));
  }

  @Test
  void templateFieldsAreDottedLeafPaths() {
    Set<String> conn = DashboardReferences.mappedFields(DataClass.CONN);
    assertThat(conn)
        .contains("ts", "id.orig_h", "id.resp_p", "orig_bytes", "observer.ingress.interface.name");
    assertThat(conn).doesNotContain("id", "ja3");
    assertThat(DashboardReferences.mappedFields(DataClass.SSL)).contains("ja3", "ja4");
  }

  /**
   * Every field a visualization aggregates has doc values in its class's template: a field without
   * them (a field with {@code doc_values: false}, an {@code enabled: false} evidence object) would
   * break the panel, however well it is mapped.
   */
  @Test
  void everyAggregatedFieldHasDocValues() throws Exception {
    List<ObjectNode> objects = DashboardReferences.readNdjson(NDJSON);
    assertThat(aggregatedWithoutDocValues(objects)).isEmpty();
    // The check can fail: the detector panel pointed at the alerts' evidence object.
    ObjectNode detector = find(objects, "visualization", "vigil-alerts-by-detector");
    ObjectNode attrs = (ObjectNode) detector.get("attributes");
    attrs.put(
        "visState", attrs.get("visState").asText().replace("\"rule.name\"", "\"vigil.evidence\""));
    assertThat(aggregatedWithoutDocValues(objects))
        .singleElement()
        .asString()
        .contains("vigil-alerts-by-detector")
        .contains("'vigil.evidence'");
  }

  private static List<String> aggregatedWithoutDocValues(List<ObjectNode> objects)
      throws Exception {
    Map<String, String> titles = new java.util.HashMap<>();
    for (ObjectNode o : objects) {
      if (o.path("type").asText().equals("index-pattern")) {
        titles.put(o.path("id").asText(), o.at("/attributes/title").asText());
      }
    }
    List<String> problems = new java.util.ArrayList<>();
    for (ObjectNode o : objects) {
      if (!o.path("type").asText().equals("visualization")
          || !o.at("/attributes").has("visState")) {
        continue;
      }
      DataClass cls = null;
      for (JsonNode r : o.path("references")) {
        if (r.path("type").asText().equals("index-pattern")) {
          cls = DashboardReferences.classOfPattern(PREFIX, titles.get(r.path("id").asText()));
        }
      }
      assertThat(cls).as("index pattern of %s", o.path("id").asText()).isNotNull();
      JsonNode vis =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(o.at("/attributes/visState").asText());
      for (JsonNode agg : vis.path("aggs")) {
        String field = agg.at("/params/field").asText("");
        if (field.isEmpty()) {
          continue;
        }
        JsonNode m = cls.properties();
        JsonNode leaf = null;
        for (String part : field.split("\\.")) {
          leaf = m == null ? null : m.get(part);
          m = leaf == null ? null : leaf.get("properties");
        }
        if (leaf == null
            || !leaf.has("type")
            || leaf.path("type").asText().equals("object")
            || !leaf.path("doc_values").asBoolean(true)) {
          problems.add(
              o.path("id").asText()
                  + " aggregates '"
                  + field
                  + "', which has no doc values in the "
                  + cls.id()
                  + " template");
        }
      }
    }
    return problems;
  }

  /** The check can fail: a misspelt field, a field of another class, a dangling reference. */
  @Test
  void fabricatedReferencesAreReported() throws Exception {
    List<ObjectNode> objects = DashboardReferences.readNdjson(NDJSON);
    ObjectNode talkers = find(objects, "visualization", "vigil-conn-top-talkers");
    ObjectNode ja3 = find(objects, "visualization", "vigil-tls-top-ja3");
    ObjectNode latest = find(objects, "search", "vigil-alerts-latest");
    ObjectNode dash = find(objects, "dashboard", "vigil-tls");
    ObjectNode connPattern = find(objects, "index-pattern", "vigil-conn");
    ObjectNode attrs = (ObjectNode) talkers.get("attributes");
    attrs.put(
        "visState", attrs.get("visState").asText().replace("\"orig_bytes\"", "\"orig_bytez\""));
    // ja3 exists in ssl, not in conn: pointing the visualization at conn must be reported
    ((ObjectNode) ja3.get("references").get(0)).put("id", "vigil-conn");
    // the alerts' pre-ECS field, no longer mapped
    ((ObjectNode) latest.get("attributes")).withArray("columns").add("detector");
    ObjectNode meta = (ObjectNode) latest.get("attributes").get("kibanaSavedObjectMeta");
    meta.put(
        "searchSourceJSON",
        meta.get("searchSourceJSON").asText().replace("\"query\":\"\"", "\"query\":\"sevrity:3\""));
    ((ObjectNode) dash.get("references").get(0)).put("id", "vigil-no-such-vis");
    ((ObjectNode) connPattern.get("attributes")).put("timeFieldName", "timestamp");

    List<String> problems =
        DashboardReferences.savedObjectProblems(objects, PREFIX, templateFields());
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("vigil-conn-top-talkers").contains("'orig_bytez'"))
        .anySatisfy(p -> assertThat(p).contains("vigil-tls-top-ja3").contains("'ja3'"))
        .anySatisfy(p -> assertThat(p).contains("vigil-alerts-latest").contains("'detector'"))
        .anySatisfy(p -> assertThat(p).contains("vigil-alerts-latest").contains("'sevrity'"))
        .anySatisfy(p -> assertThat(p).contains("visualization/vigil-no-such-vis"))
        .anySatisfy(
            p -> assertThat(p).contains("index-pattern/vigil-conn").contains("'timestamp'"));
    assertThat(problems).hasSize(6);
  }

  @Test
  void indexPatternOfNoClassIsReported() {
    assertThat(
            DashboardReferences.savedObjectProblems(
                List.of(
                    (ObjectNode)
                        json(
                            "{\"type\":\"index-pattern\",\"id\":\"x\",\"attributes\":"
                                + "{\"title\":\"vigil-flows-*\",\"timeFieldName\":\"ts\"}}")),
                PREFIX,
                templateFields()))
        .singleElement()
        .asString()
        .contains("names no data class");
  }

  @Test
  void queryFieldsIgnoreQuotedText() {
    assertThat(
            DashboardReferences.queryFields(
                "detector:\"tls-blocklist\" and not message:\"a: b\" or id.orig_h : 10.0.0.1"))
        .containsExactly("detector", "message", "id.orig_h");
  }

  @Test
  void promqlMetricNames() {
    assertThat(
            DashboardReferences.metricNames(
                "histogram_quantile(0.99, sum by (le, resource_kind) (rate("
                    + "operator_sdk_controllers_execution_reconcile_seconds_bucket"
                    + "{kind=~\"Host.*\"}[$__rate_interval])))"))
        .containsExactly("operator_sdk_controllers_execution_reconcile_seconds_bucket");
    assertThat(
            DashboardReferences.metricNames(
                "8 * sum by (link) (label_replace(rate(vigil_sensor_bytes_total[5m]), \"link\","
                    + " \"$1\", \"pod\", \"(.+)-sensor-[0-9]+\")) / on (link) group_left"
                    + " sum without (pod) (vigil_sensor_drops_total offset 1h) > bool 1e3"))
        .containsExactly("vigil_sensor_bytes_total", "vigil_sensor_drops_total");
    assertThat(
            DashboardReferences.labelNames("sum by (pod, link) (x{container=\"agent\",le!=\"\"})"))
        .containsExactlyInAnyOrder("pod", "link", "container", "le");
  }

  @Test
  void exposedSeriesAreSampleNamesNotTypeNames() {
    String text =
        """
        # HELP x_seconds A timer
        # TYPE x_seconds histogram
        x_seconds_bucket{kind="A",le="0.1"} 1.0
        x_seconds_count{kind="A"} 1.0
        # TYPE y counter
        y_total 3
        """;
    Map<String, Set<String>> series = DashboardReferences.exposedLabels(text);
    assertThat(series).containsOnlyKeys("x_seconds_bucket", "x_seconds_count", "y_total");
    assertThat(series.get("x_seconds_bucket")).containsExactly("kind", "le");
    assertThat(series.get("y_total")).isEmpty();
  }

  private static ObjectNode find(List<ObjectNode> objects, String type, String id) {
    return objects.stream()
        .filter(o -> o.path("type").asText().equals(type) && o.path("id").asText().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError(type + "/" + id + " not in " + NDJSON));
  }

  private static JsonNode json(String s) {
    try {
      return DashboardReferences.JSON.readTree(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
