package dev.vigil.router;

import dev.vigil.api.v1alpha1.Severity;

/**
 * The CRD's severity names on the ECS {@code event.severity} scale the sensor and agent write: info
 * 1, low 21, medium 47, high 73, critical 99 (the bands of Elastic's detection rules).
 */
public final class Severities {
  public static final int INFO = 1;
  public static final int LOW = 21;
  public static final int MEDIUM = 47;
  public static final int HIGH = 73;
  public static final int CRITICAL = 99;

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
    if (severity >= CRITICAL) {
      return "critical";
    }
    if (severity >= HIGH) {
      return "high";
    }
    if (severity >= MEDIUM) {
      return "medium";
    }
    if (severity >= LOW) {
      return "low";
    }
    return "info";
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
