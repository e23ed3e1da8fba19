package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Differences between two JSON trees, as "path: left vs right" lines (numbers by value). */
final class JsonDiff {

  private JsonDiff() {}

  static List<String> diff(JsonNode left, JsonNode right) {
    List<String> out = new ArrayList<>();
    diff("", left, right, out);
    return out;
  }

  /** Paths in {@code subset} that are missing from or different in {@code superset}. */
  static List<String> notContained(JsonNode subset, JsonNode superset) {
    List<String> out = new ArrayList<>();
    contained("", subset, superset, out);
    return out;
  }

  private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
    if (a == null || b == null || a.isMissingNode() || b.isMissingNode()) {
      if (!(isAbsent(a) && isAbsent(b))) {
        out.add(path + ": " + a + " vs " + b);
      }
    } else if (a.isObject() && b.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String n : names) {
        diff(path + "." + n, a.get(n), b.get(n), out);
      }
    } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        diff(path + "[" + i + "]", a.get(i), b.get(i), out);
      }
    } else if (a.isNumber() && b.isNumber()) {
      if (a.decimalValue().compareTo(b.decimalValue()) != 0) {
        out.add(path + ": " + a + " vs " + b);
      }
    } else if (!a.equals(b)) {
      out.add(path + ": " + a + " vs " + b);
    }
  }

  private static void contained(String path, JsonNode sub, JsonNode sup, List<String> out) {
    if (isAbsent(sub)) {
      return; // null and absent both mean "not set"
    }
    if (sub.isObject() && sup != null && sup.isObject()) {
      sub.fieldNames()
          .forEachRemaining(n -> contained(path + "." + n, sub.get(n), sup.get(n), out));
    } else if (sub.isArray() && sup != null && sup.isArray() && sub.size() == sup.size()) {
      for (int i = 0; i < sub.size(); i++) {
        contained(path + "[" + i + "]", sub.get(i), sup.get(i), out);
      }
    } else {
      List<String> d = new ArrayList<>();
      diff(path, sub, sup, d);
      out.addAll(d);
    }
  }

  private static boolean isAbsent(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull();
  }
}
