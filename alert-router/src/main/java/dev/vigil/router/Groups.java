package dev.vigil.router;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grouping and windowing, pure: alerts join the open group of their key; a group closes when the
 * read cursor is {@code window} past its last alert's ingest time. Time is ingest time throughout
 * (never the alert's own {@code @timestamp}), so late spooled alerts count when they arrive, and a
 * restart replays the same decisions.
 */
final class Groups {
  final Map<String, Group> open = new HashMap<>();
  final Map<String, Group> closing = new LinkedHashMap<>();

  /** Key → instant through which a closed group of that key counted every alert. */
  final Map<String, Long> tombstones = new HashMap<>();

  /** Groups opened since this instance was made. */
  long opened;

  /**
   * Counts {@code a} into its group, opening one if needed. Returns null (and counts nothing) for
   * an alert already counted before a restart.
   */
  Group observe(AlertRecord a) {
    Group g = open.get(a.key());
    if (g != null) {
      if (a.ingestedMillis() <= g.through) {
        return null;
      }
      g.add(a);
      return g;
    }
    Long closedThrough = tombstones.get(a.key());
    if (closedThrough != null && a.ingestedMillis() <= closedThrough) {
      return null;
    }
    g = Group.first(a);
    open.put(a.key(), g);
    opened++;
    return g;
  }

  /** Closes the open groups quiet for {@code window} at {@code cursor}; returns them. */
  List<Group> closeQuiet(long cursor, long windowMillis) {
    List<Group> closed = new ArrayList<>();
    for (Iterator<Group> it = open.values().iterator(); it.hasNext(); ) {
      Group g = it.next();
      if (cursor - g.lastIngested >= windowMillis) {
        it.remove();
        g.state = Group.State.CLOSING;
        g.through = Math.max(g.through, cursor);
        g.dirty = true;
        closing.put(g.id(), g);
        tombstones.merge(g.key, g.through, Math::max);
        closed.add(g);
      }
    }
    return closed;
  }

  /** After a whole read up to {@code cursor}: every alert ≤ cursor of every group is counted. */
  void readThrough(long cursor) {
    for (Group g : open.values()) {
      if (g.dirty) {
        g.through = Math.max(g.through, cursor);
      }
    }
  }

  /** Adds a group loaded from the state store. */
  void restore(Group g) {
    switch (g.state) {
      case OPEN -> open.put(g.key, g);
      case CLOSING -> {
        closing.put(g.id(), g);
        tombstones.merge(g.key, g.through, Math::max);
      }
      case DONE -> tombstones.merge(g.key, g.through, Math::max);
    }
  }

  /** Tombstones the cursor has passed can never match again. */
  void forgetBefore(long cursor) {
    tombstones.values().removeIf(t -> t <= cursor);
  }
}
