package dev.vigil.agent.cli;

import dev.vigil.agent.detect.Alert;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MinerExecutable alerts waiting to see whether their process execs again. A launcher such as
 * {@code setpriv --reuid=nobody ... xmrig -o stratum+tcp://...} or a shell's {@code exec} is one
 * process with several execs: the wrapper's command line already names the miner (and matches),
 * then the same pid execs the miner itself under the new user. Alerting on each exec would raise
 * the same launch several times, the first ones with the wrapper's image and credentials. So the
 * alert of an exec is held, keyed by process id, until that process:
 *
 * <ul>
 *   <li>execs again with a matching image: the new alert replaces the held one (it carries the
 *       miner's own image and user; the replaced execs are listed under {@code earlier_execs});
 *   <li>execs again with an image that does not match, or exits: the held alert goes out as it is;
 *   <li>does neither within the hold time: it goes out as it is.
 * </ul>
 *
 * <p>A wrapper that forks instead ({@code sudo}, which waits for its child, or a shell running the
 * miner as one command of several) is two processes: the child's first matching exec replaces the
 * alert its parent holds, the same way, so that launch too is one alert with the miner's image and
 * user. (Events come through one BPF ring buffer, so the parent's exec is read before its child's.)
 *
 * <p>One launch of a miner is therefore one alert. Used by the poll thread only; insertion order is
 * time order.
 */
final class PendingExecs {
  /**
   * How long an alert waits for a further exec of its process. Exec chains of wrappers take
   * microseconds; events arrive in batches of at most the 100 ms poll interval.
   */
  static final long HOLD_NANOS = 1_000_000_000L;

  private final HeldAlerts<Integer> held;

  PendingExecs(long holdNanos) {
    this.held = new HeldAlerts<>(holdNanos);
  }

  /**
   * An exec of process {@code pid}, child of {@code ppid}, with the alert the miner detector raised
   * for it (if any). Returns the alerts to raise now: a held alert of the same process that this
   * exec does not replace.
   */
  List<Alert> onExec(int pid, int ppid, Optional<Alert> alert, long nowNanos) {
    Alert previous = held.remove(pid);
    if (alert.isEmpty()) {
      return previous == null ? List.of() : List.of(previous);
    }
    if (previous == null && ppid != pid) {
      previous = held.remove(ppid); // a forking wrapper's alert, still held
    }
    Alert a = alert.get();
    if (previous != null) {
      List<Object> earlier = new ArrayList<>();
      if (previous.fields().get("earlier_execs") instanceof List<?> l) {
        earlier.addAll(l);
      }
      earlier.add(brief(previous));
      a = a.with("earlier_execs", List.copyOf(earlier));
    }
    held.hold(pid, a, nowNanos);
    return List.of();
  }

  /** Process {@code pid} exited: its held alert, if any, goes out now. */
  Optional<Alert> onExit(int pid) {
    return Optional.ofNullable(held.remove(pid));
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

  private static Map<String, Object> brief(Alert a) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String k : List.of("exe", "uid", "user", "cmdline", "reason")) {
      if (a.fields().containsKey(k)) {
        m.put(k, a.fields().get(k));
      }
    }
    return m;
  }
}
