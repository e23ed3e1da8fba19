package dev.vigil.operator.model;

import dev.vigil.api.v1alpha1.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;

/** Maps the API's tolerations to Kubernetes tolerations. */
public final class Tolerations {

  private Tolerations() {}

  public static List<io.fabric8.kubernetes.api.model.Toleration> of(List<Toleration> in) {
    if (in == null) {
      return List.of();
    }
    return in.stream()
        .map(
            t ->
                new TolerationBuilder()
                    .withKey(t.getKey())
                    .withOperator(SensorConfig.enumValue(t.getOperator()))
                    .withValue(t.getValue())
                    .withEffect(SensorConfig.enumValue(t.getEffect()))
                    .withTolerationSeconds(t.getTolerationSeconds())
                    .build())
        .toList();
  }
}
