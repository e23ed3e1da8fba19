package dev.vigil.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.testing.WithKubeApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Applies the invalid objects of {@code src/test/resources/validation/*.yaml} to a real API server
 * and asserts the exact errors it answers with; the valid object of each file must be accepted.
 */
@ExtendWith(EstablishedCrds.class)
@WithKubeApiServer(crds = "crds")
class ValidationIT {

  static final List<String> FIXTURES =
      List.of("sensorcluster", "tapassignment", "hostagent", "detectorpolicy", "alertpipeline");

  /**
   * Added by the API server whenever schema errors (required, enum, bounds) stop it from running
   * the CEL rules; it says nothing about the case, so it is left out of the comparison.
   */
  static final String RULES_SKIPPED =
      "Invalid value: null: some validation rules were not checked because the object was"
          + " invalid; correct the existing errors to complete validation";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  static Stream<Arguments> invalidObjects() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    for (String fixture : FIXTURES) {
      JsonNode file = fixture(fixture);
      for (JsonNode c : file.get("invalid")) {
        JsonNode object = MergePatch.apply(file.get("valid"), c.get("patch"));
        ((ObjectNode) object.get("metadata")).put("name", c.get("name").asText());
        List<String> errors = new ArrayList<>();
        c.get("errors").forEach(e -> errors.add(e.asText()));
        cases.add(Arguments.of(fixture + "/" + c.get("name").asText(), object, errors));
      }
    }
    return cases.stream();
  }

  static Stream<Arguments> validObjects() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    for (String fixture : FIXTURES) {
      cases.add(Arguments.of(fixture, fixture(fixture).get("valid")));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidObjects")
  void rejects(String name, JsonNode object, List<String> errors, KubernetesClient client) {
    GenericKubernetesResource resource = JSON.convertValue(object, GenericKubernetesResource.class);
    KubernetesClientException e =
        catchThrowableOfType(
            KubernetesClientException.class, () -> client.resource(resource).create());
    assertThat(e).as("%s must be rejected", name).isNotNull();
    assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
    assertThat(e.getStatus().getDetails().getCauses())
        .filteredOn(c -> !RULES_SKIPPED.equals(c.getMessage()))
        .extracting(ValidationIT::describe)
        .containsExactlyInAnyOrderElementsOf(errors);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validObjects")
  void acceptsTheValidBase(String name, JsonNode object, KubernetesClient client) {
    GenericKubernetesResource resource = JSON.convertValue(object, GenericKubernetesResource.class);
    GenericKubernetesResource created =
        client.resource(resource).fieldManager("validation-it").serverSideApply();
    assertThat(created.getMetadata().getUid()).isNotNull();
  }

  /** Each CEL rule of the CRDs is exercised by at least one invalid object above. */
  @Test
  @SuppressWarnings("unchecked")
  void everyCelRuleHasAnInvalidObject() throws IOException {
    List<String> expected = new ArrayList<>();
    invalidObjects().forEach(a -> expected.addAll((List<String>) a.get()[2]));
    List<String> untested = new ArrayList<>();
    for (String yaml : Crds.generate().values()) {
      CustomResourceDefinition crd = JSON.unmarshal(yaml, CustomResourceDefinition.class);
      celRules(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), untested::add);
    }
    untested.removeIf(message -> expected.stream().anyMatch(e -> e.contains(message)));
    assertThat(untested).as("CEL messages no fixture in validation/*.yaml expects").isEmpty();
  }

  /** The static message of each rule, or the leading literal of its messageExpression. */
  private static void celRules(JSONSchemaProps schema, Consumer<String> out) {
    if (schema.getXKubernetesValidations() != null) {
      for (ValidationRule r : schema.getXKubernetesValidations()) {
        out.accept(
            r.getMessage() != null
                ? r.getMessage()
                : r.getMessageExpression().substring(1, r.getMessageExpression().indexOf('\'', 1)));
      }
    }
    if (schema.getProperties() != null) {
      schema.getProperties().values().forEach(p -> celRules(p, out));
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      celRules(schema.getItems().getSchema(), out);
    }
  }

  static String describe(StatusCause cause) {
    return cause.getField() + ": " + cause.getMessage();
  }

  static JsonNode fixture(String name) throws IOException {
    try (InputStream in = ValidationIT.class.getResourceAsStream("/validation/" + name + ".yaml")) {
      return JSON.unmarshal(in, JsonNode.class);
    }
  }
}
