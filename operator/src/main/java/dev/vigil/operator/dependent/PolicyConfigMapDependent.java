package dev.vigil.operator.dependent;

import dev.vigil.api.v1alpha1.DetectorPolicy;
import dev.vigil.operator.model.Labels;
import dev.vigil.operator.model.PolicyConfigMap;
import dev.vigil.operator.model.Selectors;
import dev.vigil.operator.model.TrailCompiler;
import dev.vigil.operator.reconciler.Lookups;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The compiled policy file of a DetectorPolicy. When its trails do not compile (a missing
 * ConfigMap, a malformed line), the ConfigMap already published stays as it is, so sensors keep
 * enforcing the last good policy while the DetectorPolicy reports Degraded.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class PolicyConfigMapDependent
    extends CRUDKubernetesDependentResource<ConfigMap, DetectorPolicy> {

  public PolicyConfigMapDependent() {
    super(ConfigMap.class);
  }

  /** Key under which this pass's compiled trails are handed to the reconciler's status step. */
  public static final String TRAILS = "vigil.trails";

  @Override
  protected ConfigMap desired(DetectorPolicy policy, Context<DetectorPolicy> context) {
    TrailCompiler.Result trails = compile(policy, context);
    context.managedWorkflowAndDependentResourceContext().put(TRAILS, trails);
    Optional<ConfigMap> current = context.getSecondaryResource(ConfigMap.class);
    List<String> internetNodes = internetNodes(policy, context);
    if (!trails.ok() && current.isPresent()) {
      ConfigMap keep = PolicyConfigMap.desired(policy, trails, internetNodes);
      keep.setData(current.get().getData());
      return keep;
    }
    return PolicyConfigMap.desired(policy, trails, internetNodes);
  }

  /** Names of the nodes the policy's internetNodeSelector picks, from the node informer. */
  static List<String> internetNodes(DetectorPolicy policy, Context<DetectorPolicy> context) {
    if (!PolicyConfigMap.selectsInternetNodes(policy)) {
      return List.of();
    }
    var selector = policy.getSpec().getConnectBack().getInternetNodeSelector();
    return Lookups.<Node, DetectorPolicy>source(context, Node.class, Lookups.NODES)
        .list(n -> Selectors.matches(selector, n.getMetadata().getLabels()))
        .map(n -> n.getMetadata().getName())
        .sorted()
        .toList();
  }

  /**
   * Trail ConfigMaps are the user's, unlabelled, read by name (a GET per reference, only when a
   * policy reconciles, not per event of every ConfigMap in the cluster).
   */
  public static TrailCompiler.Result compile(
      DetectorPolicy policy, Context<DetectorPolicy> context) {
    String ns = policy.getMetadata().getNamespace();
    return TrailCompiler.compile(
        policy.getSpec(),
        name ->
            Optional.ofNullable(
                    context.getClient().configMaps().inNamespace(ns).withName(name).get())
                .map(cm -> cm.getData() == null ? Map.<String, String>of() : cm.getData()));
  }
}
