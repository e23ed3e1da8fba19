package dev.vigil.sensor.tls;

import java.security.MessageDigest;

/**
 * JA3S of a {@link ServerHello}: {@code SSLVersion,Cipher,Extensions} (decimal, extensions joined
 * by {@code -}, GREASE removed), MD5 in hex. One instance per worker.
 */
public final class Ja3s {
  private final AsciiBuilder raw = new AsciiBuilder(2048);
  private final AsciiBuilder hash = new AsciiBuilder(32);
  private final MessageDigest md5 = AsciiBuilder.digest("MD5");

  public Ja3s compute(ServerHello h) {
    raw.clear();
    raw.dec(h.version).ch(',').dec(h.cipher).ch(',');
    boolean first = true;
    for (int i = 0; i < h.extensionCount; i++) {
      if (ClientHello.isGrease(h.extensions[i])) {
        continue;
      }
      if (!first) {
        raw.ch('-');
      }
      first = false;
      raw.dec(h.extensions[i]);
    }
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
