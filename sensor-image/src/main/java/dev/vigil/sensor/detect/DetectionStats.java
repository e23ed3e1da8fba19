package dev.vigil.sensor.detect;

import dev.vigil.common.policy.PolicyDocument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the detectors concluded, by detector: {@code alerts} written to notice.log, {@code shadow}
 * would-be alerts of policies in {@code mode: shadow} (counted, not emitted), {@code suppressed}
 * findings a policy's suppression covered. Shared by the workers (lock-free adders).
 */
public final class DetectionStats {
  public static final List<String> DETECTORS =
      List.of(
          PolicyDocument.TLS_BLOCKLIST,
          PolicyDocument.STRATUM,
          PolicyDocument.TRAIL,
          PolicyDocument.CONNECT_BACK);

  public static final List<String> OUTCOMES = List.of("alerts", "shadow", "suppressed");

  private final LongAdder[] counts = new LongAdder[DETECTORS.size() * OUTCOMES.size()];

  public DetectionStats() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  void add(String detector, int outcome) {
    int d = DETECTORS.indexOf(detector);
    if (d >= 0) {
      counts[d * OUTCOMES.size() + outcome].increment();
    }
  }

  public long get(String detector, String outcome) {
    int d = DETECTORS.indexOf(detector);
    int o = OUTCOMES.indexOf(outcome);
    return d < 0 || o < 0 ? 0 : counts[d * OUTCOMES.size() + o].sum();
  }

  public long total(String outcome) {
    long t = 0;
    for (String d : DETECTORS) {
      t += get(d, outcome);
    }
    return t;
  }

  /** detector → outcome → count, in a fixed order. */
  public Map<String, Map<String, Long>> snapshot() {
    Map<String, Map<String, Long>> m = new LinkedHashMap<>();
    for (String d : DETECTORS) {
      Map<String, Long> o = new LinkedHashMap<>();
      for (String x : OUTCOMES) {
        o.put(x, get(d, x));
      }
      m.put(d, o);
    }
    return m;
  }
}
