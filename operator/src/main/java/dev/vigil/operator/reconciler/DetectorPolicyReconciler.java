package dev.vigil.operator.reconciler;

import dev.vigil.api.v1alpha1.DetectorPolicy;
import dev.vigil.api.v1alpha1.HostAgent;
import dev.vigil.api.v1alpha1.SensorCluster;
import dev.vigil.api.v1alpha1.status.DetectorPolicyStatus;
import dev.vigil.operator.dependent.PolicyConfigMapDependent;
import dev.vigil.operator.events.EventRecorder;
import dev.vigil.operator.events.Reason;
import dev.vigil.operator.model.Selectors;
import dev.vigil.operator.model.TrailCompiler;
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
import java.time.Duration;
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
        EventSources.allInNamespace(HostAgent.class, AGENTS, context),
        EventSources.nodesForPolicies(context));
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
    // Compiled once per pass, by the dependent that publishes the policy file.
    TrailCompiler.Result trails =
        context
            .managedWorkflowAndDependentResourceContext()
            .get(PolicyConfigMapDependent.TRAILS, TrailCompiler.Result.class)
            .orElseGet(() -> PolicyConfigMapDependent.compile(policy, context));
    status.setTrailEntries((long) trails.indicators().size());
    status.setRejectedTrailEntries(trails.rejectedLines());
    Conditions conditions = new Conditions(policy.getMetadata().getGeneration());
    if (!trails.ok()) {
      TrailCompiler.Problem first = trails.problems().get(0);
      conditions.degraded(
          first.reason(),
          first.message()
              + (trails.problems().size() > 1
                  ? " (and " + (trails.problems().size() - 1) + " more problems)"
                  : "")
              + "; the last good policy stays active");
    } else {
      conditions.ready(
          Reason.PolicyCompiled.name(),
          appliedTo.isEmpty()
              ? "compiled; no SensorCluster or HostAgent selects this policy"
              : "compiled; applies to " + String.join(", ", appliedTo));
    }
    // Trail ConfigMaps are read by name, not watched: look again so a fixed one heals.
    UpdateControl<DetectorPolicy> control =
        StatusUpdates.patchIfChanged(
            policy, conditions.applyTo(status, policy.getStatus()), events);
    return control.rescheduleAfter(TRAIL_RECHECK);
  }

  /** How often trail ConfigMaps are re-read. */
  static final Duration TRAIL_RECHECK = Duration.ofSeconds(30);
}
