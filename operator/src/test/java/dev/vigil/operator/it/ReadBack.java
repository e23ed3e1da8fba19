package dev.vigil.operator.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A document as a reader of its fields sees it, to compare what was shipped with what OpenSearch
 * returns when it derives {@code _source}: every leaf as {@code dotted.path → value}, dotted keys
 * and nested objects alike (OpenSearch expands {@code id.orig_h} into {@code id: {orig_h}}),
 * numbers by value ({@code 0.0011690} = {@code 0.001169}), and a date field's value by the number
 * it states (derived {@code ts} comes back as the string {@code "1763900000.000637"}). Strings,
 * booleans, array order and every field's presence must match exactly; an empty object is no field.
 */
final class ReadBack {
  private ReadBack() {}

  /** The leaves of {@code doc} under the mapping {@code props}. */
  static Map<String, String> leaves(JsonNode doc, JsonNode props) {
    Map<String, String> out = new TreeMap<>();
    walk(doc, "", props, out);
    return out;
  }

  private static void walk(JsonNode doc, String path, JsonNode props, Map<String, String> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String full = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        walk(v, full, props, out);
      } else {
        String type = type(props, full);
        if (v.isArray()) {
          List<String> vs = new ArrayList<>();
          v.forEach(x -> vs.add(value(x, type)));
          out.put(full, vs.toString());
        } else {
          out.put(full, value(v, type));
        }
      }
    }
  }

  private static String value(JsonNode v, String type) {
    if (v.isNumber()) {
      return "n:" + canonical(v.decimalValue());
    }
    if (v.isTextual() && type.startsWith("date")) {
      try {
        return "n:" + canonical(new BigDecimal(v.asText()));
      } catch (NumberFormatException notANumber) {
        return "s:" + v.asText();
      }
    }
    if (v.isTextual()) {
      return "s:" + v.asText();
    }
    return v.getNodeType() + ":" + v;
  }

  private static String canonical(BigDecimal d) {
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }

  /** The mapped type of a dotted path, or "" when unmapped. */
  private static String type(JsonNode props, String dotted) {
    JsonNode p = props;
    JsonNode f = null;
    for (String part : dotted.split("\\.")) {
      if (p == null) {
        return "";
      }
      f = p.get(part);
      p = f == null ? null : f.get("properties");
    }
    return f == null ? "" : f.path("type").asText();
  }
}
