package dev.vigil.router;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The alerts of one dedup key from the first until the window ends quiet. Mutable; owned by the
 * router thread.
 *
 * <p>Each change is made within a numbered poll; the first change in a poll remembers the values
 * the group had before it ({@code base*}). A group saved by a poll whose cursor was never saved
 * (the router died between the two writes) is rolled back to those values on load, so the replay of
 * that poll counts its alerts once; what was sent ({@link #routes}) is kept, so it is not sent
 * again.
 */
final class Group {
  enum State {
    /** Alerts still arrive within the window. */
    OPEN,
    /** The window ended quiet; close notifications not all delivered yet. */
    CLOSING,
    /** Every route is done; the document is deleted once the cursor is saved. */
    DONE
  }

  /** What one route has done for this group. */
  static final class Progress {
    /** The open notification was delivered, refused by the receiver, or held back. */
    boolean opened;

    /** A trigger was delivered, so a resolve is owed. */
    boolean triggered;

    /** The close notification was delivered, refused, held back, or not needed. */
    boolean closed;

    /** Held back by the rate limit. */
    boolean suppressed;
  }

  final String key;

  /** When the router read the first alert (epoch ms). */
  final long openedAt;

  String ruleName;
  int severity;
  long count;

  /** When the router last read an alert of this group (epoch ms): the window runs from here. */
  long lastSeen;

  String firstTimestamp;
  String lastTimestamp;
  String message;
  String sourceIp;
  String destinationIp;
  String hostName;
  String userName;
  State state = State.OPEN;
  final Map<String, Progress> routes = new LinkedHashMap<>();

  /** The poll that changed it last, and its values before that poll. */
  long poll;

  long baseCount;
  long baseLastSeen;
  State baseState = State.OPEN;

  /** Changed since it was last saved. */
  boolean dirty;

  Group(String key, long openedAt) {
    this.key = key;
    this.openedAt = openedAt;
  }

  /** A new group in {@code poll}: before it, it did not exist (count 0). */
  static Group first(AlertRecord a, long now, long poll) {
    Group g = new Group(a.key(), now);
    g.ruleName = a.ruleName();
    g.severity = a.severity();
    g.firstTimestamp = a.timestamp();
    g.lastTimestamp = a.timestamp();
    g.message = a.message();
    g.sourceIp = a.sourceIp();
    g.destinationIp = a.destinationIp();
    g.hostName = a.hostName();
    g.userName = a.userName();
    g.poll = poll;
    g.dirty = true;
    return g;
  }

  /** Call before changing the group in {@code currentPoll}. */
  void touch(long currentPoll) {
    if (poll != currentPoll) {
      baseCount = count;
      baseLastSeen = lastSeen;
      baseState = state;
      poll = currentPoll;
    }
    dirty = true;
  }

  void add(AlertRecord a, long now) {
    count++;
    severity = Math.max(severity, a.severity());
    lastSeen = Math.max(lastSeen, now);
    if (a.timestamp() != null
        && (lastTimestamp == null || a.timestamp().compareTo(lastTimestamp) > 0)) {
      lastTimestamp = a.timestamp();
    }
  }

  /** Undoes the changes of a poll whose cursor was not saved (see the class comment). */
  void rollBack() {
    count = baseCount;
    lastSeen = baseLastSeen;
    state = baseState;
  }

  Progress progress(String route) {
    return routes.computeIfAbsent(route, r -> new Progress());
  }

  /** The state document's id: one group per key and opening instant. */
  String id() {
    return "group-" + key + "-" + openedAt;
  }
}
