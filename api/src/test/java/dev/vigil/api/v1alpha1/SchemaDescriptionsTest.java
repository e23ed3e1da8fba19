package dev.vigil.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code kubectl explain} is the manual: every field of every kind must say what it is for. */
class SchemaDescriptionsTest {

  @Test
  void everyFieldHasADescription() {
    List<String> undocumented = new ArrayList<>();
    for (Map.Entry<String, String> e : Crds.generate().entrySet()) {
      CustomResourceDefinition crd = CrdCompatibilityTest.crd(e.getValue());
      JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
      collect(crd.getSpec().getNames().getKind(), root, undocumented);
    }
    assertThat(undocumented).as("fields without @JsonPropertyDescription").isEmpty();
  }

  @Test
  void everyKindHasSpecAndStatusWithConditions() {
    for (String yaml : Crds.generate().values()) {
      CustomResourceDefinition crd = CrdCompatibilityTest.crd(yaml);
      var version = crd.getSpec().getVersions().get(0);
      JSONSchemaProps status =
          version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
      assertThat(version.getSubresources().getStatus()).as(crd.getMetadata().getName()).isNotNull();
      assertThat(status.getProperties()).containsKeys("observedGeneration", "conditions");
      assertThat(
              status
                  .getProperties()
                  .get("conditions")
                  .getItems()
                  .getSchema()
                  .getProperties()
                  .keySet())
          .containsExactlyInAnyOrder(
              "type", "status", "reason", "message", "lastTransitionTime", "observedGeneration");
      assertThat(version.getAdditionalPrinterColumns())
          .extracting(c -> c.getName())
          .endsWith("Ready", "Age");
    }
  }

  private static void collect(String path, JSONSchemaProps schema, List<String> out) {
    if (schema.getDescription() == null || schema.getDescription().isBlank()) {
      out.add(path);
    }
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, p) -> collect(path + "." + name, p, out));
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      JSONSchemaProps items = schema.getItems().getSchema();
      if (items.getProperties() != null) {
        items.getProperties().forEach((name, p) -> collect(path + "[]." + name, p, out));
      }
    }
  }
}
