package dev.vigil.operator.model;

import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import java.util.List;

/**
 * The compiled DetectorPolicy ConfigMaps a consumer's selector picks, projected into one read-only
 * directory. Each source is optional so a policy being compiled never blocks a pod; ConfigMap
 * volumes update in place, which is how sensors and agents reload policy without a restart.
 */
public final class PolicyVolume {

  public static final String NAME = "policies";
  public static final String DIR = "/etc/vigil/policies";

  private PolicyVolume() {}

  public static Volume of(List<String> configMaps) {
    return new VolumeBuilder()
        .withName(NAME)
        .withNewProjected()
        .withSources(
            configMaps.stream()
                .map(
                    cm ->
                        new VolumeProjectionBuilder()
                            .withNewConfigMap()
                            .withName(cm)
                            .withOptional(true)
                            .endConfigMap()
                            .build())
                .toList())
        .endProjected()
        .build();
  }

  public static VolumeMount mount() {
    return new VolumeMountBuilder().withName(NAME).withMountPath(DIR).withReadOnly(true).build();
  }
}
