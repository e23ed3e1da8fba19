package dev.vigil.operator.dependent;

import dev.vigil.api.v1alpha1.DetectorPolicy;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.PolicyConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The compiled policy file of a DetectorPolicy. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class PolicyConfigMapDependent
    extends CRUDKubernetesDependentResource<ConfigMap, DetectorPolicy> {

  public PolicyConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(DetectorPolicy policy, Context<DetectorPolicy> context) {
    return PolicyConfigMap.desired(policy);
  }
}
