package dev.vigil.operator.dependent;

import dev.vigil.api.v1alpha1.SensorCluster;
import dev.vigil.api.v1alpha1.TapAssignment;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.SensorConfig;
import dev.vigil.operator.model.SensorStatefulSet;
import dev.vigil.operator.reconciler.Lookups;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/** The rendered sensor configuration of a tap, shared by all its workers. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class SensorConfigMapDependent
    extends CRUDKubernetesDependentResource<ConfigMap, TapAssignment> {

  public SensorConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(TapAssignment tap, Context<TapAssignment> context) {
    SensorCluster cluster =
        Lookups.sensorCluster(
                context, tap.getMetadata().getNamespace(), tap.getSpec().getSensorCluster())
            .orElseThrow(() -> new IllegalStateException("precondition: SensorCluster exists"));
    return desired(tap, cluster);
  }

  /** Pure: the ConfigMap for a tap and its cluster. */
  public static ConfigMap desired(TapAssignment tap, SensorCluster cluster) {
    Map<String, String> labels = Labels.of("sensor-config", tap);
    labels.put(Labels.TAP, tap.getMetadata().getName());
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(SensorStatefulSet.configMapName(tap))
        .withNamespace(tap.getMetadata().getNamespace())
        .withLabels(labels)
        .endMetadata()
        .addToData(SensorConfig.FILE, SensorConfig.of(tap, cluster).toJson())
        .build();
  }
}
