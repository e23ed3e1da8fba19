package dev.vigil.api.v1alpha1;

/** Constants of the API group. */
public final class Vigil {

  /** API group of every Vigil kind. */
  public static final String GROUP = "vigil.dev";

  /** The only version so far. */
  public static final String VERSION = "v1alpha1";

  /** Category: {@code kubectl get vigil} lists every Vigil resource. */
  public static final String CATEGORY = "vigil";

  /** Printer-column path of the Ready condition's status. */
  static final String READY_JSON_PATH = ".status.conditions[?(@.type==\"Ready\")].status";

  private Vigil() {}
}
