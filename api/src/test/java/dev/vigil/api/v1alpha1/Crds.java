package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Generates the CRD YAML of the model in memory, as committed under {@code crds/}. */
final class Crds {

  /** Every kind of the API, in the order docs/api.md lists them. */
  static final List<Class<? extends HasMetadata>> KINDS =
      List.of(
          SensorCluster.class,
          TapAssignment.class,
          HostAgent.class,
          DetectorPolicy.class,
          AlertPipeline.class);

  private Crds() {}

  /** File name (e.g. {@code sensorclusters.vigil.dev-v1.yaml}) to YAML, sorted by name. */
  static Map<String, String> generate() {
    Map<String, ByteArrayOutputStream> out = new LinkedHashMap<>();
    new CRDGenerator()
        .customResourceClasses(KINDS)
        .forCRDVersions("v1")
        .withParallelGenerationEnabled(false)
        .withPostProcessor(
            new CRDPostProcessor() {
              @Override
              public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                return polish((CustomResourceDefinition) crd);
              }
            })
        .withOutput(
            new CRDGenerator.CRDOutput<OutputStream>() {
              @Override
              public OutputStream outputFor(String crdName) {
                return out.computeIfAbsent(crdName + ".yaml", k -> new ByteArrayOutputStream());
              }

              @Override
              public void close() {}
            })
        .generate();
    Map<String, String> yaml = new TreeMap<>();
    out.forEach((name, bytes) -> yaml.put(name, bytes.toString(StandardCharsets.UTF_8)));
    return yaml;
  }

  /**
   * What the generator cannot express with annotations: printer columns in the order the kind
   * declares them (the generator sorts them by JSON path), and descriptions of the root, spec and
   * status taken from {@code @JsonClassDescription} so that {@code kubectl explain} starts with a
   * sentence, {@link ItemMaxLength} as {@code items.maxLength}, and {@code status.conditions} as a
   * list map keyed by type (as {@code metav1.Condition} lists are: one condition per type, merged
   * per type by server-side apply).
   */
  private static CustomResourceDefinition polish(CustomResourceDefinition crd) {
    Class<? extends HasMetadata> kind =
        KINDS.stream()
            .filter(k -> HasMetadata.getKind(k).equals(crd.getSpec().getNames().getKind()))
            .findFirst()
            .orElseThrow();
    List<String> order =
        Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
      v.getAdditionalPrinterColumns()
          .sort(Comparator.comparingInt(c -> order.indexOf(c.getName())));
      JSONSchemaProps root = v.getSchema().getOpenAPIV3Schema();
      describe(root, kind);
      ParameterizedType crType = (ParameterizedType) kind.getGenericSuperclass();
      describe(root.getProperties().get("spec"), (Class<?>) crType.getActualTypeArguments()[0]);
      describe(root.getProperties().get("status"), (Class<?>) crType.getActualTypeArguments()[1]);
      itemMaxLengths(
          root.getProperties().get("spec"), (Class<?>) crType.getActualTypeArguments()[0]);
      JSONSchemaProps conditions =
          root.getProperties().get("status").getProperties().get("conditions");
      conditions.setXKubernetesListType("map");
      conditions.setXKubernetesListMapKeys(List.of("type"));
    }
    return crd;
  }

  /** Copies {@link ItemMaxLength} of the model's list fields into {@code items.maxLength}. */
  private static void itemMaxLengths(JSONSchemaProps schema, Class<?> type) {
    if (schema == null || schema.getProperties() == null) {
      return;
    }
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        JsonProperty renamed = field.getAnnotation(JsonProperty.class);
        String name = renamed != null ? renamed.value() : field.getName();
        JSONSchemaProps property = schema.getProperties().get(name);
        if (property == null) {
          continue;
        }
        ItemMaxLength max = field.getAnnotation(ItemMaxLength.class);
        if (max != null) {
          property.getItems().getSchema().setMaxLength((long) max.value());
        }
        Class<?> nested = field.getType();
        JSONSchemaProps nestedSchema = property;
        if (List.class.isAssignableFrom(nested)) {
          nested =
              (Class<?>) ((ParameterizedType) field.getGenericType()).getActualTypeArguments()[0];
          nestedSchema = property.getItems().getSchema();
        }
        if (nested.getPackageName().startsWith(Vigil.class.getPackageName())) {
          itemMaxLengths(nestedSchema, nested);
        }
      }
    }
  }

  private static void describe(JSONSchemaProps schema, Class<?> type) {
    JsonClassDescription d = type.getAnnotation(JsonClassDescription.class);
    if (schema != null && d != null && schema.getDescription() == null) {
      schema.setDescription(d.value());
    }
  }
}
