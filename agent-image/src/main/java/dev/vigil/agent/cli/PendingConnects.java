package dev.vigil.agent.cli;

import dev.vigil.agent.detect.Alert;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Connect-back alerts waiting for their source port. The kernel enters SYN_SENT before it picks the
 * local port, so the alert decided at connect time is held, keyed by the socket's kernel address,
 * until the same socket's next transition (ESTABLISHED, or CLOSE when refused or timed out) brings
 * the port: then the alert carries {@code sport}, and so {@code network.community_id}, and joins
 * with the sensor's conn.log. An alert whose socket says nothing within the hold time (a SYN that
 * is still being retried) goes out without the port, so no alert waits longer than that.
 *
 * <p>Used by the poll thread only; insertion order is time order.
 */
final class PendingConnects {
  /** How long an alert waits for its port: longer than most handshakes, short for a responder. */
  static final long HOLD_NANOS = 2_000_000_000L;

  private record Held(Alert alert, long sinceNanos) {}

  private final long holdNanos;
  private final Map<Long, Held> held = new LinkedHashMap<>();

  PendingConnects(long holdNanos) {
    this.holdNanos = holdNanos;
  }

  /**
   * Holds {@code alert}; returns an alert this displaces (the kernel reused the socket address
   * without a close being seen), which should go out as it is.
   */
  Optional<Alert> hold(long skaddr, Alert alert, long nowNanos) {
    Held previous = held.remove(skaddr); // re-inserted last, so the map stays in time order
    held.put(skaddr, new Held(alert, nowNanos));
    return Optional.ofNullable(previous).map(Held::alert);
  }

  /** The held alert of this socket, now with its source address and port; empty when none. */
  Optional<Alert> complete(long skaddr, InetAddress src, int sport) {
    Held h = held.remove(skaddr);
    if (h == null) {
      return Optional.empty();
    }
    if (sport == 0) {
      return Optional.of(h.alert());
    }
    return Optional.of(h.alert().with("src", src.getHostAddress()).with("sport", sport));
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
