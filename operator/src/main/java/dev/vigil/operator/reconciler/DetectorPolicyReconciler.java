package dev.vigil.operator.reconciler;

import dev.vigil.api.v1alpha1.DetectorPolicy;
import dev.vigil.api.v1alpha1.HostAgent;
import dev.vigil.api.v1alpha1.SensorCluster;
import dev.vigil.api.v1alpha1.status.DetectorPolicyStatus;
import dev.vigil.operator.dependent.PolicyConfigMapDependent;
import dev.vigil.operator.events.EventRecorder;
import dev.vigil.operator.events.Reason;
import dev.vigil.operator.model.Selectors;
import dev.vigil.operator.status.Conditions;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * DetectorPolicy → its compiled policy ConfigMap; status lists the SensorClusters and HostAgents
 * whose selectors pick it.
 */
@Workflow(
    dependents = {@Dependent(name = "policy-configmap", type = PolicyConfigMapDependent.class)})
@ApplicationScoped
@ControllerConfiguration(name = "detectorpolicy")
public class DetectorPolicyReconciler implements Reconciler<DetectorPolicy> {

  static final String CLUSTERS = "policy-sensor-clusters";
  static final String AGENTS = "policy-host-agents";
  private final EventRecorder events;

  public DetectorPolicyReconciler(EventRecorder events) {
    this.events = events;
  }

  @Override
  public List<EventSource<?, DetectorPolicy>> prepareEventSources(
      EventSourceContext<DetectorPolicy> context) {
    return List.of(
        EventSources.allInNamespace(SensorCluster.class, CLUSTERS, context),
        EventSources.allInNamespace(HostAgent.class, AGENTS, context));
  }

  @Override
  public UpdateControl<DetectorPolicy> reconcile(
      DetectorPolicy policy, Context<DetectorPolicy> context) {
    String ns = policy.getMetadata().getNamespace();
    var labels = policy.getMetadata().getLabels();
    List<String> appliedTo = new ArrayList<>();
    Lookups.<SensorCluster, DetectorPolicy>source(context, SensorCluster.class, CLUSTERS)
        .list(ns, c -> Selectors.matches(c.getSpec().getDetectorPolicySelector(), labels))
        .forEach(c -> appliedTo.add("SensorCluster/" + c.getMetadata().getName()));
    Lookups.<HostAgent, DetectorPolicy>source(context, HostAgent.class, AGENTS)
        .list(ns, a -> Selectors.matches(a.getSpec().getDetectorPolicySelector(), labels))
        .forEach(a -> appliedTo.add("HostAgent/" + a.getMetadata().getName()));
    appliedTo.sort(null);

    DetectorPolicyStatus status = new DetectorPolicyStatus();
    status.setAppliedTo(appliedTo);
    long inline =
        policy.getSpec().getTrails() == null || policy.getSpec().getTrails().getInline() == null
            ? 0
            : policy.getSpec().getTrails().getInline().size();
    status.setTrailEntries(inline);
    Conditions conditions = new Conditions(policy.getMetadata().getGeneration());
    conditions.ready(
        Reason.PolicyCompiled.name(),
        appliedTo.isEmpty()
            ? "compiled; no SensorCluster or HostAgent selects this policy"
            : "compiled; applies to " + String.join(", ", appliedTo));
    return StatusUpdates.patchIfChanged(
        policy, conditions.applyTo(status, policy.getStatus()), events);
  }
}
