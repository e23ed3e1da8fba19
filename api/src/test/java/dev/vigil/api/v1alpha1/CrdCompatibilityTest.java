package dev.vigil.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.vigil.testing.Repo;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The CRDs generated from the model must stay compatible with the baseline in
 * src/test/resources/crd-baseline (the schema users' objects were written against). After a
 * deliberate breaking change (allowed in v1alpha1, with release notes), or when releasing, record
 * the new baseline with {@code ./mvnw -pl api test -Dvigil.updateCrdBaseline=true}.
 */
class CrdCompatibilityTest {

  static final Path BASELINE = Repo.path("api/src/test/resources/crd-baseline");
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  @Test
  void modelIsCompatibleWithTheBaseline() throws IOException {
    Map<String, String> generated = Crds.generate();
    if (Boolean.getBoolean("vigil.updateCrdBaseline")) {
      Files.createDirectories(BASELINE);
      for (Map.Entry<String, String> e : generated.entrySet()) {
        Files.writeString(BASELINE.resolve(e.getKey()), e.getValue());
      }
    }
    Map<String, String> baseline = CrdDriftTest.committed(BASELINE);
    assertThat(baseline).as("CRD baseline in " + BASELINE).isNotEmpty();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : baseline.entrySet()) {
      String now = generated.get(e.getKey());
      if (now == null) {
        problems.add(e.getKey() + ": CRD was removed");
      } else {
        problems.addAll(CrdCompatibility.check(crd(e.getValue()), crd(now)));
      }
    }
    assertThat(problems)
        .as(
            "changes that break objects written against api/src/test/resources/crd-baseline;"
                + " undo them, or accept them with ./mvnw -pl api test"
                + " -Dvigil.updateCrdBaseline=true")
        .isEmpty();
  }

  @Test
  void addingAnOptionalFieldOrLooseningIsCompatible() {
    assertThat(
            problems(
                spec -> {
                  spec.getProperties().put("newField", string());
                  spec.getProperties().get("workers").setMaximum(128.0);
                  spec.getProperties().get("mode").getEnum().add(new TextNode("libpcap"));
                }))
        .isEmpty();
  }

  @Test
  void removingAFieldIsIncompatible() {
    assertThat(problems(spec -> spec.getProperties().remove("image")))
        .containsExactly("x.vigil.dev/v1alpha1: spec.image was removed");
  }

  @Test
  void changingATypeIsIncompatible() {
    assertThat(problems(spec -> spec.getProperties().get("workers").setType("string")))
        .containsExactly("x.vigil.dev/v1alpha1: spec.workers changed type from integer to string");
  }

  @Test
  void makingAFieldRequiredIsIncompatible() {
    assertThat(problems(spec -> spec.getRequired().add("workers")))
        .containsExactly("x.vigil.dev/v1alpha1: spec.workers became required");
  }

  @Test
  void removingAnEnumValueIsIncompatible() {
    assertThat(problems(spec -> spec.getProperties().get("mode").getEnum().remove(1)))
        .containsExactly("x.vigil.dev/v1alpha1: spec.mode no longer accepts 'dpdk'");
  }

  @Test
  void tighteningBoundsOrPatternsIsIncompatible() {
    assertThat(
            problems(
                spec -> {
                  spec.getProperties().get("workers").setMaximum(32.0);
                  spec.getProperties().get("workers").setMinimum(2.0);
                  spec.getProperties().get("image").setMaxLength(128L);
                  spec.getProperties().get("image").setPattern("^[a-z]+$");
                  spec.getProperties().get("tags").setMaxItems(4L);
                }))
        .containsExactlyInAnyOrder(
            "x.vigil.dev/v1alpha1: spec.workers raised minimum from 1 to 2",
            "x.vigil.dev/v1alpha1: spec.workers lowered maximum from 64 to 32",
            "x.vigil.dev/v1alpha1: spec.image lowered maxLength from 512 to 128",
            "x.vigil.dev/v1alpha1: spec.image changed its pattern from none to '^[a-z]+$'",
            "x.vigil.dev/v1alpha1: spec.tags lowered maxItems from none to 4");
  }

  @Test
  void changingADefaultOrItemTypeIsIncompatible() {
    assertThat(
            problems(
                spec -> {
                  spec.getProperties().get("mode").setDefault(new TextNode("dpdk"));
                  spec.getProperties().get("tags").getItems().getSchema().setType("integer");
                }))
        .containsExactlyInAnyOrder(
            "x.vigil.dev/v1alpha1: spec.mode changed its default from \"afpacket\" to \"dpdk\"",
            "x.vigil.dev/v1alpha1: spec.tags[] changed type from string to integer");
  }

  @Test
  void removingAVersionOrChangingScopeIsIncompatible() {
    CustomResourceDefinition baseline = sample();
    CustomResourceDefinition current = sample();
    current.getSpec().setScope("Cluster");
    current.getSpec().getVersions().get(0).setName("v1beta1");
    assertThat(CrdCompatibility.check(baseline, current))
        .containsExactly(
            "x.vigil.dev: scope changed from Namespaced to Cluster",
            "x.vigil.dev/v1alpha1: version was removed");
  }

  private static List<String> problems(Consumer<JSONSchemaProps> change) {
    CustomResourceDefinition current = sample();
    change.accept(
        current
            .getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec"));
    return CrdCompatibility.check(sample(), current);
  }

  /** A small CRD in YAML, so each test starts from an independent copy. */
  private static CustomResourceDefinition sample() {
    return crd(
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: x.vigil.dev
        spec:
          group: vigil.dev
          scope: Namespaced
          names: {kind: X, plural: x, shortNames: [x]}
          versions:
            - name: v1alpha1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      required: [image]
                      properties:
                        image: {type: string, maxLength: 512}
                        workers: {type: integer, minimum: 1, maximum: 64}
                        mode: {type: string, enum: [afpacket, dpdk], default: afpacket}
                        tags: {type: array, items: {type: string}}
        """);
  }

  private static JSONSchemaProps string() {
    JSONSchemaProps s = new JSONSchemaProps();
    s.setType("string");
    return s;
  }

  static CustomResourceDefinition crd(String yaml) {
    return YAML.unmarshal(yaml, CustomResourceDefinition.class);
  }
}
