package dev.vigil.sensor.tls;

/**
 * Fact: a TLS ServerHello (or HelloRetryRequest, which has the same layout). One instance per
 * worker, overwritten by {@link HelloParser}.
 */
public final class ServerHello {
  public static final int MAX_EXTENSIONS = 64;

  /** Handshake (legacy) version. */
  public int version;

  /** supported_versions (0x002b) selected version, or 0 when absent. */
  public int selectedVersion;

  public int cipher;
  public final int[] extensions = new int[MAX_EXTENSIONS];
  public int extensionCount;

  /** Selected ALPN protocol, raw bytes. */
  public final byte[] alpn = new byte[ClientHello.MAX_NAME];

  public int alpnLength;

  void reset() {
    version = selectedVersion = cipher = extensionCount = alpnLength = 0;
  }

  /** The negotiated version: supported_versions when present, else the legacy field. */
  public int negotiatedVersion() {
    return selectedVersion != 0 ? selectedVersion : version;
  }
}
