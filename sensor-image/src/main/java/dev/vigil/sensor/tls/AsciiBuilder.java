package dev.vigil.sensor.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A reusable ASCII byte buffer for fingerprint strings, hashed without intermediate strings. */
final class AsciiBuilder {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
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
    if (v >= 10) {
      dec(v / 10);
    }
    return ch((char) ('0' + v % 10));
  }

  /** Four lower-case hex digits. */
  AsciiBuilder hex4(int v) {
    return ch((char) HEX[(v >>> 12) & 15])
        .ch((char) HEX[(v >>> 8) & 15])
        .ch((char) HEX[(v >>> 4) & 15])
        .ch((char) HEX[v & 15]);
  }

  /** Appends the first {@code hexChars} hex digits of {@code md}'s digest of this buffer. */
  void digestHex(MessageDigest md, AsciiBuilder out, int hexChars) {
    md.reset();
    md.update(buf, 0, len);
    try {
      int n = md.digest(digest, 0, digest.length);
      for (int i = 0; i < n && 2 * i < hexChars; i++) {
        out.ch((char) HEX[(digest[i] >>> 4) & 15]);
        if (2 * i + 1 < hexChars) {
          out.ch((char) HEX[digest[i] & 15]);
        }
      }
    } catch (java.security.DigestException e) {
      throw new IllegalStateException(e); // buffer sized for the digest: cannot happen
    }
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
