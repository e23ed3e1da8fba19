package dev.vigil.sensor.testutil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Hand-built TLS handshake messages and records for tests. */
public final class TlsHellos {
  private TlsHellos() {}

  /** A ClientHello under construction: lists in wire order, GREASE wherever the test puts it. */
  public static final class Client {
    int version = 0x0303;
    int[] ciphers = {0x1301, 0x1302, 0xc02f};
    final List<int[]> extOrder = new ArrayList<>();
    final List<byte[]> extData = new ArrayList<>();

    public Client version(int v) {
      version = v;
      return this;
    }

    public Client ciphers(int... c) {
      ciphers = c;
      return this;
    }

    public Client ext(int type, byte[] data) {
      extOrder.add(new int[] {type});
      extData.add(data);
      return this;
    }

    public Client sni(String host) {
      byte[] h = host.getBytes(StandardCharsets.US_ASCII);
      return ext(0x0000, cat(u16(h.length + 3), new byte[] {0}, u16(h.length), h));
    }

    public Client alpn(String... protos) {
      ByteArrayOutputStream l = new ByteArrayOutputStream();
      for (String p : protos) {
        byte[] b = p.getBytes(StandardCharsets.ISO_8859_1);
        l.write(b.length);
        l.writeBytes(b);
      }
      byte[] list = l.toByteArray();
      return ext(0x0010, cat(u16(list.length), list));
    }

    public Client groups(int... g) {
      return ext(0x000a, cat(u16(2 * g.length), u16s(g)));
    }

    public Client pointFormats(int... f) {
      byte[] b = new byte[f.length + 1];
      b[0] = (byte) f.length;
      for (int i = 0; i < f.length; i++) {
        b[i + 1] = (byte) f[i];
      }
      return ext(0x000b, b);
    }

    public Client sigAlgs(int... a) {
      return ext(0x000d, cat(u16(2 * a.length), u16s(a)));
    }

    public Client supportedVersions(int... v) {
      return ext(0x002b, cat(new byte[] {(byte) (2 * v.length)}, u16s(v)));
    }

    /** The handshake message (type 1). */
    public byte[] message() {
      ByteArrayOutputStream ex = new ByteArrayOutputStream();
      for (int i = 0; i < extOrder.size(); i++) {
        ex.writeBytes(u16(extOrder.get(i)[0]));
        ex.writeBytes(u16(extData.get(i).length));
        ex.writeBytes(extData.get(i));
      }
      byte[] exts = ex.toByteArray();
      byte[] random = new byte[32];
      for (int i = 0; i < 32; i++) {
        random[i] = (byte) (i * 7 + 1);
      }
      byte[] body =
          cat(
              u16(version),
              random,
              new byte[] {32},
              new byte[32],
              u16(2 * ciphers.length),
              u16s(ciphers),
              new byte[] {1, 0},
              extOrder.isEmpty() ? new byte[0] : cat(u16(exts.length), exts));
      return handshake(1, body);
    }

    /** One record holding the message. */
    public byte[] record() {
      return TlsHellos.record(22, message());
    }
  }

  public static Client client() {
    return new Client();
  }

  /** A ServerHello handshake message. */
  public static byte[] serverHello(int version, int cipher, int[] extTypes, byte[][] extData) {
    ByteArrayOutputStream ex = new ByteArrayOutputStream();
    for (int i = 0; i < extTypes.length; i++) {
      ex.writeBytes(u16(extTypes[i]));
      ex.writeBytes(u16(extData[i].length));
      ex.writeBytes(extData[i]);
    }
    byte[] exts = ex.toByteArray();
    byte[] body =
        cat(
            u16(version),
            new byte[32],
            new byte[] {0},
            u16(cipher),
            new byte[] {0},
            extTypes.length == 0 ? new byte[0] : cat(u16(exts.length), exts));
    return handshake(2, body);
  }

  public static byte[] handshake(int type, byte[] body) {
    return cat(
        new byte[] {(byte) type, (byte) (body.length >>> 16), (byte) (body.length >>> 8)},
        new byte[] {(byte) body.length},
        body);
  }

  public static byte[] record(int contentType, byte[] fragment) {
    return cat(new byte[] {(byte) contentType, 3, 1}, u16(fragment.length), fragment);
  }

  /** The message split over several handshake records of at most {@code max} bytes each. */
  public static byte[] records(byte[] message, int max) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < message.length; i += max) {
      out.writeBytes(
          record(22, java.util.Arrays.copyOfRange(message, i, Math.min(message.length, i + max))));
    }
    return out.toByteArray();
  }

  public static final byte[] CHANGE_CIPHER_SPEC = record(20, new byte[] {1});

  public static byte[] u16(int v) {
    return new byte[] {(byte) (v >>> 8), (byte) v};
  }

  public static byte[] u16s(int... v) {
    byte[] b = new byte[2 * v.length];
    for (int i = 0; i < v.length; i++) {
      b[2 * i] = (byte) (v[i] >>> 8);
      b[2 * i + 1] = (byte) v[i];
    }
    return b;
  }

  public static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /**
   * The Chrome ClientHello behind the fingerprints published by browserleaks (tls.md): JA3 {@code
   * 98487aa16281980e7d1120d399efb6a4}, JA4 {@code t13d1516h2_8daaf6152771_d8a2da3f94cd}; lists in
   * the published offered order (ja3_text, ja4_ro), with GREASE added as Chrome sends it.
   */
  public static Client chrome() {
    return client()
        .ciphers(
            0x3a3a, 4865, 4866, 4867, 49195, 49199, 49196, 49200, 52393, 52392, 49171, 49172, 156,
            157, 47, 53)
        .ext(0x2a2a, new byte[0])
        .ext(45, new byte[] {1, 1})
        .ext(51, cat(u16(5), u16(0x1a1a), u16(1), new byte[] {0}))
        .alpn("h2", "http/1.1")
        .ext(65037, new byte[] {0, 0, 1, 0, 1})
        .ext(23, new byte[0])
        .ext(17613, new byte[] {0, 3, 2, 'h', '2'})
        .sni("tls.browserleaks.com")
        .pointFormats(0)
        .groups(0x1a1a, 4588, 29, 23, 24)
        .supportedVersions(0xdada, 0x0304, 0x0303)
        .ext(65281, new byte[] {0})
        .ext(35, new byte[0])
        .ext(18, new byte[0])
        .ext(5, new byte[] {1, 0, 0, 0, 0})
        .sigAlgs(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601)
        .ext(27, new byte[] {2, 0, 2})
        .ext(0x4a4a, new byte[] {0});
  }
}
