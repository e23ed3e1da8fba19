package dev.vigil.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.AlertPipeline;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class PipelineWiringTest {

  @Test
  void noPipelineMeansLocalLogsOnly() {
    assertThat(PipelineWiring.of(null)).isEqualTo(PipelineWiring.none());
  }

  @Test
  void credentialsAndCaAreFilesAndThePasswordNeverAnEnvironmentValue() {
    AlertPipeline p =
        Serialization.unmarshal(
            """
            apiVersion: vigil.dev/v1alpha1
            kind: AlertPipeline
            metadata: {name: site, namespace: vigil}
            spec:
              opensearch:
                endpoints: ["https://os-1.example:9200", "https://os-2.example:9200"]
                credentialsSecretRef: {name: os-creds}
                caSecretRef: {name: os-ca, key: root.pem}
            """,
            AlertPipeline.class);
    PipelineWiring w = PipelineWiring.of(p);

    assertThat(w.args())
        .containsSequence("--opensearch", "https://os-1.example:9200")
        .containsSequence("--index-prefix", "vigil")
        .containsSequence("--opensearch-ca", "/etc/vigil/opensearch/ca/ca.crt")
        .containsSequence(
            "--opensearch-password-file", "/etc/vigil/opensearch/credentials/password");
    assertThat(w.env())
        .allSatisfy(e -> assertThat(e.getValue()).isNull())
        .noneMatch(e -> e.getName().contains("PASSWORD"));
    assertThat(w.volumes())
        .anySatisfy(
            v -> {
              assertThat(v.getSecret().getSecretName()).isEqualTo("os-ca");
              assertThat(v.getSecret().getItems().get(0).getKey()).isEqualTo("root.pem");
            });
    assertThat(w.mounts()).allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
  }
}
