package dev.vigil.operator.model;

import dev.vigil.api.v1alpha1.AlertPipeline;
import dev.vigil.api.v1alpha1.spec.OpenSearch;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * How a sensor or agent pod reaches the AlertPipeline its SensorCluster or HostAgent names: the
 * endpoint and index prefix as arguments, the credentials Secret and CA mounted as files (never as
 * plain environment values, so they stay out of {@code kubectl describe} and process listings). No
 * pipeline → no arguments: the pod still writes its local logs.
 */
public record PipelineWiring(
    List<String> args, List<EnvVar> env, List<Volume> volumes, List<VolumeMount> mounts) {

  public static final String DIR = "/etc/vigil/opensearch";

  public static PipelineWiring none() {
    return new PipelineWiring(List.of(), List.of(), List.of(), List.of());
  }

  public static PipelineWiring of(AlertPipeline pipeline) {
    if (pipeline == null
        || pipeline.getSpec() == null
        || pipeline.getSpec().getOpensearch() == null) {
      return none();
    }
    OpenSearch os = pipeline.getSpec().getOpensearch();
    List<String> args = new ArrayList<>();
    List<EnvVar> env = new ArrayList<>();
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    // Sensor and agent take one URL today; the first endpoint is the one they ship to.
    args.add("--opensearch");
    args.add(os.getEndpoints().get(0));
    args.add("--index-prefix");
    args.add(os.getIndexPrefix() != null ? os.getIndexPrefix() : "vigil");
    if (os.getCredentialsSecretRef() != null) {
      String secret = os.getCredentialsSecretRef().getName();
      env.add(
          new EnvVarBuilder()
              .withName("VIGIL_OPENSEARCH_USER")
              .withNewValueFrom()
              .withNewSecretKeyRef()
              .withName(secret)
              .withKey("username")
              .endSecretKeyRef()
              .endValueFrom()
              .build());
      args.add("--opensearch-user");
      args.add("$(VIGIL_OPENSEARCH_USER)");
      args.add("--opensearch-password-file");
      args.add(DIR + "/credentials/password");
      volumes.add(
          new VolumeBuilder()
              .withName("opensearch-credentials")
              .withNewSecret()
              .withSecretName(secret)
              .addNewItem()
              .withKey("password")
              .withPath("password")
              .endItem()
              .withDefaultMode(0400)
              .endSecret()
              .build());
      mounts.add(mount("opensearch-credentials", DIR + "/credentials"));
    }
    if (os.getCaSecretRef() != null) {
      volumes.add(
          new VolumeBuilder()
              .withName("opensearch-ca")
              .withNewSecret()
              .withSecretName(os.getCaSecretRef().getName())
              .addNewItem()
              .withKey(os.getCaSecretRef().getKey())
              .withPath("ca.crt")
              .endItem()
              .endSecret()
              .build());
      mounts.add(mount("opensearch-ca", DIR + "/ca"));
      args.add("--opensearch-ca");
      args.add(DIR + "/ca/ca.crt");
    }
    return new PipelineWiring(args, env, volumes, mounts);
  }

  private static VolumeMount mount(String name, String path) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(true).build();
  }
}
