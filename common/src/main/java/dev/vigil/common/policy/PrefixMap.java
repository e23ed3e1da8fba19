package dev.vigil.common.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Longest-prefix match from 128-bit addresses (see {@link Cidr}) to values, immutable once built.
 * One open-addressing table per prefix length present, looked up from the longest length down: a
 * lookup costs one probe sequence per distinct length (a trail list of host addresses and a few
 * CIDRs: two or three) and allocates nothing, so it can run per connection on the packet path.
 *
 * @param <V> the value type
 */
public final class PrefixMap<V> {
  /** Prefix lengths present, longest first. */
  private final int[] lengths;

  private final long[][] keyHi;
  private final long[][] keyLo;
  private final Object[][] values;
  private final int size;

  private PrefixMap(int[] lengths, long[][] keyHi, long[][] keyLo, Object[][] values, int size) {
    this.lengths = lengths;
    this.keyHi = keyHi;
    this.keyLo = keyLo;
    this.values = values;
    this.size = size;
  }

  /** An empty map. */
  public static <V> PrefixMap<V> empty() {
    return new Builder<V>().build();
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The value of the longest prefix containing the address, or null. */
  @SuppressWarnings("unchecked")
  public V longestMatch(long hi, long lo) {
    for (int i = 0; i < lengths.length; i++) {
      int bits = lengths[i];
      long h = hi & Cidr.mask(bits, 0);
      long l = lo & Cidr.mask(bits, 1);
      long[] kh = keyHi[i];
      long[] kl = keyLo[i];
      Object[] vs = values[i];
      int m = kh.length - 1;
      for (int slot = hash(h, l) & m; vs[slot] != null; slot = (slot + 1) & m) {
        if (kh[slot] == h && kl[slot] == l) {
          return (V) vs[slot];
        }
      }
    }
    return null;
  }

  public boolean contains(long hi, long lo) {
    return longestMatch(hi, lo) != null;
  }

  private static int hash(long h, long l) {
    long z = h * 0x9e3779b97f4a7c15L ^ l;
    z = (z ^ (z >>> 31)) * 0xbf58476d1ce4e5b9L;
    return (int) (z ^ (z >>> 29));
  }

  /** Collects prefixes; a prefix put twice keeps the value {@code merge} makes of both. */
  public static final class Builder<V> {
    private final List<Cidr> keys = new ArrayList<>();
    private final List<V> vals = new ArrayList<>();
    private final java.util.Map<Cidr, Integer> index = new java.util.HashMap<>();

    /** Adds or replaces the value of {@code prefix}. */
    public Builder<V> put(Cidr prefix, V value) {
      return merge(prefix, value, (a, b) -> b);
    }

    /** Adds {@code value}, or combines it with the value already there. */
    public Builder<V> merge(Cidr prefix, V value, java.util.function.BinaryOperator<V> merge) {
      if (value == null) {
        throw new IllegalArgumentException("null value");
      }
      Integer at = index.get(prefix);
      if (at == null) {
        index.put(prefix, keys.size());
        keys.add(prefix);
        vals.add(value);
      } else {
        vals.set(at, merge.apply(vals.get(at), value));
      }
      return this;
    }

    public PrefixMap<V> build() {
      int[] lens = keys.stream().mapToInt(Cidr::bits).distinct().sorted().toArray();
      int n = lens.length;
      int[] desc = new int[n];
      for (int i = 0; i < n; i++) {
        desc[i] = lens[n - 1 - i];
      }
      long[][] kh = new long[n][];
      long[][] kl = new long[n][];
      Object[][] vs = new Object[n][];
      for (int i = 0; i < n; i++) {
        int bits = desc[i];
        int count = 0;
        for (Cidr c : keys) {
          if (c.bits() == bits) {
            count++;
          }
        }
        int cap = Integer.highestOneBit(Math.max(2, count * 2 - 1)) << 1; // load <= 0.5
        kh[i] = new long[cap];
        kl[i] = new long[cap];
        vs[i] = new Object[cap];
        for (int k = 0; k < keys.size(); k++) {
          Cidr c = keys.get(k);
          if (c.bits() != bits) {
            continue;
          }
          int slot = hash(c.hi(), c.lo()) & (cap - 1);
          while (vs[i][slot] != null) {
            slot = (slot + 1) & (cap - 1);
          }
          kh[i][slot] = c.hi();
          kl[i][slot] = c.lo();
          vs[i][slot] = vals.get(k);
        }
      }
      return new PrefixMap<>(desc, kh, kl, vs, keys.size());
    }
  }

  @Override
  public String toString() {
    return "PrefixMap[" + size + " prefixes, lengths " + Arrays.toString(lengths) + "]";
  }
}
