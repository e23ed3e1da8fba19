package dev.vigil.sensor.log;

import dev.vigil.sensor.flow.Uids;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One log line built as ASCII bytes in a reused array: numbers, seconds, IPv4 addresses and uids
 * are written as digits straight into it, so a line costs no String and no charset encoder. Text
 * that may hold other characters goes through {@link #appendJsonString} (escaped, UTF-8).
 */
final class LineBuffer {
  private byte[] b = new byte[512];
  private int n;
  private final StringBuilder scratch = new StringBuilder(64);

  void reset() {
    n = 0;
  }

  int length() {
    return n;
  }

  private void ensure(int more) {
    if (n + more > b.length) {
      b = java.util.Arrays.copyOf(b, Math.max(n + more, 2 * b.length));
    }
  }

  LineBuffer append(char c) {
    ensure(1);
    b[n++] = (byte) c;
    return this;
  }

  /** ASCII text (field names, constants). */
  LineBuffer append(String s) {
    int len = s.length();
    ensure(len);
    for (int i = 0; i < len; i++) {
      b[n++] = (byte) s.charAt(i);
    }
    return this;
  }

  LineBuffer append(long v) {
    ensure(20);
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        return append(Long.toString(v));
      }
      b[n++] = '-';
      v = -v;
    }
    int digits = 1;
    for (long p = 10; digits < 19 && v >= p; p *= 10) {
      digits++;
    }
    int end = n + digits;
    for (int i = end - 1; i >= n; i--) {
      b[i] = (byte) ('0' + (v % 10));
      v /= 10;
    }
    n = end;
    return this;
  }

  /** Like {@link Json#appendSeconds}: seconds with six decimals, floored to the microsecond. */
  LineBuffer appendSeconds(long nanos) {
    long micros = Math.floorDiv(nanos, 1000L);
    append(Math.floorDiv(micros, 1_000_000L));
    long frac = Math.floorMod(micros, 1_000_000L);
    ensure(7);
    b[n++] = '.';
    for (int i = n + 5; i >= n; i--) {
      b[i] = (byte) ('0' + (frac % 10));
      frac /= 10;
    }
    n += 6;
    return this;
  }

  /** Like {@link Json#appendAddress}. */
  LineBuffer appendAddress(long hi, long lo, boolean v4) {
    if (v4) {
      int a = (int) lo;
      append((a >>> 24) & 0xff).append('.').append((a >>> 16) & 0xff).append('.');
      return append((a >>> 8) & 0xff).append('.').append(a & 0xff);
    }
    scratch.setLength(0);
    Json.appendAddress(scratch, hi, lo, false);
    return append(scratch.toString());
  }

  LineBuffer appendUid(char prefix, long seed, long seq) {
    ensure(Uids.LENGTH);
    n = Uids.write(b, n, prefix, seed, seq);
    return this;
  }

  /** Like {@link Json#appendString}, UTF-8 encoded. */
  LineBuffer appendJsonString(CharSequence s) {
    scratch.setLength(0);
    Json.appendString(scratch, s);
    boolean ascii = true;
    for (int i = 0; i < scratch.length(); i++) {
      ascii &= scratch.charAt(i) < 0x80;
    }
    if (ascii) {
      return append(scratch.toString());
    }
    byte[] utf8 = scratch.toString().getBytes(StandardCharsets.UTF_8);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, b, n, utf8.length);
    n += utf8.length;
    return this;
  }

  /** Bytes [from, to) as a String (the line is UTF-8). */
  String substring(int from, int to) {
    return new String(b, from, to - from, StandardCharsets.UTF_8);
  }

  void writeTo(OutputStream os) throws IOException {
    os.write(b, 0, n);
  }
}
