package dev.vigil.operator.model;

import dev.vigil.api.v1alpha1.Selector;
import dev.vigil.api.v1alpha1.SelectorRequirement;
import java.util.List;
import java.util.Map;

/** Kubernetes label-selector semantics for the API's {@link Selector}. */
public final class Selectors {

  private Selectors() {}

  /** An unset selector selects nothing (the API documents "unset applies none"). */
  public static boolean matches(Selector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(l.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (SelectorRequirement r : selector.getMatchExpressions()) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String v = l.get(r.getKey());
        boolean ok =
            switch (SensorConfig.enumValue(r.getOperator())) {
              case "In" -> v != null && values.contains(v);
              case "NotIn" -> v == null || !values.contains(v);
              case "Exists" -> l.containsKey(r.getKey());
              case "DoesNotExist" -> !l.containsKey(r.getKey());
              default -> false;
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }
}
