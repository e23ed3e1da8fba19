package dev.vigil.router;

import dev.vigil.api.v1alpha1.Severity;

/**
 * The CRD's severity names on the ECS {@code event.severity} scale the sensor and agent write: info
 * 1, low 21, medium 47, high 73, critical 99 (the bands of Elastic's detection rules; the scale
 * itself is {@link dev.vigil.common.policy.Severity}).
 */
public final class Severities {
  public static final int INFO = dev.vigil.common.policy.Severity.INFO;
  public static final int LOW = dev.vigil.common.policy.Severity.LOW;
  public static final int MEDIUM = dev.vigil.common.policy.Severity.MEDIUM;
  public static final int HIGH = dev.vigil.common.policy.Severity.HIGH;
  public static final int CRITICAL = dev.vigil.common.policy.Severity.CRITICAL;

  private Severities() {}

  /** The number a route's {@code minSeverity} stands for; null is the CRD default, high. */
  public static int of(Severity s) {
    return switch (s == null ? Severity.HIGH : s) {
      case INFO -> INFO;
      case LOW -> LOW;
      case MEDIUM -> MEDIUM;
      case HIGH -> HIGH;
      case CRITICAL -> CRITICAL;
    };
  }

  /** The band name of a numeric severity (the highest band it reaches). */
  public static String name(int severity) {
    return dev.vigil.common.policy.Severity.name(severity);
  }

  /** PagerDuty's {@code payload.severity}: critical, error, warning or info. */
  public static String pagerDuty(int severity) {
    if (severity >= CRITICAL) {
      return "critical";
    }
    if (severity >= HIGH) {
      return "error";
    }
    if (severity >= MEDIUM) {
      return "warning";
    }
    return "info";
  }
}
