package dev.vigil.common.policy;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The policy's Kubernetes quantities ({@code memoryPerCoreBelow: 128Mi}) and Go-style durations
 * ({@code sustainedFor: 1h30m}) as numbers; anything else is an {@link IllegalArgumentException}
 * whose message names the bad value.
 */
public final class Quantities {
  private Quantities() {}

  private static final Pattern QUANTITY =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?");
  private static final Map<String, Double> SUFFIX =
      Map.ofEntries(
          Map.entry("", 1.0),
          Map.entry("m", 1e-3),
          Map.entry("k", 1e3),
          Map.entry("M", 1e6),
          Map.entry("G", 1e9),
          Map.entry("T", 1e12),
          Map.entry("P", 1e15),
          Map.entry("E", 1e18),
          Map.entry("Ki", 1024.0),
          Map.entry("Mi", 1024.0 * 1024),
          Map.entry("Gi", 1024.0 * 1024 * 1024),
          Map.entry("Ti", Math.pow(1024, 4)),
          Map.entry("Pi", Math.pow(1024, 5)),
          Map.entry("Ei", Math.pow(1024, 6)));

  /** A Kubernetes quantity of bytes (128Mi, 1Gi, 500M, 1073741824) in MiB; must be > 0. */
  public static double quantityMiB(String s) {
    Matcher m = QUANTITY.matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("bad quantity " + s + " (e.g. 128Mi, 1Gi)");
    }
    double bytes =
        Double.parseDouble(m.group(1)) * SUFFIX.get(m.group(2) == null ? "" : m.group(2));
    if (bytes <= 0) {
      throw new IllegalArgumentException("quantity must be > 0: " + s);
    }
    return bytes / (1024.0 * 1024.0);
  }

  private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|h|m|s)");

  /** A Go-style duration (20m, 1h30m, 90s, 500ms) in seconds; must be > 0. */
  public static double durationSeconds(String s) {
    String t = s.trim();
    Matcher m = DURATION_PART.matcher(t);
    double total = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double v = Double.parseDouble(m.group(1));
      total +=
          switch (m.group(2)) {
            case "h" -> v * 3600;
            case "m" -> v * 60;
            case "s" -> v;
            default -> v / 1000;
          };
      end = m.end();
    }
    if (t.isEmpty() || end != t.length()) {
      throw new IllegalArgumentException("bad duration " + s + " (e.g. 20m, 1h30m, 90s)");
    }
    if (total <= 0) {
      throw new IllegalArgumentException("duration must be > 0: " + s);
    }
    return total;
  }
}
