package dev.vigil.router;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The alerts of one dedup key from the first until the window ends quiet. Mutable; owned by the
 * router thread.
 */
final class Group {
  enum State {
    /** Alerts still arrive within the window. */
    OPEN,
    /** The window ended quiet; close notifications not all delivered yet. */
    CLOSING,
    /** Every route is done; the document is deleted once the cursor has passed {@link #through}. */
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
  final long firstIngested;
  String ruleName;
  int severity;
  long count;
  long lastIngested;
  String firstTimestamp;
  String lastTimestamp;
  String message;
  String sourceIp;
  String destinationIp;
  String hostName;
  String userName;

  /** Every alert of this key ingested at or before this instant (epoch ms) has been counted. */
  long through;

  State state = State.OPEN;
  final Map<String, Progress> routes = new LinkedHashMap<>();

  /** Changed since it was last saved. */
  boolean dirty = true;

  Group(String key, long firstIngested) {
    this.key = key;
    this.firstIngested = firstIngested;
  }

  static Group first(AlertRecord a) {
    Group g = new Group(a.key(), a.ingestedMillis());
    g.ruleName = a.ruleName();
    g.severity = a.severity();
    g.firstTimestamp = a.timestamp();
    g.lastTimestamp = a.timestamp();
    g.lastIngested = a.ingestedMillis();
    g.message = a.message();
    g.sourceIp = a.sourceIp();
    g.destinationIp = a.destinationIp();
    g.hostName = a.hostName();
    g.userName = a.userName();
    g.count = 1;
    return g;
  }

  void add(AlertRecord a) {
    count++;
    severity = Math.max(severity, a.severity());
    if (a.ingestedMillis() >= lastIngested) {
      lastIngested = a.ingestedMillis();
      lastTimestamp = a.timestamp();
    }
    dirty = true;
  }

  Progress progress(String route) {
    return routes.computeIfAbsent(route, r -> new Progress());
  }

  /** The state document's id: one group per key and first ingest instant. */
  String id() {
    return "group-" + key + "-" + firstIngested;
  }
}
