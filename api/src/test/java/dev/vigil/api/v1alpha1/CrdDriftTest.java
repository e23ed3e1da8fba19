package dev.vigil.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Repo;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails when {@code crds/} or {@code docs/api.md} no longer match the Java model. To regenerate
 * both after changing the model: {@code ./mvnw -pl api test -Dvigil.updateCrds=true}.
 */
class CrdDriftTest {

  static final String UPDATE = "vigil.updateCrds";
  static final String HOW_TO_UPDATE =
      "regenerate with: ./mvnw -pl api test -Dvigil.updateCrds=true (and commit the result)";

  private static final boolean UPDATING = Boolean.getBoolean(UPDATE);

  @Test
  void committedCrdsMatchTheModel() throws IOException {
    Map<String, String> generated = Crds.generate();
    Path dir = Repo.path("crds");
    if (UPDATING) {
      Files.createDirectories(dir);
      for (String stale : committed(dir).keySet()) {
        if (!generated.containsKey(stale)) {
          Files.delete(dir.resolve(stale));
        }
      }
      for (Map.Entry<String, String> e : generated.entrySet()) {
        Files.writeString(dir.resolve(e.getKey()), e.getValue());
      }
    }
    Map<String, String> committed = committed(dir);
    assertThat(committed.keySet())
        .as("CRD files in crds/; " + HOW_TO_UPDATE)
        .containsExactlyElementsOf(generated.keySet());
    for (Map.Entry<String, String> e : generated.entrySet()) {
      assertThat(committed.get(e.getKey()))
          .as("crds/%s differs from the Java model; %s", e.getKey(), HOW_TO_UPDATE)
          .isEqualTo(e.getValue());
    }
  }

  @Test
  void apiReferenceMatchesTheModel() throws IOException {
    KubernetesSerialization yaml = new KubernetesSerialization();
    List<CustomResourceDefinition> crds =
        Crds.generate().values().stream()
            .map(y -> yaml.unmarshal(y, CustomResourceDefinition.class))
            .toList();
    String rendered = ApiDocs.render(crds);
    Path doc = Repo.path("docs/api.md");
    if (UPDATING) {
      Files.createDirectories(doc.getParent());
      Files.writeString(doc, rendered);
    }
    assertThat(Files.exists(doc)).as("docs/api.md exists; " + HOW_TO_UPDATE).isTrue();
    assertThat(Files.readString(doc))
        .as("docs/api.md differs from the Java model; " + HOW_TO_UPDATE)
        .isEqualTo(rendered);
  }

  static Map<String, String> committed(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        files.put(f.getFileName().toString(), Files.readString(f));
      }
    }
    return files;
  }
}
