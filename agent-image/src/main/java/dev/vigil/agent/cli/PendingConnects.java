package dev.vigil.agent.cli;

import dev.vigil.agent.detect.Alert;
import java.net.InetAddress;
import java.util.List;
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

  private final HeldAlerts<Long> held;

  PendingConnects(long holdNanos) {
    this.held = new HeldAlerts<>(holdNanos);
  }

  /**
   * Holds {@code alert}; returns an alert this displaces (the kernel reused the socket address
   * without a close being seen), which should go out as it is.
   */
  Optional<Alert> hold(long skaddr, Alert alert, long nowNanos) {
    return Optional.ofNullable(held.hold(skaddr, alert, nowNanos));
  }

  /** The held alert of this socket, now with its source address and port; empty when none. */
  Optional<Alert> complete(long skaddr, InetAddress src, int sport) {
    Alert a = held.remove(skaddr);
    if (a == null) {
      return Optional.empty();
    }
    if (sport == 0) {
      return Optional.of(a);
    }
    return Optional.of(a.with("src", src.getHostAddress()).with("sport", sport));
  }

  /** Alerts held for longer than the hold time, oldest first, removed. */
  List<Alert> expire(long nowNanos) {
    return held.expire(nowNanos);
  }

  /** Every held alert, oldest first, removed (the agent is stopping). */
  List<Alert> drain() {
    return held.drain();
  }

  int size() {
    return held.size();
  }
}
