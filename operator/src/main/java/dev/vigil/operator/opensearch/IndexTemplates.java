package dev.vigil.operator.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.spec.OpenSearch;

/**
 * Renders the composable index template of one data class ({@code PUT _index_template/<name>}) and
 * compares it with what the node returns, so the operator writes a template only when it differs.
 *
 * <p>The body is rendered in the shape {@code GET _index_template} returns it (settings nested
 * under {@code index} with string values, sort fields as arrays), so an unchanged template compares
 * equal.
 */
public final class IndexTemplates {

  /** Above OpenSearch's built-in templates and anything a user adds with a default priority. */
  public static final int PRIORITY = 100;

  public static final String MANAGED_BY = "vigil.dev/operator";

  private IndexTemplates() {}

  public static String prefix(OpenSearch spec) {
    return spec.getIndexPrefix() == null ? "vigil" : spec.getIndexPrefix();
  }

  /** {@code <prefix>-<class>}. */
  public static String name(OpenSearch spec, DataClass cls) {
    return prefix(spec) + "-" + cls.id();
  }

  /** The index.codec value for the spec's codec (default: best_compression). */
  public static String codec(OpenSearch.Codec codec) {
    return switch (codec == null ? OpenSearch.Codec.BEST_COMPRESSION : codec) {
      case DEFAULT -> "default";
      case BEST_COMPRESSION -> "best_compression";
      case ZSTD -> "zstd";
      case ZSTD_NO_DICT -> "zstd_no_dict";
    };
  }

  /**
   * The template body.
   *
   * @param owner {@code namespace/name} of the AlertPipeline, recorded in {@code _meta}
   */
  public static ObjectNode desired(OpenSearch spec, DataClass cls, String owner) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.putArray("index_patterns").add(name(spec, cls) + "-*");
    t.put("priority", PRIORITY);
    ObjectNode template = t.putObject("template");
    ObjectNode index = template.putObject("settings").putObject("index");
    index.put(
        "number_of_shards", Integer.toString(spec.getShards() == null ? 1 : spec.getShards()));
    index.put(
        "number_of_replicas",
        Integer.toString(spec.getReplicas() == null ? 1 : spec.getReplicas()));
    index.put("codec", codec(spec.getCodec()));
    if (cls.derivedSource()) {
      index.putObject("derived_source").put("enabled", "true");
    }
    ObjectNode sort = index.putObject("sort");
    sort.putArray("field").add(cls.sortField());
    sort.putArray("order").add("desc");
    ObjectNode mappings = template.putObject("mappings");
    // Unknown fields are kept in _source but not indexed: no dynamic mapping explosion. With a
    // derived _source there is no _source to keep them in: they are rejected (strict).
    if (cls.derivedSource()) {
      mappings.put("dynamic", "strict");
    } else {
      mappings.put("dynamic", false);
    }
    mappings.set("properties", cls.properties());
    ObjectNode meta = t.putObject("_meta");
    meta.put("managed-by", MANAGED_BY);
    meta.put("alertpipeline", owner);
    return t;
  }

  /**
   * Whether the node's template ({@code index_template} of a {@code GET _index_template/<name>}
   * answer, or null when absent) already is {@code desired}. Fields OpenSearch adds on its own
   * ({@code composed_of: []}) do not count.
   */
  public static boolean matches(ObjectNode desired, JsonNode actual) {
    if (actual == null || !actual.isObject()) {
      return false;
    }
    ObjectNode a = ((ObjectNode) actual).deepCopy();
    JsonNode composedOf = a.get("composed_of");
    if (composedOf != null && composedOf.isArray() && composedOf.isEmpty()) {
      a.remove("composed_of");
    }
    return desired.equals(a);
  }
}
