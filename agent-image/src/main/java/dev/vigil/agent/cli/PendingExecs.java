package dev.vigil.agent.cli;

import dev.vigil.agent.detect.Alert;
import java.util.ArrayList;
import java.util.Iterator;
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
 * One launch of a miner is therefore one alert. Used by the poll thread only; insertion order is
 * time order.
 */
final class PendingExecs {
  /**
   * How long an alert waits for a further exec of its process. Exec chains of wrappers take
   * microseconds; events arrive in batches of at most the 100 ms poll interval.
   */
  static final long HOLD_NANOS = 1_000_000_000L;

  private record Held(Alert alert, long sinceNanos) {}

  private final long holdNanos;
  private final Map<Integer, Held> held = new LinkedHashMap<>();

  PendingExecs(long holdNanos) {
    this.holdNanos = holdNanos;
  }

  /**
   * An exec of process {@code pid}, with the alert the miner detector raised for it (if any).
   * Returns the alerts to raise now: a held alert of the same process that this exec does not
   * replace.
   */
  List<Alert> onExec(int pid, Optional<Alert> alert, long nowNanos) {
    Held previous = held.remove(pid);
    if (alert.isEmpty()) {
      return previous == null ? List.of() : List.of(previous.alert());
    }
    Alert a = alert.get();
    if (previous != null) {
      List<Object> earlier = new ArrayList<>();
      if (previous.alert().fields().get("earlier_execs") instanceof List<?> l) {
        earlier.addAll(l);
      }
      earlier.add(brief(previous.alert()));
      a = a.with("earlier_execs", List.copyOf(earlier));
    }
    held.put(pid, new Held(a, nowNanos)); // (re-)inserted last, so the map stays in time order
    return List.of();
  }

  /** Process {@code pid} exited: its held alert, if any, goes out now. */
  Optional<Alert> onExit(int pid) {
    return Optional.ofNullable(held.remove(pid)).map(Held::alert);
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
