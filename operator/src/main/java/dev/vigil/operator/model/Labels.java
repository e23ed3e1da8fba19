package dev.vigil.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.Map;

/** Labels and annotations the operator puts on everything it makes. */
public final class Labels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String OPERATOR = "vigil-operator";

  /** Selector used by every informer of operator-owned children. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

  public static final String TAP = "vigil.dev/tap";
  public static final String SENSOR_CLUSTER = "vigil.dev/sensor-cluster";
  public static final String HOST_AGENT = "vigil.dev/host-agent";
  public static final String POLICY = "vigil.dev/detector-policy";

  /** Pod-template annotation holding the hash of the rendered config, so a change rolls pods. */
  public static final String CONFIG_HASH = "vigil.dev/config-hash";

  private Labels() {}

  /** The labels of one component made for {@code owner}. */
  public static Map<String, String> of(String component, HasMetadata owner) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(NAME, "vigil");
    l.put(COMPONENT, component);
    l.put(INSTANCE, owner.getMetadata().getName());
    l.put(MANAGED_BY, OPERATOR);
    return l;
  }
}
