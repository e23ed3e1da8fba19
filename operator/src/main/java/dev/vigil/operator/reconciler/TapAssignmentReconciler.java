package dev.vigil.operator.reconciler;

import dev.vigil.api.v1alpha1.TapAssignment;
import dev.vigil.api.v1alpha1.status.TapAssignmentStatus;
import dev.vigil.operator.dependent.SensorClusterPresent;
import dev.vigil.operator.dependent.SensorConfigMapDependent;
import dev.vigil.operator.dependent.SensorStatefulSetDependent;
import dev.vigil.operator.events.EventRecorder;
import dev.vigil.operator.events.Reason;
import dev.vigil.operator.model.SensorStatefulSet;
import dev.vigil.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * TapAssignment (+ its SensorCluster) → sensor ConfigMap and StatefulSet; status reports workers
 * ready/desired and the label selector the scale subresource exposes.
 */
@Workflow(
    dependents = {
      @Dependent(
          name = "sensor-config",
          type = SensorConfigMapDependent.class,
          reconcilePrecondition = SensorClusterPresent.class),
      @Dependent(
          name = "sensor-statefulset",
          type = SensorStatefulSetDependent.class,
          dependsOn = "sensor-config",
          reconcilePrecondition = SensorClusterPresent.class)
    })
@ApplicationScoped
@ControllerConfiguration(name = "tapassignment")
public class TapAssignmentReconciler implements Reconciler<TapAssignment> {

  private final EventRecorder events;

  public TapAssignmentReconciler(EventRecorder events) {
    this.events = events;
  }

  @Override
  public List<EventSource<?, TapAssignment>> prepareEventSources(
      EventSourceContext<TapAssignment> context) {
    return List.of(
        EventSources.sensorClustersForTaps(context),
        EventSources.policies(context),
        EventSources.nodesForTaps(context),
        EventSources.alertPipelines(context));
  }

  @Override
  public UpdateControl<TapAssignment> reconcile(TapAssignment tap, Context<TapAssignment> context) {
    String ns = tap.getMetadata().getNamespace();
    int desired = SensorStatefulSet.workers(tap);
    TapAssignmentStatus status = new TapAssignmentStatus();
    status.setSelector(
        SensorStatefulSet.selector(tap).entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(",")));
    Conditions conditions = new Conditions(tap.getMetadata().getGeneration());

    if (Lookups.sensorCluster(context, ns, tap.getSpec().getSensorCluster()).isEmpty()) {
      status.setReadyWorkers(0);
      conditions.degraded(
          Reason.SensorClusterMissing.name(),
          "SensorCluster '"
              + tap.getSpec().getSensorCluster()
              + "' does not exist in namespace '"
              + ns
              + "'; create it or fix spec.sensorCluster");
    } else if (!Lookups.nodeExists(context, tap.getSpec().getNodeName())) {
      // Sensors are still made (they wait, Pending, for the node); the person is told why.
      status.setReadyWorkers(0);
      conditions.degraded(
          Reason.NodeMissing.name(),
          "node '"
              + tap.getSpec().getNodeName()
              + "' does not exist; fix spec.nodeName or join the sensor node to the cluster");
    } else {
      Optional<StatefulSet> sts = context.getSecondaryResource(StatefulSet.class);
      int ready =
          sts.map(s -> s.getStatus() == null ? null : s.getStatus().getReadyReplicas()).orElse(0);
      status.setReadyWorkers(ready);
      boolean current =
          sts.map(
                  s ->
                      s.getStatus() != null
                          && s.getStatus().getObservedGeneration() != null
                          && s.getStatus().getObservedGeneration()
                              >= s.getMetadata().getGeneration()
                          && s.getStatus().getUpdatedReplicas() != null
                          && s.getStatus().getUpdatedReplicas() == desired)
              .orElse(false);
      if (ready == desired && current) {
        conditions.ready(Reason.Ready.name(), ready + "/" + desired + " workers ready");
      } else {
        conditions.progressing(
            Reason.RollingOut.name(),
            ready + "/" + desired + " workers ready on node " + tap.getSpec().getNodeName());
      }
    }
    return StatusUpdates.patchIfChanged(tap, conditions.applyTo(status, tap.getStatus()), events);
  }
}
