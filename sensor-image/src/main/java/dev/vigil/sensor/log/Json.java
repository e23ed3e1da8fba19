package dev.vigil.sensor.log;

/** Small JSON/number formatting helpers that append to a reused {@link StringBuilder}. */
public final class Json {
  private Json() {}

  /** Epoch nanoseconds as seconds with 6 decimals, Zeek style ({@code 1700000000.123456}). */
  public static void appendSeconds(StringBuilder sb, long nanos) {
    long micros = Math.floorDiv(nanos, 1000L);
    long sec = Math.floorDiv(micros, 1_000_000L);
    long frac = Math.floorMod(micros, 1_000_000L);
    sb.append(sec).append('.');
    for (long d = 100_000; d > frac && d > 1; d /= 10) {
      sb.append('0'); // leading zeros of the six-digit fraction, without a String
    }
    sb.append(frac);
  }

  public static void appendString(StringBuilder sb, CharSequence s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** Appends an address held as (hi, lo); IPv4-mapped addresses print dotted-quad. */
  public static void appendAddress(StringBuilder sb, long hi, long lo, boolean v4) {
    if (v4) {
      int a = (int) lo;
      sb.append((a >>> 24) & 0xff)
          .append('.')
          .append((a >>> 16) & 0xff)
          .append('.')
          .append((a >>> 8) & 0xff)
          .append('.')
          .append(a & 0xff);
      return;
    }
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
      g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
    }
    // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on ties.
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] == 0) {
        int j = i;
        while (j < 8 && g[j] == 0) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (i > 0 && i != bestStart + bestLen) {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
  }
}
