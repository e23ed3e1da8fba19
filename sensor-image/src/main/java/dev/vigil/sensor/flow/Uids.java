package dev.vigil.sensor.flow;

/**
 * Zeek-looking connection uids ("C" + 17 base62 characters) derived from a seed and the flow's
 * creation number, so the same input yields the same uids run after run (stable baselines) while
 * different seeds (e.g. per sensor) do not collide in practice.
 */
public final class Uids {
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private Uids() {}

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  public static void append(StringBuilder out, char prefix, long seed, long seq) {
    long a = mix(seed + 0x9e3779b97f4a7c15L * (seq + 1));
    long b = mix(a ^ seed);
    out.append(prefix);
    appendBase62(out, a, 11);
    appendBase62(out, b & 0xffffffffL, 6);
  }

  public static String uid(long seed, long seq) {
    StringBuilder sb = new StringBuilder(18);
    append(sb, 'C', seed, seq);
    return sb.toString();
  }

  private static void appendBase62(StringBuilder out, long v, int digits) {
    int start = out.length();
    for (int i = 0; i < digits; i++) {
      int d = (int) Long.remainderUnsigned(v, 62);
      v = Long.divideUnsigned(v, 62);
      out.append(ALPHABET[d]);
    }
    // most significant digit first
    for (int i = start, j = out.length() - 1; i < j; i++, j--) {
      char t = out.charAt(i);
      out.setCharAt(i, out.charAt(j));
      out.setCharAt(j, t);
    }
  }

  /** Characters of a uid: the prefix and 17 base62 digits. */
  public static final int LENGTH = 18;

  /**
   * Writes the same uid as {@link #append} as ASCII bytes at {@code pos}; returns the position
   * after it.
   */
  public static int write(byte[] out, int pos, char prefix, long seed, long seq) {
    long a = mix(seed + 0x9e3779b97f4a7c15L * (seq + 1));
    long b = mix(a ^ seed);
    out[pos] = (byte) prefix;
    writeBase62(out, pos + 1, a, 11);
    writeBase62(out, pos + 12, b & 0xffffffffL, 6);
    return pos + LENGTH;
  }

  private static void writeBase62(byte[] out, int pos, long v, int digits) {
    int i = pos + digits - 1;
    if (v < 0) { // one unsigned step, then signed arithmetic
      long q = Long.divideUnsigned(v, 62);
      out[i--] = (byte) ALPHABET[(int) (v - q * 62)];
      v = q;
      digits--;
    }
    for (; digits > 0; digits--) {
      out[i--] = (byte) ALPHABET[(int) (v % 62)];
      v /= 62;
    }
  }
}
