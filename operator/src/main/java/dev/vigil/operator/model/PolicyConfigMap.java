package dev.vigil.operator.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.api.v1alpha1.DetectorPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled form of a DetectorPolicy that sensors and agents read: one ConfigMap per policy
 * holding {@code <policy>.json}: the spec plus every trail indicator resolved from its ConfigMaps
 * (so consumers read one file and never the API server). Consumers mount the ConfigMaps of every
 * policy their selector picks into one directory and reload on change (ConfigMap volumes update in
 * place).
 *
 * <p>When the policy has {@code connectBack.internetNodeSelector}, the file also lists {@code
 * internetNodes}: the names of the nodes it selects now (login and data-transfer nodes), sorted, so
 * an agent knows from its own node name whether connect-back applies to it without reading Node
 * objects itself.
 */
public final class PolicyConfigMap {

  public static final String COMPONENT = "policy";

  /** Schema version of the rendered policy file, read by sensor and agent. */
  public static final int SCHEMA = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private PolicyConfigMap() {}

  public static String name(String policyName) {
    return policyName + "-policy";
  }

  public static String render(
      DetectorPolicy policy, TrailCompiler.Result trails, List<String> internetNodes) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schema", SCHEMA);
    doc.put("name", policy.getMetadata().getName());
    doc.put("namespace", policy.getMetadata().getNamespace());
    doc.put("generation", policy.getMetadata().getGeneration());
    doc.put("spec", policy.getSpec());
    doc.put("trails", trails.indicators());
    if (selectsInternetNodes(policy)) {
      doc.put("internetNodes", internetNodes.stream().sorted().toList());
    }
    try {
      return JSON.writeValueAsString(doc) + "\n";
    } catch (Exception e) {
      throw new IllegalStateException("cannot render policy " + policy.getMetadata().getName(), e);
    }
  }

  /** Whether the policy names nodes that may reach the internet. */
  public static boolean selectsInternetNodes(DetectorPolicy policy) {
    return policy.getSpec() != null
        && policy.getSpec().getConnectBack() != null
        && policy.getSpec().getConnectBack().getInternetNodeSelector() != null;
  }

  public static ConfigMap desired(
      DetectorPolicy policy, TrailCompiler.Result trails, List<String> internetNodes) {
    Map<String, String> labels = Labels.of(COMPONENT, policy);
    labels.put(Labels.POLICY, policy.getMetadata().getName());
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name(policy.getMetadata().getName()))
        .withNamespace(policy.getMetadata().getNamespace())
        .withLabels(labels)
        .endMetadata()
        .addToData(policy.getMetadata().getName() + ".json", render(policy, trails, internetNodes))
        .build();
  }
}
