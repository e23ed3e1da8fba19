package dev.vigil.router;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grouping and windowing, pure: alerts join the open group of their key; a group closes when the
 * router has read no alert of it for {@code window}. Time is the router's reading time: an alert
 * spooled for days (old {@code @timestamp}) opens a group when it arrives, like a fresh one.
 */
final class Groups {
  final Map<String, Group> open = new HashMap<>();
  final Map<String, Group> closing = new LinkedHashMap<>();

  /** Groups opened since this instance was made. */
  long opened;

  /** Counts {@code a}, read at {@code now} in {@code poll}, into its group; returns the group. */
  Group observe(AlertRecord a, long now, long poll) {
    Group g = open.get(a.key());
    if (g == null) {
      g = Group.first(a, now, poll);
      open.put(a.key(), g);
      opened++;
    }
    g.touch(poll);
    g.add(a, now);
    return g;
  }

  /** Closes the open groups quiet for {@code window} at {@code now}; returns them. */
  List<Group> closeQuiet(long now, long windowMillis, long poll) {
    List<Group> closed = new ArrayList<>();
    for (Iterator<Group> it = open.values().iterator(); it.hasNext(); ) {
      Group g = it.next();
      if (now - g.lastSeen >= windowMillis) {
        it.remove();
        g.touch(poll);
        g.state = Group.State.CLOSING;
        closing.put(g.id(), g);
        closed.add(g);
      }
    }
    return closed;
  }

  /**
   * Adds a group loaded from the state store, rolled back if the poll that saved it never saved its
   * cursor. Returns false for a finished group whose document can be deleted.
   */
  boolean restore(Group g, long savedPoll) {
    boolean rolledBack = g.poll > savedPoll;
    if (rolledBack) {
      g.rollBack();
    } else if (g.state == Group.State.DONE) {
      return false;
    }
    g.dirty = rolledBack; // saved again by the replaying poll

    switch (g.state) {
      case OPEN -> open.put(g.key, g);
      case CLOSING -> closing.put(g.id(), g);
      case DONE -> {
        return false;
      }
    }
    return true;
  }
}
