package dev.vigil.sensor.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A reusable ASCII byte buffer for fingerprint strings, hashed without intermediate strings. */
final class AsciiBuilder {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** "00", "01", ... "99": two decimal digits per lookup. */
  private static final byte[] DIGITS2 = new byte[200];

  /** The two lower-case hex digits of each byte value. */
  private static final byte[] HEX2 = new byte[512];

  static {
    for (int i = 0; i < 100; i++) {
      DIGITS2[2 * i] = (byte) ('0' + i / 10);
      DIGITS2[2 * i + 1] = (byte) ('0' + i % 10);
    }
    for (int i = 0; i < 256; i++) {
      HEX2[2 * i] = HEX[i >>> 4];
      HEX2[2 * i + 1] = HEX[i & 15];
    }
  }

  private final byte[] buf;
  private final byte[] digest = new byte[32];
  int len;
  boolean overflow;

  AsciiBuilder(int capacity) {
    buf = new byte[capacity];
  }

  void clear() {
    len = 0;
    overflow = false;
  }

  AsciiBuilder ch(char c) {
    if (len < buf.length) {
      buf[len++] = (byte) c;
    } else {
      overflow = true;
    }
    return this;
  }

  AsciiBuilder dec(int v) {
    if (v < 0 || v > 0xffff || len + 5 > buf.length) {
      return decSlow(v);
    }
    len = dec16(buf, len, v);
    return this;
  }

  private AsciiBuilder decSlow(int v) {
    if (v >= 10) {
      decSlow(v / 10);
    }
    return ch((char) ('0' + v % 10));
  }

  /** Writes {@code v} in [0, 65535] in decimal at {@code b[p]}; returns the position after it. */
  private static int dec16(byte[] b, int p, int v) {
    if (v < 100) {
      if (v < 10) {
        b[p] = (byte) ('0' + v);
        return p + 1;
      }
      b[p] = DIGITS2[2 * v];
      b[p + 1] = DIGITS2[2 * v + 1];
      return p + 2;
    }
    int hi = v / 100; // at most 655
    int lo = 2 * (v - 100 * hi);
    if (hi < 10) {
      b[p] = (byte) ('0' + hi);
      p += 1;
    } else if (hi < 100) {
      b[p] = DIGITS2[2 * hi];
      b[p + 1] = DIGITS2[2 * hi + 1];
      p += 2;
    } else {
      int h = hi / 100;
      int m = 2 * (hi - 100 * h);
      b[p] = (byte) ('0' + h);
      b[p + 1] = DIGITS2[m];
      b[p + 2] = DIGITS2[m + 1];
      p += 3;
    }
    b[p] = DIGITS2[lo];
    b[p + 1] = DIGITS2[lo + 1];
    return p + 2;
  }

  /**
   * Appends {@code v[0, n)} in decimal joined by {@code -}, GREASE values skipped when {@code
   * dropGrease}: one bounds check for the whole list when the values are 16-bit and fit.
   */
  AsciiBuilder decList(int[] v, int n, boolean dropGrease) {
    if (len + 6 * n > buf.length) {
      return decListSlow(v, n, dropGrease);
    }
    byte[] b = buf;
    int p = len;
    int start = p;
    for (int i = 0; i < n; i++) {
      int x = v[i];
      if (dropGrease && ClientHello.isGrease(x)) {
        continue;
      }
      if (x < 0 || x > 0xffff) {
        len = start;
        return decListSlow(v, n, dropGrease);
      }
      if (p != start) {
        b[p++] = '-';
      }
      p = dec16(b, p, x);
    }
    len = p;
    return this;
  }

  private AsciiBuilder decListSlow(int[] v, int n, boolean dropGrease) {
    boolean first = true;
    for (int i = 0; i < n; i++) {
      if (dropGrease && ClientHello.isGrease(v[i])) {
        continue;
      }
      if (!first) {
        ch('-');
      }
      first = false;
      dec(v[i]);
    }
    return this;
  }

  /**
   * Appends the low 16 bits of each of {@code v[0, n)} as four lower-case hex digits, joined by
   * {@code sep}.
   */
  AsciiBuilder hex4List(int[] v, int n, char sep) {
    if (len + 5 * n > buf.length) {
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          ch(sep);
        }
        hex4(v[i]);
      }
      return this;
    }
    byte[] b = buf;
    int p = len;
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b[p++] = (byte) sep;
      }
      int x = v[i];
      int hi = 2 * ((x >>> 8) & 0xff);
      int lo = 2 * (x & 0xff);
      b[p] = HEX2[hi];
      b[p + 1] = HEX2[hi + 1];
      b[p + 2] = HEX2[lo];
      b[p + 3] = HEX2[lo + 1];
      p += 4;
    }
    len = p;
    return this;
  }

  /** Four lower-case hex digits. */
  AsciiBuilder hex4(int v) {
    return ch((char) HEX[(v >>> 12) & 15])
        .ch((char) HEX[(v >>> 8) & 15])
        .ch((char) HEX[(v >>> 4) & 15])
        .ch((char) HEX[v & 15]);
  }

  /**
   * Appends the first {@code hexChars} hex digits of {@code md}'s digest of this buffer. {@code md}
   * is left reset (as {@link MessageDigest#digest} leaves it), ready for the next call.
   */
  void digestHex(MessageDigest md, AsciiBuilder out, int hexChars) {
    md.update(buf, 0, len);
    int n;
    try {
      n = md.digest(digest, 0, digest.length);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException(e); // buffer sized for the digest: cannot happen
    }
    int chars = Math.min(hexChars, 2 * n);
    if (out.len + chars > out.buf.length) {
      out.overflow = true;
      chars = out.buf.length - out.len;
    }
    byte[] o = out.buf;
    int p = out.len;
    for (int i = 0; i < chars; i++) {
      int d = digest[i >>> 1] & 0xff;
      o[p + i] = HEX2[2 * d + (i & 1)];
    }
    out.len = p + chars;
  }

  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required by the Java platform", e);
    }
  }

  @Override
  public String toString() {
    return new String(buf, 0, len, StandardCharsets.US_ASCII);
  }
}
