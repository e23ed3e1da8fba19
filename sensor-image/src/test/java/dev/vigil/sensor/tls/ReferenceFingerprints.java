package dev.vigil.sensor.tls;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * JA3 and JA4 the textbook way, as the reference scripts compute them: the hello read with a {@link
 * ByteBuffer} into lists of boxed integers, the fingerprint strings joined from {@link String}s,
 * JA4's lists sorted as hex strings, and a fresh {@link MessageDigest} per hash, printed with
 * {@link HexFormat}. Not for the packet path: it is the peer that {@code Ja34Bench} measures
 * production against, and the oracle the fuzz tests compare {@link Ja3}/{@link Ja4} with.
 */
public final class ReferenceFingerprints {
  private ReferenceFingerprints() {}

  /** The ClientHello fields the fingerprints read, lists in wire order, GREASE included. */
  public record Hello(
      int version,
      List<Integer> ciphers,
      List<Integer> extensions,
      List<Integer> groups,
      List<Integer> pointFormats,
      List<Integer> sigAlgs,
      List<Integer> versions,
      boolean sni,
      String alpn) {}

  /** The fields of a parsed {@link ClientHello} fact. */
  public static Hello of(ClientHello h) {
    return new Hello(
        h.version,
        list(h.ciphers, h.cipherCount),
        list(h.extensions, h.extensionCount),
        list(h.groups, h.groupCount),
        list(h.pointFormats, h.pointFormatCount),
        list(h.sigAlgs, h.sigAlgCount),
        list(h.versions, h.versionCount),
        h.hasSni,
        h.hasAlpn ? new String(h.alpn, 0, h.alpnLength, StandardCharsets.ISO_8859_1) : null);
  }

  private static List<Integer> list(int[] v, int n) {
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(v[i]);
    }
    return l;
  }

  /**
   * Reads the ClientHello in one TLS record ({@code 22 3 x len(2)}, handshake type 1); null when it
   * is not one.
   */
  public static Hello parse(byte[] record) {
    try {
      ByteBuffer r = ByteBuffer.wrap(record);
      if (r.get() != 22) {
        return null;
      }
      r.getShort(); // record version
      int recordLength = r.getShort() & 0xffff;
      ByteBuffer m = r.slice(r.position(), recordLength);
      if (m.get() != 1) {
        return null;
      }
      int bodyLength = ((m.get() & 0xff) << 16) | (m.getShort() & 0xffff);
      ByteBuffer b = m.slice(m.position(), bodyLength);
      int version = b.getShort() & 0xffff;
      b.position(b.position() + 32);
      skip(b, b.get() & 0xff); // session id
      List<Integer> ciphers = u16s(b, b.getShort() & 0xffff);
      skip(b, b.get() & 0xff); // compression methods
      List<Integer> extensions = new ArrayList<>();
      List<Integer> groups = new ArrayList<>();
      List<Integer> pointFormats = new ArrayList<>();
      List<Integer> sigAlgs = new ArrayList<>();
      List<Integer> versions = new ArrayList<>();
      boolean sni = false;
      String alpn = null;
      if (b.hasRemaining()) {
        ByteBuffer exts = b.slice(b.position() + 2, b.getShort() & 0xffff);
        while (exts.hasRemaining()) {
          int type = exts.getShort() & 0xffff;
          ByteBuffer e = exts.slice(exts.position() + 2, exts.getShort() & 0xffff);
          exts.position(exts.position() + e.remaining());
          extensions.add(type);
          switch (type) {
            case 0x0000 -> sni = true;
            case 0x0010 -> {
              e.getShort();
              byte[] name = new byte[e.get() & 0xff];
              e.get(name);
              alpn = new String(name, StandardCharsets.ISO_8859_1);
            }
            case 0x000a -> groups = u16s(e, e.getShort() & 0xffff);
            case 0x000b -> {
              int n = e.get() & 0xff;
              for (int i = 0; i < n; i++) {
                pointFormats.add(e.get() & 0xff);
              }
            }
            case 0x000d -> sigAlgs = u16s(e, e.getShort() & 0xffff);
            case 0x002b -> versions = u16s(e, e.get() & 0xff);
            default -> {}
          }
        }
      }
      return new Hello(
          version, ciphers, extensions, groups, pointFormats, sigAlgs, versions, sni, alpn);
    } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
      return null;
    }
  }

  private static void skip(ByteBuffer b, int n) {
    b.position(b.position() + n);
  }

  private static List<Integer> u16s(ByteBuffer b, int bytes) {
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i + 1 < bytes; i += 2) {
      l.add(b.getShort() & 0xffff);
    }
    return l;
  }

  static boolean isGrease(int v) {
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
  }

  /** The JA3 string: version,ciphers,extensions,groups,point formats. */
  public static String ja3Raw(Hello h) {
    return h.version()
        + ","
        + join(h.ciphers(), true)
        + ","
        + join(h.extensions(), true)
        + ","
        + join(h.groups(), true)
        + ","
        + join(h.pointFormats(), false);
  }

  private static String join(List<Integer> values, boolean dropGrease) {
    return values.stream()
        .filter(v -> !dropGrease || !isGrease(v))
        .map(String::valueOf)
        .collect(Collectors.joining("-"));
  }

  public static String ja3(Hello h) {
    return hex(digest("MD5", ja3Raw(h)));
  }

  /** JA4 (FoxIO): {@code t<version><d|i><ciphers><extensions><alpn>_<hash12>_<hash12>}. */
  public static String ja4(Hello h) {
    List<String> ciphers = new ArrayList<>();
    for (int c : h.ciphers()) {
      if (!isGrease(c)) {
        ciphers.add(String.format("%04x", c));
      }
    }
    List<String> exts = new ArrayList<>();
    int extCount = 0;
    for (int e : h.extensions()) {
      if (isGrease(e)) {
        continue;
      }
      extCount++;
      if (e != 0x0000 && e != 0x0010) {
        exts.add(String.format("%04x", e));
      }
    }
    ciphers.sort(null);
    exts.sort(null);
    int version = h.version();
    if (!h.versions().isEmpty()) {
      version = h.versions().stream().filter(v -> !isGrease(v)).max(Integer::compare).orElse(0);
    }
    String v =
        switch (version) {
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
    String a =
        "t"
            + v
            + (h.sni() ? "d" : "i")
            + String.format("%02d", Math.min(ciphers.size(), 99))
            + String.format("%02d", Math.min(extCount, 99))
            + alpn(h.alpn());
    String c = String.join(",", exts);
    if (!h.sigAlgs().isEmpty()) {
      c +=
          "_"
              + h.sigAlgs().stream()
                  .map(s -> String.format("%04x", s))
                  .collect(Collectors.joining(","));
    }
    return a
        + "_"
        + hash12(String.join(",", ciphers), ciphers.isEmpty())
        + "_"
        + hash12(c, exts.isEmpty());
  }

  private static String alpn(String alpn) {
    if (alpn == null || alpn.isEmpty()) {
      return "00";
    }
    char f = alpn.charAt(0);
    char l = alpn.charAt(alpn.length() - 1);
    if (alnum(f) && alnum(l)) {
      return "" + f + l;
    }
    return String.format("%02x", (int) f).substring(0, 1)
        + String.format("%02x", (int) l).substring(1);
  }

  private static boolean alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static String hash12(String s, boolean empty) {
    return empty ? "000000000000" : hex(digest("SHA-256", s)).substring(0, 12);
  }

  private static byte[] digest(String algorithm, String s) {
    try {
      return MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
