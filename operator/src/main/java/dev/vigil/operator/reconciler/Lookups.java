package dev.vigil.operator.reconciler;

import dev.vigil.api.v1alpha1.AlertPipeline;
import dev.vigil.api.v1alpha1.DetectorPolicy;
import dev.vigil.api.v1alpha1.ObjectRef;
import dev.vigil.api.v1alpha1.Selector;
import dev.vigil.api.v1alpha1.SensorCluster;
import dev.vigil.operator.model.PolicyConfigMap;
import dev.vigil.operator.model.Selectors;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;

/**
 * Reads referenced resources from the reconciler's informer caches (never from the API server on
 * the hot path).
 */
public final class Lookups {

  /** Event-source names, shared by reconcilers and the dependents that read through them. */
  public static final String SENSOR_CLUSTERS = "sensor-clusters";

  public static final String POLICIES = "detector-policies";
  public static final String TAPS = "tap-assignments";
  public static final String NODES = "nodes";
  public static final String ALERT_PIPELINES = "alert-pipelines";

  private Lookups() {}

  @SuppressWarnings("unchecked")
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> source(
      Context<P> context, Class<R> type, String name) {
    return (InformerEventSource<R, P>) context.eventSourceRetriever().getEventSourceFor(type, name);
  }

  public static <P extends HasMetadata> Optional<SensorCluster> sensorCluster(
      Context<P> context, String namespace, String name) {
    if (name == null) {
      return Optional.empty();
    }
    return Lookups.<SensorCluster, P>source(context, SensorCluster.class, SENSOR_CLUSTERS)
        .get(new ResourceID(name, namespace));
  }

  /** The AlertPipeline a SensorCluster or HostAgent names, from the informer cache. */
  public static <P extends HasMetadata> Optional<AlertPipeline> alertPipeline(
      Context<P> context, String namespace, ObjectRef ref) {
    if (ref == null || ref.getName() == null) {
      return Optional.empty();
    }
    return Lookups.<AlertPipeline, P>source(context, AlertPipeline.class, ALERT_PIPELINES)
        .get(new ResourceID(ref.getName(), namespace));
  }

  /** Whether the node a tap is bound to exists (from the node informer's cache). */
  public static <P extends HasMetadata> boolean nodeExists(Context<P> context, String name) {
    return name != null
        && Lookups.<Node, P>source(context, Node.class, NODES)
            .get(new ResourceID(name))
            .isPresent();
  }

  /** Names of the DetectorPolicies in {@code namespace} that {@code selector} picks, sorted. */
  public static <P extends HasMetadata> List<String> selectedPolicies(
      Context<P> context, String namespace, Selector selector) {
    return Lookups.<DetectorPolicy, P>source(context, DetectorPolicy.class, POLICIES)
        .list(namespace, p -> Selectors.matches(selector, p.getMetadata().getLabels()))
        .map(p -> p.getMetadata().getName())
        .sorted()
        .toList();
  }

  /** The compiled-policy ConfigMaps consumers mount for the given policies. */
  public static List<String> policyConfigMaps(List<String> policies) {
    return policies.stream().map(PolicyConfigMap::name).toList();
  }
}
