package dev.vigil.common.schema;

import java.util.Locale;
import java.util.Map;

/**
 * The detector names of the API (DetectorPolicy suppressions, AlertPipeline route filters: {@code
 * tls-blocklist}, {@code stratum}, {@code silent-miner}, {@code connect-back}, {@code trail}) and
 * the {@code rule.name}s of the alerts each detector raises, in one place so routes and
 * suppressions select the same alerts in sensor, agent and router.
 */
public final class Detectors {

  public static final String TLS_BLOCKLIST = "tls-blocklist";
  public static final String STRATUM = "stratum";
  public static final String SILENT_MINER = "silent-miner";
  public static final String CONNECT_BACK = "connect-back";
  public static final String TRAIL = "trail";

  private static final Map<String, String> BY_RULE =
      Map.of(
          "TlsBlocklist", TLS_BLOCKLIST,
          "StratumMining", STRATUM,
          "SilentMiner", SILENT_MINER,
          "MinerExecutable", SILENT_MINER,
          "ConnectBack", CONNECT_BACK,
          "ThreatIntelTrail", TRAIL);

  private Detectors() {}

  /**
   * The API detector name of an alert's {@code rule.name}; a rule this table does not know is named
   * by itself in kebab case ({@code NewRule} → {@code new-rule}).
   */
  public static String of(String ruleName) {
    String known = BY_RULE.get(ruleName);
    if (known != null || ruleName == null) {
      return known;
    }
    return ruleName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /** Whether {@code selector} (an API detector name, or a rule name) selects the rule. */
  public static boolean selects(String selector, String ruleName) {
    return selector.equals(ruleName) || selector.equals(of(ruleName));
  }
}
