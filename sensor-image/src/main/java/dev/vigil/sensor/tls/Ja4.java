package dev.vigil.sensor.tls;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * JA4, the TLS client fingerprint of FoxIO's JA4 (BSD 3-Clause; only the client fingerprint is
 * implemented here, not JA4S or the rest of JA4+): {@code a_b_c} where
 *
 * <ul>
 *   <li>a = {@code t} (TCP) + version (highest non-GREASE supported_versions value, else the
 *       handshake version: 13, 12, 11, 10, s3, s2, 00) + {@code d}/{@code i} (server_name present
 *       or not) + two-digit cipher count + two-digit extension count (GREASE excluded, at most 99)
 *       + first and last character of the first ALPN value ({@code 00} without ALPN; the first and
 *       last hex digit of the value when either end is not ASCII alphanumeric);
 *   <li>b = first 12 hex digits of SHA-256 of the sorted cipher list (4-digit hex, comma separated,
 *       GREASE removed), {@code 000000000000} when empty;
 *   <li>c = the same over the sorted extension list without GREASE, server_name (0000) and ALPN
 *       (0010), followed by {@code _} and the signature algorithms in offered order when there are
 *       any.
 * </ul>
 *
 * One instance per worker: buffers are reused.
 */
public final class Ja4 {
  private final AsciiBuilder out = new AsciiBuilder(64);
  private final AsciiBuilder raw = new AsciiBuilder(8192);

  /** Lists up to this long are insertion-sorted (quadratic, so longer ones use Arrays.sort). */
  private static final int INSERTION_SORT_MAX = 48;

  private final int[] sorted = new int[ClientHello.MAX_CIPHERS];
  private final int[] sortedExts = new int[ClientHello.MAX_EXTENSIONS];
  private final MessageDigest sha256 = AsciiBuilder.digest("SHA-256");

  public Ja4 compute(ClientHello h) {
    out.clear();
    out.ch('t');
    versionCode(h);
    out.ch(h.hasSni ? 'd' : 'i');
    int ciphers = collect(h.ciphers, h.cipherCount, false);
    twoDigits(ciphers);
    // one pass over the extensions: the count (GREASE excluded) takes back SNI and ALPN, which
    // the sorted list leaves out
    int exts = collect(h.extensions, h.extensionCount, true);
    twoDigits(exts + dropped);
    alpn(h);
    out.ch('_');
    // b: ciphers (sorted[0, ciphers))
    raw.clear();
    raw.hex4List(sorted, ciphers, ',');
    hash12(ciphers == 0);
    out.ch('_');
    // c: extensions (without SNI and ALPN, sortedExts[0, exts)), then signature algorithms
    raw.clear();
    raw.hex4List(sortedExts, exts, ',');
    if (h.sigAlgCount > 0) {
      raw.ch('_');
      raw.hex4List(h.sigAlgs, h.sigAlgCount, ',');
    }
    hash12(exts == 0);
    return this;
  }

  /** SNI and ALPN extensions left out by the last {@link #collect} with {@code dropSniAlpn}. */
  private int dropped;

  /**
   * Copies the non-GREASE values of {@code v[0, n)} (without SNI and ALPN when {@code dropSniAlpn},
   * counting them in {@link #dropped}) into {@link #sorted} (ciphers) or {@link #sortedExts},
   * sorted ascending; returns how many.
   */
  private int collect(int[] v, int n, boolean dropSniAlpn) {
    int[] s = dropSniAlpn ? sortedExts : sorted;
    int k = 0;
    int d = 0;
    for (int i = 0; i < n; i++) {
      int x = v[i];
      if (ClientHello.isGrease(x)) {
        continue;
      }
      if (dropSniAlpn && (x == 0x0000 || x == 0x0010)) {
        d++;
        continue;
      }
      s[k++] = x;
    }
    if (dropSniAlpn) {
      dropped = d;
    }
    if (k <= INSERTION_SORT_MAX) {
      for (int i = 1; i < k; i++) {
        int x = s[i];
        int j = i - 1;
        while (j >= 0 && s[j] > x) {
          s[j + 1] = s[j];
          j--;
        }
        s[j + 1] = x;
      }
    } else {
      Arrays.sort(s, 0, k);
    }
    return k;
  }

  private void hash12(boolean empty) {
    if (empty) {
      for (int i = 0; i < 12; i++) {
        out.ch('0');
      }
    } else {
      raw.digestHex(sha256, out, 12);
    }
  }

  private void twoDigits(int n) {
    int v = Math.min(n, 99);
    out.ch((char) ('0' + v / 10)).ch((char) ('0' + v % 10));
  }

  private void versionCode(ClientHello h) {
    int v = 0;
    if (h.versionCount > 0) {
      for (int i = 0; i < h.versionCount; i++) {
        int x = h.versions[i];
        if (!ClientHello.isGrease(x) && x > v) {
          v = x;
        }
      }
    } else {
      v = h.version;
    }
    String code =
        switch (v) {
          case 0x0304 -> "13";
          case 0x0303 -> "12";
          case 0x0302 -> "11";
          case 0x0301 -> "10";
          case 0x0300 -> "s3";
          case 0x0002 -> "s2";
          case 0xfeff -> "d1";
          case 0xfefd -> "d2";
          case 0xfefc -> "d3";
          default -> "00";
        };
    out.ch(code.charAt(0)).ch(code.charAt(1));
  }

  private void alpn(ClientHello h) {
    if (!h.hasAlpn || h.alpnLength == 0) {
      out.ch('0').ch('0');
      return;
    }
    int f = h.alpn[0] & 0xff;
    int l = h.alpn[h.alpnLength - 1] & 0xff;
    if (alnum(f) && alnum(l)) {
      out.ch((char) f).ch((char) l);
    } else {
      out.ch(Character.forDigit(f >>> 4, 16)).ch(Character.forDigit(l & 15, 16));
    }
  }

  private static boolean alnum(int c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  public String fingerprint() {
    return out.toString();
  }
}
