package dev.vigil.agent.cli;

import dev.vigil.agent.detect.Alert;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alerts held back for a short time, keyed by what may still complete or replace them (a process
 * id, a socket address), released oldest first once the hold time has passed. Insertion order is
 * time order: a (re-)held key goes last. Used by the poll thread only.
 *
 * @param <K> the key of a held alert
 */
final class HeldAlerts<K> {
  private record Held(Alert alert, long sinceNanos) {}

  private final long holdNanos;
  private final Map<K, Held> held = new LinkedHashMap<>();

  HeldAlerts(long holdNanos) {
    this.holdNanos = holdNanos;
  }

  /** Holds {@code alert} under {@code key} from now on; returns the alert it displaces, or null. */
  Alert hold(K key, Alert alert, long nowNanos) {
    Held previous = held.remove(key); // re-inserted last, so the map stays in time order
    held.put(key, new Held(alert, nowNanos));
    return previous == null ? null : previous.alert();
  }

  /** The alert held under {@code key}, removed; null when none. */
  Alert remove(K key) {
    Held h = held.remove(key);
    return h == null ? null : h.alert();
  }

  /** Alerts held for longer than the hold time, oldest first, removed. */
  List<Alert> expire(long nowNanos) {
    if (held.isEmpty()) {
      return List.of();
    }
    List<Alert> out = new ArrayList<>();
    Iterator<Held> it = held.values().iterator();
    while (it.hasNext()) {
      Held h = it.next();
      if (nowNanos - h.sinceNanos() < holdNanos) {
        break;
      }
      out.add(h.alert());
      it.remove();
    }
    return out;
  }

  /** Every held alert, oldest first, removed (the agent is stopping). */
  List<Alert> drain() {
    List<Alert> out = held.values().stream().map(Held::alert).toList();
    held.clear();
    return out;
  }

  int size() {
    return held.size();
  }
}
