package dev.vigil.api.v1alpha1;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceSubresourceScale;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders docs/api.md, the field reference, from the generated CRDs. */
final class ApiDocs {

  private ApiDocs() {}

  static String render(List<CustomResourceDefinition> crds) {
    List<CustomResourceDefinition> ordered = new ArrayList<>(crds);
    List<String> kinds = Crds.KINDS.stream().map(k -> k.getSimpleName()).toList();
    ordered.sort(Comparator.comparingInt(c -> kinds.indexOf(c.getSpec().getNames().getKind())));
    StringBuilder md = new StringBuilder();
    md.append("# Vigil API reference: ")
        .append(Vigil.GROUP)
        .append('/')
        .append(Vigil.VERSION)
        .append("\n\n")
        .append("<!-- Generated from the Java model (api/) by CrdDriftTest; do not edit.\n")
        .append("     Regenerate: ./mvnw -pl api test -Dvigil.updateCrds=true -->\n\n")
        .append("All kinds are namespaced and in the category `")
        .append(Vigil.CATEGORY)
        .append("` (`kubectl get ")
        .append(Vigil.CATEGORY)
        .append("` lists them). Every kind has a status subresource with `observedGeneration`")
        .append(" and `conditions` of type `Ready`, `Progressing` and `Degraded`.\n\n");
    for (CustomResourceDefinition crd : ordered) {
      String kind = crd.getSpec().getNames().getKind();
      md.append("- [").append(kind).append("](#").append(kind.toLowerCase()).append(")\n");
    }
    for (CustomResourceDefinition crd : ordered) {
      kind(md, crd);
    }
    return md.toString();
  }

  private static void kind(StringBuilder md, CustomResourceDefinition crd) {
    var names = crd.getSpec().getNames();
    CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
    JSONSchemaProps root = v.getSchema().getOpenAPIV3Schema();
    md.append("\n## ").append(names.getKind()).append("\n\n");
    md.append(text(root.getDescription())).append("\n\n");
    md.append("- API version: `")
        .append(crd.getSpec().getGroup())
        .append('/')
        .append(v.getName())
        .append("`\n");
    md.append("- Resource: `")
        .append(names.getPlural())
        .append("`, short names: ")
        .append(
            names.getShortNames().stream()
                .map(s -> "`" + s + "`")
                .collect(Collectors.joining(", ")))
        .append(", scope: ")
        .append(crd.getSpec().getScope())
        .append('\n');
    CustomResourceSubresourceScale scale = v.getSubresources().getScale();
    if (scale != null) {
      md.append("- Scale subresource: replicas are `")
          .append(scale.getSpecReplicasPath())
          .append("` (ready: `")
          .append(scale.getStatusReplicasPath())
          .append("`, selector: `")
          .append(scale.getLabelSelectorPath())
          .append("`)\n");
    }
    md.append("- `kubectl get` columns: ")
        .append(
            v.getAdditionalPrinterColumns().stream()
                .map(c -> c.getName() + " (`" + c.getJsonPath() + "`)")
                .map(ApiDocs::cell)
                .collect(Collectors.joining(", ")))
        .append("\n");
    for (String part : List.of("spec", "status")) {
      JSONSchemaProps schema = root.getProperties().get(part);
      md.append("\n### ").append(names.getKind()).append(' ').append(part).append("\n\n");
      md.append(text(schema.getDescription())).append("\n\n");
      rules(md, "", schema);
      md.append("| Field | Type | Default | Description | Validation |\n");
      md.append("|---|---|---|---|---|\n");
      fields(md, part, schema);
    }
  }

