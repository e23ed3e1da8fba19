package dev.vigil.sensor.detect;

/**
 * What one detector concluded under one policy, before suppressions and mode decide whether it
 * becomes an alert. {@code key} identifies the finding across policies (two policies listing the
 * same JA3 produce one alert).
 *
 * @param detector the detector's name as suppressions spell it ({@code tls-blocklist}, ...)
 * @param rule ECS {@code rule.name}
 * @param fingerprint the JA3/JA3S/JA4 that matched (suppression {@code fingerprint}), or null
 * @param ja3 the connection's client JA3 for {@code tls.client.ja3}, or null
 * @param indicatorType ECS {@code threat.indicator.type} ({@code ipv4-addr}, {@code domain-name},
 *     {@code url}, ...)
 * @param evidence more detail, under {@code vigil.evidence} in the alert (e.g. the Stratum login)
 */
public record Finding(
    String detector,
    String rule,
    int severity,
    String message,
    String fingerprint,
    String ja3,
    String ja4,
    String indicatorType,
    String indicatorValue,
    String indicatorDescription,
    long tsNanos,
    java.util.Map<String, String> evidence) {

  String key() {
    return rule + "\u001f" + fingerprint + "\u001f" + indicatorValue;
  }
}
