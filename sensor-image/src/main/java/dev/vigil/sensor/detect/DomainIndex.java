package dev.vigil.sensor.detect;

import dev.vigil.common.policy.PolicyDocument.Indicator;
import java.util.Map;

/**
 * Domain trails by name, looked up with subdomain matching and without allocating: a name is hashed
 * and compared in place, case-insensitively, for itself and each parent ({@code a.b.evil.example},
 * {@code b.evil.example}, {@code evil.example}, {@code example}); a trailing dot is ignored. Open
 * addressing over arrays; immutable.
 */
final class DomainIndex {
  private final String[] keys;
  private final int[] hashes;
  private final Indicator[] values;
  private final int size;

  DomainIndex(Map<String, Indicator> byName) {
    int cap = Integer.highestOneBit(Math.max(2, byName.size() * 2 - 1)) << 1;
    keys = new String[cap];
    hashes = new int[cap];
    values = new Indicator[cap];
    for (Map.Entry<String, Indicator> e : byName.entrySet()) {
      String k = e.getKey();
      int h = hash(k, 0, k.length());
      int slot = h & (cap - 1);
      while (keys[slot] != null) {
        slot = (slot + 1) & (cap - 1);
      }
      keys[slot] = k;
      hashes[slot] = h;
      values[slot] = e.getValue();
    }
    size = byName.size();
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The indicator of the name or its nearest listed parent, or null. */
  Indicator lookup(String name) {
    if (size == 0 || name == null) {
      return null;
    }
    int end = name.length();
    if (end > 0 && name.charAt(end - 1) == '.') {
      end--;
    }
    int start = 0;
    while (start < end) {
      Indicator i = get(name, start, end);
      if (i != null) {
        return i;
      }
      int dot = name.indexOf('.', start);
      if (dot < 0 || dot >= end) {
        return null;
      }
      start = dot + 1;
    }
    return null;
  }

  private Indicator get(String name, int from, int to) {
    int h = hash(name, from, to);
    int len = to - from;
    int m = keys.length - 1;
    for (int slot = h & m; keys[slot] != null; slot = (slot + 1) & m) {
      String k = keys[slot];
      if (hashes[slot] == h && k.length() == len && k.regionMatches(true, 0, name, from, len)) {
        return values[slot];
      }
    }
    return null;
  }

  private static int hash(String s, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + 32);
      }
      h = 31 * h + c;
    }
    return h ^ (h >>> 16);
  }
}
