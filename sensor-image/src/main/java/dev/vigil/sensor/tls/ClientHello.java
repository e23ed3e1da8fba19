package dev.vigil.sensor.tls;

/**
 * Fact: a TLS ClientHello as the client sent it (lists in wire order, GREASE values included). One
 * instance per worker, overwritten by {@link HelloParser}; fingerprints ({@link Ja3}, {@link Ja4})
 * and loggers read it, and must copy what they keep.
 */
public final class ClientHello {
  public static final int MAX_CIPHERS = 512;
  public static final int MAX_EXTENSIONS = 128;
  public static final int MAX_GROUPS = 128;
  public static final int MAX_POINT_FORMATS = 32;
  public static final int MAX_SIG_ALGS = 128;
  public static final int MAX_VERSIONS = 32;
  public static final int MAX_NAME = 255;

  /** Handshake (legacy) version, e.g. 0x0303. */
  public int version;

  public final int[] ciphers = new int[MAX_CIPHERS];
  public int cipherCount;
  public final int[] extensions = new int[MAX_EXTENSIONS];
  public int extensionCount;
  public final int[] groups = new int[MAX_GROUPS];
  public int groupCount;
  public final int[] pointFormats = new int[MAX_POINT_FORMATS];
  public int pointFormatCount;
  public final int[] sigAlgs = new int[MAX_SIG_ALGS];
  public int sigAlgCount;

  /** supported_versions (0x002b) values; count 0 when the extension is absent. */
  public final int[] versions = new int[MAX_VERSIONS];

  public int versionCount;

  /** Whether the server_name extension (0x0000) is present (JA4 "d"). */
  public boolean hasSni;

  /** First host_name of server_name, raw bytes. */
  public final byte[] sni = new byte[MAX_NAME];

  public int sniLength;

  /** Whether the ALPN extension (0x0010) is present. */
  public boolean hasAlpn;

  /** First ALPN protocol name, raw bytes. */
  public final byte[] alpn = new byte[MAX_NAME];

  public int alpnLength;

  void reset() {
    version = 0;
    cipherCount = extensionCount = groupCount = pointFormatCount = sigAlgCount = 0;
    versionCount = 0;
    hasSni = false;
    sniLength = 0;
    hasAlpn = false;
    alpnLength = 0;
  }

  /** RFC 8701 GREASE values: 0x0a0a, 0x1a1a, ... 0xfafa. */
  public static boolean isGrease(int v) {
    return (v & 0x0f0f) == 0x0a0a && (v >>> 8) == (v & 0xff);
  }
}
