package dev.vigil.operator.reconciler;

import dev.vigil.api.v1alpha1.AlertPipeline;
import dev.vigil.api.v1alpha1.DetectorPolicy;
import dev.vigil.api.v1alpha1.SensorCluster;
import dev.vigil.api.v1alpha1.TapAssignment;
import dev.vigil.operator.model.PolicyConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Informers on Vigil's own kinds that wake other reconcilers, shared by the reconcilers. */
final class EventSources {

  private EventSources() {}

  /** Every primary in the namespace of the changed resource. */
  static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> allInNamespace(
      Class<R> type, String name, EventSourceContext<P> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
            .withName(name)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(
                (R r) ->
                    context
                        .getPrimaryCache()
                        .list(r.getMetadata().getNamespace())
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build(),
        context);
  }

  static <P extends HasMetadata> InformerEventSource<AlertPipeline, P> alertPipelines(
      EventSourceContext<P> context) {
    return allInNamespace(AlertPipeline.class, Lookups.ALERT_PIPELINES, context);
  }

  static <P extends HasMetadata> InformerEventSource<DetectorPolicy, P> policies(
      EventSourceContext<P> context) {
    return allInNamespace(DetectorPolicy.class, Lookups.POLICIES, context);
  }

  /** SensorCluster → the TapAssignments that name it. */
  static InformerEventSource<SensorCluster, TapAssignment> sensorClustersForTaps(
      EventSourceContext<TapAssignment> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(SensorCluster.class, TapAssignment.class)
            .withName(Lookups.SENSOR_CLUSTERS)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(
                (SensorCluster sc) ->
                    context
                        .getPrimaryCache()
                        .list(
                            sc.getMetadata().getNamespace(),
                            t -> sc.getMetadata().getName().equals(t.getSpec().getSensorCluster()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build(),
        context);
  }

  /** Node → the TapAssignments bound to it (in any namespace). */
  static InformerEventSource<Node, TapAssignment> nodesForTaps(
      EventSourceContext<TapAssignment> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Node.class, TapAssignment.class)
            .withName(Lookups.NODES)
            .withSecondaryToPrimaryMapper(
                (Node n) ->
                    context
                        .getPrimaryCache()
                        .list(t -> n.getMetadata().getName().equals(t.getSpec().getNodeName()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build(),
        context);
  }

  /**
   * Node → the DetectorPolicies (in any namespace) with an internetNodeSelector, on a node's
   * creation, deletion or label change only (not on its status heartbeats).
   */
  static InformerEventSource<Node, DetectorPolicy> nodesForPolicies(
      EventSourceContext<DetectorPolicy> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Node.class, DetectorPolicy.class)
            .withName(Lookups.NODES)
            .withOnUpdateFilter(
                (Node next, Node previous) ->
                    !Objects.equals(
                        next.getMetadata().getLabels(), previous.getMetadata().getLabels()))
            .withSecondaryToPrimaryMapper(
                (Node n) ->
                    context
                        .getPrimaryCache()
                        .list(PolicyConfigMap::selectsInternetNodes)
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build(),
        context);
  }

  /** TapAssignment → the SensorCluster it names. */
  static InformerEventSource<TapAssignment, SensorCluster> tapsForSensorClusters(
      EventSourceContext<SensorCluster> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(TapAssignment.class, SensorCluster.class)
            .withName(Lookups.TAPS)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(
                (TapAssignment t) ->
                    t.getSpec() == null || t.getSpec().getSensorCluster() == null
                        ? Set.of()
                        : Set.of(
                            new ResourceID(
                                t.getSpec().getSensorCluster(), t.getMetadata().getNamespace())))
            .build(),
        context);
  }
}