  private static void fields(StringBuilder md, String path, JSONSchemaProps schema) {
    if (schema.getProperties() == null) {
      return;
    }
    List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
    for (Map.Entry<String, JSONSchemaProps> e : schema.getProperties().entrySet()) {
      String p = path + "." + e.getKey();
      JSONSchemaProps f = e.getValue();
      md.append("| `")
          .append(p)
          .append("` | ")
          .append(type(f))
          .append(" | ")
          .append(f.getDefault() == null ? "" : "`" + cell(f.getDefault().toString()) + "`")
          .append(" | ")
          .append(cell(text(f.getDescription())))
          .append(" | ")
          .append(cell(validation(f, required.contains(e.getKey()))))
          .append(" |\n");
      JSONSchemaProps nested = "array".equals(f.getType()) ? f.getItems().getSchema() : f;
      String nestedPath = "array".equals(f.getType()) ? p + "[]" : p;
      if (nested != null && nested != f) {
        for (ValidationRule r : rulesOf(nested)) {
          md.append("| `")
              .append(nestedPath)
              .append("` | | | ")
              .append("each item | ")
              .append(cell(rule(r)))
              .append(" |\n");
        }
      }
      if (nested != null) {
        fields(md, nestedPath, nested);
      }
    }
  }

  private static void rules(StringBuilder md, String prefix, JSONSchemaProps schema) {
    for (ValidationRule r : rulesOf(schema)) {
      md.append("Rule: ").append(prefix).append(rule(r)).append("\n\n");
    }
  }

  private static List<ValidationRule> rulesOf(JSONSchemaProps s) {
    return s.getXKubernetesValidations() == null ? List.of() : s.getXKubernetesValidations();
  }

  private static String type(JSONSchemaProps f) {
    if (Boolean.TRUE.equals(f.getXKubernetesIntOrString())) {
      return "int or string";
    }
    if ("array".equals(f.getType())) {
      JSONSchemaProps items = f.getItems().getSchema();
      return "[]" + (isObject(items) ? "object" : items.getType());
    }
    if ("object".equals(f.getType()) && f.getAdditionalProperties() != null) {
      JSONSchemaProps values = f.getAdditionalProperties().getSchema();
      return "map[string]" + (values == null ? "any" : values.getType());
    }
    return f.getType();
  }

  private static String validation(JSONSchemaProps f, boolean required) {
    List<String> v = new ArrayList<>();
    if (required) {
      v.add("**required**");
    }
    if (f.getEnum() != null && !f.getEnum().isEmpty()) {
      v.add(
          "one of "
              + f.getEnum().stream()
                  .map(x -> "`" + x.asText() + "`")
                  .collect(Collectors.joining(", ")));
    }
    if (f.getMinimum() != null) {
      v.add("≥ " + f.getMinimum().longValue());
    }
    if (f.getMaximum() != null) {
      v.add("≤ " + f.getMaximum().longValue());
    }
    if (f.getMinLength() != null) {
      v.add("length ≥ " + f.getMinLength());
    }
    if (f.getMaxLength() != null) {
      v.add("length ≤ " + f.getMaxLength());
    }
    if (f.getMinItems() != null) {
      v.add("items ≥ " + f.getMinItems());
    }
    if (f.getMaxItems() != null) {
      v.add("items ≤ " + f.getMaxItems());
    }
    if ("map".equals(f.getXKubernetesListType())) {
      v.add(
          "one item per "
              + f.getXKubernetesListMapKeys().stream()
                  .map(k -> "`" + k + "`")
                  .collect(Collectors.joining(" + ")));
    }
    if (f.getPattern() != null) {
      v.add("pattern `" + f.getPattern() + "`");
    }
    rulesOf(f).forEach(r -> v.add(rule(r)));
    return String.join("; ", v);
  }

  private static String rule(ValidationRule r) {
    String message =
        r.getMessage() != null
            ? "“" + r.getMessage() + "”"
            : "message `" + r.getMessageExpression() + "`";
    return "`" + r.getRule() + "` → " + message;
  }

  private static boolean isObject(JSONSchemaProps s) {
    return s.getProperties() != null && !s.getProperties().isEmpty();
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
