package dev.vigil.operator.dependent;

import dev.vigil.api.v1alpha1.HostAgent;
import dev.vigil.operator.model.AgentDaemonSet;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.PipelineWiring;
import dev.vigil.operator.reconciler.Lookups;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The agent DaemonSet of a HostAgent. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class AgentDaemonSetDependent extends CRUDKubernetesDependentResource<DaemonSet, HostAgent> {

  public AgentDaemonSetDependent() {
    super(DaemonSet.class);
  }

  @Override
  protected DaemonSet desired(HostAgent agent, Context<HostAgent> context) {
    var policies =
        Lookups.policyConfigMaps(
            Lookups.selectedPolicies(
                context,
                agent.getMetadata().getNamespace(),
                agent.getSpec().getDetectorPolicySelector()));
    PipelineWiring pipeline =
        PipelineWiring.of(
            Lookups.alertPipeline(
                    context,
                    agent.getMetadata().getNamespace(),
                    agent.getSpec().getAlertPipelineRef())
                .orElse(null));
    return AgentDaemonSet.desired(agent, policies, pipeline);
  }
}
