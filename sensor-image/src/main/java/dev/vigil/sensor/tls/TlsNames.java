package dev.vigil.sensor.tls;

/** Zeek's names for TLS versions and cipher suites ({@code SSL::version_strings}, cipher_desc). */
public final class TlsNames {
  private TlsNames() {}

  public static String version(int v) {
    return switch (v) {
      case 0x0002 -> "SSLv2";
      case 0x0300 -> "SSLv3";
      case 0x0301 -> "TLSv10";
      case 0x0302 -> "TLSv11";
      case 0x0303 -> "TLSv12";
      case 0x0304 -> "TLSv13";
      case 0xfeff -> "DTLSv10";
      case 0xfefd -> "DTLSv12";
      case 0xfefc -> "DTLSv13";
      default -> "unknown-" + v;
    };
  }

  public static String cipher(int c) {
    return switch (c) {
      case 0x0004 -> "TLS_RSA_WITH_RC4_128_MD5";
      case 0x0005 -> "TLS_RSA_WITH_RC4_128_SHA";
      case 0x000a -> "TLS_RSA_WITH_3DES_EDE_CBC_SHA";
      case 0x002f -> "TLS_RSA_WITH_AES_128_CBC_SHA";
      case 0x0033 -> "TLS_DHE_RSA_WITH_AES_128_CBC_SHA";
      case 0x0035 -> "TLS_RSA_WITH_AES_256_CBC_SHA";
      case 0x0039 -> "TLS_DHE_RSA_WITH_AES_256_CBC_SHA";
      case 0x003c -> "TLS_RSA_WITH_AES_128_CBC_SHA256";
      case 0x003d -> "TLS_RSA_WITH_AES_256_CBC_SHA256";
      case 0x0067 -> "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256";
      case 0x006b -> "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256";
      case 0x009c -> "TLS_RSA_WITH_AES_128_GCM_SHA256";
      case 0x009d -> "TLS_RSA_WITH_AES_256_GCM_SHA384";
      case 0x009e -> "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256";
      case 0x009f -> "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384";
      case 0x00ff -> "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
      case 0x1301 -> "TLS_AES_128_GCM_SHA256";
      case 0x1302 -> "TLS_AES_256_GCM_SHA384";
      case 0x1303 -> "TLS_CHACHA20_POLY1305_SHA256";
      case 0x1304 -> "TLS_AES_128_CCM_SHA256";
      case 0x1305 -> "TLS_AES_128_CCM_8_SHA256";
      case 0x5600 -> "TLS_FALLBACK_SCSV";
      case 0xc009 -> "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";
      case 0xc00a -> "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA";
      case 0xc013 -> "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA";
      case 0xc014 -> "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA";
      case 0xc023 -> "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";
      case 0xc024 -> "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384";
      case 0xc027 -> "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256";
      case 0xc028 -> "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384";
      case 0xc02b -> "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
      case 0xc02c -> "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
      case 0xc02f -> "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
      case 0xc030 -> "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
      case 0xcca8 -> "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
      case 0xcca9 -> "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
      case 0xccaa -> "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
      default -> "unknown-" + c;
    };
  }

  /** Bytes as text, Zeek style: printable ASCII kept, anything else as {@code \xNN}. */
  public static String escape(byte[] b, int len) {
    return escape(b, 0, len);
  }

  /** As {@link #escape(byte[], int)} for {@code b[from, to)}. */
  public static String escape(byte[] b, int from, int to) {
    StringBuilder sb = new StringBuilder(Math.max(0, to - from));
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append("\\x")
            .append(Character.forDigit(c >>> 4, 16))
            .append(Character.forDigit(c & 15, 16));
      }
    }
    return sb.toString();
  }
}
