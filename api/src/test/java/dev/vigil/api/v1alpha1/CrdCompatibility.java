package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Finds changes between two revisions of a CRD that break objects or clients written against the
 * older one (after Flink's CrdCompatibilityChecker): a removed version or field, a changed type, a
 * field that became required, a removed enum value, a tighter bound or pattern, a changed default,
 * a renamed kind or a changed scope. Added optional fields, looser bounds and new enum values are
 * compatible. CEL rules are not compared: the API server ratchets them (unchanged fields of stored
 * objects are not re-validated on update).
 */
final class CrdCompatibility {

  private CrdCompatibility() {}

  /** Human-readable incompatibilities of {@code current} relative to {@code baseline}. */
  static List<String> check(CustomResourceDefinition baseline, CustomResourceDefinition current) {
    List<String> problems = new ArrayList<>();
    String crd = baseline.getMetadata().getName();
    var b = baseline.getSpec();
    var c = current.getSpec();
    same(problems, crd + ": group", b.getGroup(), c.getGroup());
    same(problems, crd + ": scope", b.getScope(), c.getScope());
    same(problems, crd + ": kind", b.getNames().getKind(), c.getNames().getKind());
    same(problems, crd + ": plural", b.getNames().getPlural(), c.getNames().getPlural());
    Set<String> removedShortNames = new TreeSet<>(nullToEmpty(b.getNames().getShortNames()));
    removedShortNames.removeAll(nullToEmpty(c.getNames().getShortNames()));
    removedShortNames.forEach(s -> problems.add(crd + ": short name '" + s + "' was removed"));
    Map<String, CustomResourceDefinitionVersion> versions =
        c.getVersions().stream()
            .collect(Collectors.toMap(CustomResourceDefinitionVersion::getName, v -> v));
    for (CustomResourceDefinitionVersion bv : b.getVersions()) {
      CustomResourceDefinitionVersion cv = versions.get(bv.getName());
      String where = crd + "/" + bv.getName();
      if (cv == null) {
        problems.add(where + ": version was removed");
        continue;
      }
      if (Boolean.TRUE.equals(bv.getServed()) && !Boolean.TRUE.equals(cv.getServed())) {
        problems.add(where + ": version is no longer served");
      }
      if ((bv.getSubresources() != null && bv.getSubresources().getScale() != null)
          && (cv.getSubresources() == null || cv.getSubresources().getScale() == null)) {
        problems.add(where + ": scale subresource was removed");
      }
      schema(
          problems,
          where,
          "",
          bv.getSchema().getOpenAPIV3Schema(),
          cv.getSchema().getOpenAPIV3Schema());
    }
    return problems;
  }

  private static void schema(
      List<String> problems, String where, String path, JSONSchemaProps b, JSONSchemaProps c) {
    String at = where + ": " + (path.isEmpty() ? "<root>" : path);
    if (!Objects.equals(b.getType(), c.getType())) {
      problems.add(at + " changed type from " + b.getType() + " to " + c.getType());
      return;
    }
    if (Boolean.TRUE.equals(b.getXKubernetesIntOrString())
        && !Boolean.TRUE.equals(c.getXKubernetesIntOrString())) {
      problems.add(at + " no longer accepts both integers and strings");
    }
    if (Boolean.TRUE.equals(b.getXKubernetesPreserveUnknownFields())
        && !Boolean.TRUE.equals(c.getXKubernetesPreserveUnknownFields())) {
      problems.add(at + " no longer preserves unknown fields");
    }
    if (!Objects.equals(b.getDefault(), c.getDefault())) {
      problems.add(at + " changed its default from " + b.getDefault() + " to " + c.getDefault());
    }
    enums(problems, at, b.getEnum(), c.getEnum());
    lower(problems, at, "minimum", b.getMinimum(), c.getMinimum());
    upper(problems, at, "maximum", b.getMaximum(), c.getMaximum());
    lower(problems, at, "minLength", b.getMinLength(), c.getMinLength());
    upper(problems, at, "maxLength", b.getMaxLength(), c.getMaxLength());
    lower(problems, at, "minItems", b.getMinItems(), c.getMinItems());
    upper(problems, at, "maxItems", b.getMaxItems(), c.getMaxItems());
    lower(problems, at, "minProperties", b.getMinProperties(), c.getMinProperties());
    upper(problems, at, "maxProperties", b.getMaxProperties(), c.getMaxProperties());
    if (c.getPattern() != null && !c.getPattern().equals(b.getPattern())) {
      problems.add(
          at
              + " changed its pattern from "
              + (b.getPattern() == null ? "none" : "'" + b.getPattern() + "'")
              + " to '"
              + c.getPattern()
              + "'");
    }
    Set<String> newlyRequired = new TreeSet<>(nullToEmpty(c.getRequired()));
    newlyRequired.removeAll(nullToEmpty(b.getRequired()));
    newlyRequired.forEach(r -> problems.add(where + ": " + join(path, r) + " became required"));
    if (b.getProperties() != null) {
      Map<String, JSONSchemaProps> cp = c.getProperties() == null ? Map.of() : c.getProperties();
      for (Map.Entry<String, JSONSchemaProps> e : b.getProperties().entrySet()) {
        JSONSchemaProps next = cp.get(e.getKey());
        if (next == null) {
          if (!Boolean.TRUE.equals(c.getXKubernetesPreserveUnknownFields())) {
            problems.add(where + ": " + join(path, e.getKey()) + " was removed");
          }
        } else {
          schema(problems, where, join(path, e.getKey()), e.getValue(), next);
        }
      }
    }
    if (b.getItems() != null && b.getItems().getSchema() != null) {
      if (c.getItems() == null || c.getItems().getSchema() == null) {
        problems.add(at + " lost its item schema");
      } else {
        schema(problems, where, path + "[]", b.getItems().getSchema(), c.getItems().getSchema());
      }
    }
    if (b.getAdditionalProperties() != null && b.getAdditionalProperties().getSchema() != null) {
      if (c.getAdditionalProperties() == null || c.getAdditionalProperties().getSchema() == null) {
        problems.add(at + " lost its map value schema");
      } else {
        schema(
            problems,
            where,
            path + "{}",
            b.getAdditionalProperties().getSchema(),
            c.getAdditionalProperties().getSchema());
      }
    }
  }

  private static void enums(List<String> problems, String at, List<JsonNode> b, List<JsonNode> c) {
    if (c == null || c.isEmpty()) {
      return;
    }
    if (b == null || b.isEmpty()) {
      problems.add(at + " is now limited to " + values(c));
      return;
    }
    Set<String> removed = new TreeSet<>(values(b));
    removed.removeAll(values(c));
    removed.forEach(v -> problems.add(at + " no longer accepts '" + v + "'"));
  }

  private static Set<String> values(List<JsonNode> nodes) {
    return nodes.stream().map(JsonNode::asText).collect(Collectors.toCollection(TreeSet::new));
  }

  /** A lower bound is incompatible when it appears or rises. */
  private static void lower(List<String> problems, String at, String what, Number b, Number c) {
    if (c != null && (b == null || c.doubleValue() > b.doubleValue())) {
      problems.add(at + " raised " + what + " from " + text(b) + " to " + text(c));
    }
  }

  /** An upper bound is incompatible when it appears or falls. */
  private static void upper(List<String> problems, String at, String what, Number b, Number c) {
    if (c != null && (b == null || c.doubleValue() < b.doubleValue())) {
      problems.add(at + " lowered " + what + " from " + text(b) + " to " + text(c));
    }
  }

  private static String text(Number n) {
    if (n == null) {
      return "none";
    }
    return n.doubleValue() == Math.rint(n.doubleValue())
        ? Long.toString(n.longValue())
        : n.toString();
  }

  private static void same(List<String> problems, String what, Object b, Object c) {
    if (!Objects.equals(b, c)) {
      problems.add(what + " changed from " + b + " to " + c);
    }
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
