package dev.vigil.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.testing.Repo;
import dev.vigil.testing.WithKubeApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under examples/ applies cleanly (server-side apply) to a real API server, and the Java
 * model reads back every field the server stored.
 */
@ExtendWith(EstablishedCrds.class)
@WithKubeApiServer(crds = "crds")
class ExamplesIT {

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> s = Files.walk(Repo.path("examples"))) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void appliesCleanly(Path file, KubernetesClient client) throws IOException {
    List<HasMetadata> items = load(client, file);
    assertThat(items).as("objects in %s", file).isNotEmpty();
    for (HasMetadata item : items) {
      HasMetadata applied =
          client.resource(item).fieldManager("examples-it").forceConflicts().serverSideApply();
      assertThat(applied.getMetadata().getUid()).isNotNull();
      Class<? extends HasMetadata> kind = vigilKind(item.getKind());
      if (kind != null) {
        assertModelReadsEverything(client, kind, item.getMetadata().getName());
      }
    }
  }

  @Test
  void examplesCoverEveryKind(KubernetesClient client) throws IOException {
    Set<String> kinds = new TreeSet<>();
    for (Path f : examples().toList()) {
      load(client, f).forEach(i -> kinds.add(i.getKind()));
    }
    assertThat(kinds)
        .containsAll(Crds.KINDS.stream().map(HasMetadata::getKind).toList())
        .contains("Secret", "ConfigMap");
  }

  /**
   * The typed object, serialised again, equals what the server stored: no field of the CRD schema
   * is missing from (or renamed in) the Java model.
   */
  static void assertModelReadsEverything(
      KubernetesClient client, Class<? extends HasMetadata> kind, String name) {
    GenericKubernetesResource stored =
        client
            .genericKubernetesResources(
                Vigil.GROUP + "/" + Vigil.VERSION, HasMetadata.getKind(kind))
            .withName(name)
            .get();
    CustomResource<?, ?> typed = (CustomResource<?, ?>) client.resources(kind).withName(name).get();
    var json = client.getKubernetesSerialization();
    JsonNode storedSpec =
        json.convertValue(stored.getAdditionalProperties().get("spec"), JsonNode.class);
    JsonNode typedSpec = json.convertValue(typed.getSpec(), JsonNode.class);
    assertThat(JsonDiff.diff(typedSpec, storedSpec))
        .as("%s/%s: Java model vs stored spec", kind.getSimpleName(), name)
        .isEmpty();
  }

  static Class<? extends HasMetadata> vigilKind(String kind) {
    return Crds.KINDS.stream()
        .filter(k -> HasMetadata.getKind(k).equals(kind))
        .findFirst()
        .orElse(null);
  }

  private static List<HasMetadata> load(KubernetesClient client, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return client.load(in).items();
    }
  }
}
