package dev.vigil.common.policy;

import java.util.Locale;

/**
 * The policy's severity words on the Elastic detection-rule scale used for ECS {@code
 * event.severity}: info 1, low 21, medium 47, high 73, critical 99.
 */
public final class Severity {
  public static final int INFO = 1;
  public static final int LOW = 21;
  public static final int MEDIUM = 47;
  public static final int HIGH = 73;
  public static final int CRITICAL = 99;

  private Severity() {}

  /** The number for a severity word; anything else is an {@link IllegalArgumentException}. */
  public static int parse(String word) {
    if (word == null) {
      throw new IllegalArgumentException(
          "severity must be one of info, low, medium, high, critical, got null");
    }
    return switch (word) {
      case "info" -> INFO;
      case "low" -> LOW;
      case "medium" -> MEDIUM;
      case "high" -> HIGH;
      case "critical" -> CRITICAL;
      default ->
          throw new IllegalArgumentException(
              "severity must be one of info, low, medium, high, critical, got " + word);
    };
  }

  /** The word for a number of the scale (the nearest word at or below it). */
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

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
