package dev.vigil.sensor.tls;

import java.security.MessageDigest;

/**
 * JA3 (salesforce/ja3) of a {@link ClientHello}: {@code
 * SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats}, decimal values joined by
 * {@code -}, GREASE (RFC 8701) removed from ciphers, extensions and groups but not from point
 * formats (as the reference implementation and Wireshark do); the fingerprint is the MD5 of that
 * string in hex. Reuses its buffers: one instance per worker.
 */
public final class Ja3 {
  private final AsciiBuilder raw = new AsciiBuilder(8192);
  private final AsciiBuilder hash = new AsciiBuilder(32);
  private final MessageDigest md5 = AsciiBuilder.digest("MD5");

  /** Computes the JA3 string and hash of {@code h}; read them with {@link #raw}/{@link #hash}. */
  public Ja3 compute(ClientHello h) {
    raw.clear();
    raw.dec(h.version).ch(',');
    raw.decList(h.ciphers, h.cipherCount, true).ch(',');
    raw.decList(h.extensions, h.extensionCount, true).ch(',');
    raw.decList(h.groups, h.groupCount, true).ch(',');
    raw.decList(h.pointFormats, h.pointFormatCount, false);
    hash.clear();
    raw.digestHex(md5, hash, 32);
    return this;
  }

  public String raw() {
    return raw.toString();
  }

  public String hash() {
    return hash.toString();
  }
}
