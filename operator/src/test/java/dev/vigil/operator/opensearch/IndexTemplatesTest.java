package dev.vigil.operator.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.spec.OpenSearch;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexTemplatesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static OpenSearch spec(OpenSearch.Codec codec) {
    OpenSearch os = new OpenSearch();
    os.setEndpoints(List.of("https://os:9200"));
    os.setIndexPrefix("site");
    os.setShards(6);
    os.setReplicas(2);
    os.setCodec(codec);
    return os;
  }

  @Test
  void rendersExplicitMappingsShardsCodecAndTimeSort() throws Exception {
    ObjectNode t = IndexTemplates.desired(spec(OpenSearch.Codec.ZSTD), DataClass.CONN, "ns/p");
    assertThat(IndexTemplates.name(spec(null), DataClass.CONN)).isEqualTo("site-conn");
    assertThat(t.at("/index_patterns").toString()).isEqualTo("[\"site-conn-*\"]");
    assertThat(t.at("/template/settings/index").toString())
        .isEqualTo(
            "{\"number_of_shards\":\"6\",\"number_of_replicas\":\"2\",\"codec\":\"zstd\","
                + "\"derived_source\":{\"enabled\":\"true\"},"
                + "\"sort\":{\"field\":[\"ts\"],\"order\":[\"desc\"]}}");
    JsonNode m = t.at("/template/mappings");
    // conn derives _source: strict (an unmapped field could not be derived), ts with its fraction
    assertThat(t.at("/template/settings/index/derived_source/enabled").asText()).isEqualTo("true");
    assertThat(m.get("dynamic").asText()).isEqualTo("strict");
    assertThat(m.at("/properties/ts/type").asText()).isEqualTo("date_nanos");
    // time ranges are answered from ts's doc values through their skip index, not from points
    assertThat(m.at("/properties/ts/index").asBoolean(true)).isFalse();
    assertThat(m.at("/properties/ts/skip_list").asBoolean()).isTrue();
    assertThat(m.at("/properties/id/properties/orig_h/type").asText()).isEqualTo("ip");
    assertThat(m.at("/properties/id/properties/resp_p/type").asText()).isEqualTo("integer");
    assertThat(m.at("/properties/orig_bytes/type").asText()).isEqualTo("long");
    assertThat(m.at("/properties/uid/type").asText()).isEqualTo("keyword");
    assertThat(t.at("/_meta/alertpipeline").asText()).isEqualTo("ns/p");
    // No field of any class is text: nothing is analysed or dynamically mapped.
    for (DataClass c : DataClass.values()) {
      assertThat(c.properties().toString()).doesNotContain("\"text\"");
      assertThat(c.properties().at("/" + c.sortField() + "/type").asText())
          .isEqualTo(c == DataClass.CONN ? "date_nanos" : "date");
      // Only conn derives _source; every other class keeps it, and unknown fields in it.
      assertThat(c.derivedSource()).isEqualTo(c == DataClass.CONN);
      ObjectNode other = IndexTemplates.desired(spec(null), c, "ns/p");
      assertThat(other.at("/template/settings/index/derived_source").isMissingNode())
          .isEqualTo(c != DataClass.CONN);
      if (c != DataClass.CONN) {
        assertThat(other.at("/template/mappings/dynamic").asBoolean(true)).isFalse();
      }
    }
    // ECS alerts are stamped (and sorted) by @timestamp, the Zeek-style classes by ts.
    assertThat(
            IndexTemplates.desired(spec(null), DataClass.ALERTS, "ns/p")
                .at("/template/settings/index/sort/field/0")
                .asText())
        .isEqualTo("@timestamp");
    assertThat(DataClass.ALERTS.properties().at("/rule/properties/name/type").asText())
        .isEqualTo("keyword");
    assertThat(DataClass.ALERTS.properties().at("/source/properties/ip/type").asText())
        .isEqualTo("ip");
    assertThat(DataClass.HOST.properties().at("/dst/type").asText()).isEqualTo("ip");
  }

  /**
   * What OpenSearch needs to derive a field (3.x, {@code mappings/metadata-fields/source}): doc
   * values or a stored field, no {@code ignore_above}, {@code normalizer} or {@code copy_to}, and
   * no {@code enabled: false} object (kept only in a {@code _source} that is not there).
   */
  @Test
  void everyFieldOfADerivedSourceClassCanBeDerived() {
    for (DataClass c : DataClass.values()) {
      if (c.derivedSource()) {
        assertThat(underivable(c.properties(), "")).as(c.id()).isEmpty();
      }
    }
    // The check can fail.
    ObjectNode bad = DataClass.CONN.properties();
    ((ObjectNode) bad.get("proto")).put("ignore_above", 1024);
    ((ObjectNode) bad.get("history")).put("doc_values", false);
    bad.putObject("evidence").put("type", "object").put("enabled", false);
    assertThat(underivable(bad, "")).containsExactlyInAnyOrder("proto", "history", "evidence");
  }

  private static List<String> underivable(JsonNode props, String path) {
    List<String> out = new java.util.ArrayList<>();
    props
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode f = e.getValue();
              String name = path + e.getKey();
              if (f.has("properties")) {
                out.addAll(underivable(f.get("properties"), name + "."));
              } else if (!f.path("enabled").asBoolean(true)
                  || f.has("ignore_above")
                  || f.has("normalizer")
                  || f.has("copy_to")
                  || (!f.path("doc_values").asBoolean(true) && !f.path("store").asBoolean(false))) {
                out.add(name);
              }
            });
    return out;
  }

  @Test
  void codecEnumMapsToIndexCodecValues() {
    assertThat(IndexTemplates.codec(null)).isEqualTo("best_compression");
    assertThat(IndexTemplates.codec(OpenSearch.Codec.DEFAULT)).isEqualTo("default");
    assertThat(IndexTemplates.codec(OpenSearch.Codec.BEST_COMPRESSION))
        .isEqualTo("best_compression");
    assertThat(IndexTemplates.codec(OpenSearch.Codec.ZSTD)).isEqualTo("zstd");
    assertThat(IndexTemplates.codec(OpenSearch.Codec.ZSTD_NO_DICT)).isEqualTo("zstd_no_dict");
  }

  @Test
  void matchesTheNodesShapeRegardlessOfKeyOrderAndIgnoresEmptyComposedOf() throws Exception {
    ObjectNode desired =
        IndexTemplates.desired(spec(OpenSearch.Codec.BEST_COMPRESSION), DataClass.DNS, "ns/p");
    ObjectNode fromNode = desired.deepCopy();
    fromNode.putArray("composed_of");
    ObjectNode settings = (ObjectNode) fromNode.at("/template/settings/index");
    String shards = settings.remove("number_of_shards").asText();
    settings.put("number_of_shards", shards); // moved last, as the node returns it
    JsonNode roundTripped = JSON.readTree(JSON.writeValueAsString(fromNode));
    assertThat(IndexTemplates.matches(desired, roundTripped)).isTrue();

    assertThat(IndexTemplates.matches(desired, null)).isFalse();
    ObjectNode changed = fromNode.deepCopy();
    ((ObjectNode) changed.at("/template/settings/index")).put("number_of_replicas", "0");
    assertThat(IndexTemplates.matches(desired, changed)).isFalse();
    ObjectNode composed = desired.deepCopy();
    composed.putArray("composed_of").add("user-component");
    assertThat(IndexTemplates.matches(desired, composed)).isFalse();
  }

  @Test
  void ismPolicyDeletesAfterDaysForTheClassPattern() {
    ObjectNode p = IsmPolicies.desired(spec(null), DataClass.ALERTS, 365);
    assertThat(p.at("/policy/description").asText())
        .isEqualTo("vigil.dev/operator: delete site-alerts-* indices 365 days after creation");
    assertThat(p.at("/policy/states/0/transitions/0/conditions/min_index_age").asText())
        .isEqualTo("365d");
    assertThat(p.at("/policy/states/1/actions/0").has("delete")).isTrue();
    assertThat(p.at("/policy/ism_template/0/index_patterns/0").asText()).isEqualTo("site-alerts-*");
  }

  @Test
  void redactsUserInfoFromEndpoints() {
    assertThat(OpenSearchHttp.redact("https://writer:s3cret@os-0:9200"))
        .isEqualTo("https://os-0:9200");
    assertThat(OpenSearchHttp.redact("http://os-0:9200")).isEqualTo("http://os-0:9200");
    assertThat(new OpenSearchHttp.Credentials("writer", "s3cret").toString())
        .doesNotContain("s3cret");
  }
}
