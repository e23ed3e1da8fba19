package dev.vigil.operator.dependent;

import dev.vigil.api.v1alpha1.SensorCluster;
import dev.vigil.api.v1alpha1.TapAssignment;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.PipelineWiring;
import dev.vigil.operator.model.SensorConfig;
import dev.vigil.operator.model.SensorStatefulSet;
import dev.vigil.operator.reconciler.Lookups;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** One sensor pod per worker of a tap. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class SensorStatefulSetDependent
    extends CRUDKubernetesDependentResource<StatefulSet, TapAssignment> {

  public SensorStatefulSetDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet desired(TapAssignment tap, Context<TapAssignment> context) {
    String ns = tap.getMetadata().getNamespace();
    SensorCluster cluster =
        Lookups.sensorCluster(context, ns, tap.getSpec().getSensorCluster())
            .orElseThrow(() -> new IllegalStateException("precondition: SensorCluster exists"));
    String hash = SensorConfig.hash(SensorConfig.of(tap, cluster).toJson());
    var policies =
        Lookups.policyConfigMaps(
            Lookups.selectedPolicies(context, ns, cluster.getSpec().getDetectorPolicySelector()));
    PipelineWiring pipeline =
        PipelineWiring.of(
            Lookups.alertPipeline(context, ns, cluster.getSpec().getAlertPipelineRef())
                .orElse(null));
    return SensorStatefulSet.desired(tap, cluster, hash, policies, pipeline);
  }
}
