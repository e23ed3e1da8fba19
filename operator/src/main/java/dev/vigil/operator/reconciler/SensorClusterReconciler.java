package dev.vigil.operator.reconciler;

import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.SensorCluster;
import dev.vigil.api.v1alpha1.TapAssignment;
import dev.vigil.api.v1alpha1.status.SensorClusterStatus;
import dev.vigil.operator.events.EventRecorder;
import dev.vigil.operator.events.Reason;
import dev.vigil.operator.model.SensorStatefulSet;
import dev.vigil.operator.status.Conditions;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * SensorCluster: aggregates its taps (links, workers ready/desired) and the policies it applies.
 */
@ApplicationScoped
@ControllerConfiguration(name = "sensorcluster")
public class SensorClusterReconciler implements Reconciler<SensorCluster> {

  private final EventRecorder events;

  public SensorClusterReconciler(EventRecorder events) {
    this.events = events;
  }

  @Override
  public List<EventSource<?, SensorCluster>> prepareEventSources(
      EventSourceContext<SensorCluster> context) {
    return List.of(
        EventSources.tapsForSensorClusters(context),
        EventSources.policies(context),
        EventSources.alertPipelines(context));
  }

  @Override
  public UpdateControl<SensorCluster> reconcile(
      SensorCluster cluster, Context<SensorCluster> context) {
    String ns = cluster.getMetadata().getNamespace();
    List<TapAssignment> taps =
        Lookups.<TapAssignment, SensorCluster>source(context, TapAssignment.class, Lookups.TAPS)
            .list(ns, t -> cluster.getMetadata().getName().equals(t.getSpec().getSensorCluster()))
            .sorted(java.util.Comparator.comparing(t -> t.getMetadata().getName()))
            .toList();
    int desired = taps.stream().mapToInt(SensorStatefulSet::workers).sum();
    int ready =
        taps.stream()
            .mapToInt(
                t ->
                    t.getStatus() == null || t.getStatus().getReadyWorkers() == null
                        ? 0
                        : t.getStatus().getReadyWorkers())
            .sum();
    SensorClusterStatus status = new SensorClusterStatus();
    status.setLinks(taps.size());
    status.setDesiredWorkers(desired);
    status.setReadyWorkers(ready);
    status.setAppliedPolicies(
        Lookups.selectedPolicies(context, ns, cluster.getSpec().getDetectorPolicySelector()));

    List<String> degraded =
        taps.stream()
            .filter(t -> Conditions.isTrue(t.getStatus(), Condition.Type.DEGRADED))
            .map(t -> t.getMetadata().getName())
            .toList();
    Conditions conditions = new Conditions(cluster.getMetadata().getGeneration());
    var pipelineRef = cluster.getSpec().getAlertPipelineRef();
    if (pipelineRef != null && Lookups.alertPipeline(context, ns, pipelineRef).isEmpty()) {
      conditions.degraded(
          Reason.AlertPipelineMissing.name(),
          "AlertPipeline '"
              + pipelineRef.getName()
              + "' does not exist in namespace '"
              + ns
              + "'; sensors write local logs only until it does");
    } else if (!degraded.isEmpty()) {
      conditions.degraded(
          Reason.TapDegraded.name(), "degraded TapAssignments: " + String.join(", ", degraded));
    } else if (taps.isEmpty()) {
      conditions.ready(Reason.NoTaps.name(), "no TapAssignment names this SensorCluster yet");
    } else if (ready == desired) {
      conditions.ready(
          Reason.Ready.name(), taps.size() + " links, " + ready + "/" + desired + " workers ready");
    } else {
      conditions.progressing(
          Reason.RollingOut.name(),
          taps.size() + " links, " + ready + "/" + desired + " workers ready");
    }
    return StatusUpdates.patchIfChanged(
        cluster, conditions.applyTo(status, cluster.getStatus()), events);
  }
}
