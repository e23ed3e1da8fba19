package dev.vigil.sensor.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sensor.decode.Weirds;
import dev.vigil.sensor.testutil.TlsHellos;
import org.junit.jupiter.api.Test;

/**
 * JA3 and JA4 of hand-built ClientHellos against published values: the browserleaks Chrome hello
 * (JA3 string and hash, JA4), FoxIO's JA4 README example (ja4_r), and hand-derived edge cases of
 * the JA4 specification.
 */
class FingerprintTest {
  final Weirds weirds = new Weirds();
  final HelloParser parser = new HelloParser(weirds, 16384);

  ClientHello parse(byte[] record) {
    assertThat(parser.parse(record, record.length, true, HelloParser.TYPE_CLIENT_HELLO))
        .isEqualTo(HelloParser.HELLO);
    return parser.client;
  }

  @Test
  void chromeHelloMatchesPublishedJa3AndJa4() {
    ClientHello h = parse(TlsHellos.chrome().record());
    Ja3 ja3 = new Ja3().compute(h);
    assertThat(ja3.raw())
        .isEqualTo(
            "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,"
                + "45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0");
    assertThat(ja3.hash()).isEqualTo("98487aa16281980e7d1120d399efb6a4");
    assertThat(new Ja4().compute(h).fingerprint())
        .isEqualTo("t13d1516h2_8daaf6152771_d8a2da3f94cd");
    assertThat(weirds.total()).isZero();
  }

  @Test
  void ja4IgnoresExtensionOrderButJa3DoesNot() {
    ClientHello h = parse(TlsHellos.chrome().record());
    String ja3a = new Ja3().compute(h).hash();
    String ja4a = new Ja4().compute(h).fingerprint();
    // Chrome permutes its extensions per connection: same JA4, different JA3.
    TlsHellos.Client shuffled =
        TlsHellos.client()
            .ciphers(
                4865, 4866, 4867, 49195, 49199, 49196, 49200, 52393, 52392, 49171, 49172, 156, 157,
                47, 53, 0xbaba)
            .sigAlgs(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601)
            .ext(27, new byte[] {2, 0, 2})
            .ext(65281, new byte[] {0})
            .supportedVersions(0x0304, 0x0303, 0x7a7a)
            .groups(4588, 29, 23, 24, 0x8a8a)
            .pointFormats(0)
            .sni("tls.browserleaks.com")
            .ext(0xeaea, new byte[0])
            .ext(17613, new byte[] {0, 3, 2, 'h', '2'})
            .ext(23, new byte[0])
            .ext(65037, new byte[] {0, 0, 1, 0, 1})
            .alpn("h2", "http/1.1")
            .ext(51, TlsHellos.cat(TlsHellos.u16(5), TlsHellos.u16(0x1a1a), TlsHellos.u16(1)))
            .ext(45, new byte[] {1, 1})
            .ext(35, new byte[0])
            .ext(18, new byte[0])
            .ext(5, new byte[] {1, 0, 0, 0, 0});
    ClientHello h2 = parse(shuffled.record());
    assertThat(new Ja4().compute(h2).fingerprint()).isEqualTo(ja4a);
    Ja3 ja3 = new Ja3().compute(h2);
    assertThat(ja3.hash()).isNotEqualTo(ja3a);
    assertThat(ja3.raw())
        .isEqualTo(
            "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,"
                + "13-27-65281-43-10-11-0-17613-23-65037-16-51-45-35-18-5,4588-29-23-24,0");
  }

  /** FoxIO JA4 README: ja4_r t13d1516h2_002f,...,cca9_0005,...,ff01_0403,...,0601. */
  @Test
  void foxioReadmeExample() {
    TlsHellos.Client c =
        TlsHellos.client()
            .ciphers(
                0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013,
                0xc014, 0x009c, 0x009d, 0x002f, 0x0035)
            .sni("example.com")
            .ext(0x0017, new byte[0])
            .ext(0xff01, new byte[] {0})
            .groups(0x001d, 0x0017, 0x0018)
            .pointFormats(0)
            .ext(0x0023, new byte[0])
            .alpn("h2", "http/1.1")
            .ext(0x0005, new byte[] {1, 0, 0, 0, 0})
            .sigAlgs(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601)
            .ext(0x0012, new byte[0])
            .ext(0x0033, new byte[] {0, 0})
            .ext(0x002d, new byte[] {1, 1})
            .supportedVersions(0x0304, 0x0303)
            .ext(0x001b, new byte[] {2, 0, 2})
            .ext(0x4469, new byte[] {0, 3, 2, 'h', '2'})
            .ext(0xfe0d, new byte[] {0});
    assertThat(new Ja4().compute(parse(c.record())).fingerprint())
        .isEqualTo("t13d1516h2_8daaf6152771_02713d6af862");
  }

  @Test
  void ja4EdgeCasesOfTheSpecification() {
    // TLS 1.2 without supported_versions, no SNI, no ALPN, no extensions at all.
    ClientHello bare = parse(TlsHellos.client().ciphers(0x002f, 0x0035).record());
    // b = sha256("002f,0035") truncated to 12; c = zeros (no extensions)
    assertThat(new Ja4().compute(bare).fingerprint())
        .isEqualTo("t12i020000_" + sha12("002f,0035") + "_000000000000");
    // ALPN whose ends are not alphanumeric: first and last hex digit of the value.
    ClientHello odd = parse(TlsHellos.client().ciphers(0x1301).alpn("\u00ab\u00cd").record());
    assertThat(new Ja4().compute(odd).fingerprint()).startsWith("t12i0101ad_");
    // One-character ALPN: that character twice. Version from supported_versions ignores GREASE.
    ClientHello one =
        parse(
            TlsHellos.client()
                .ciphers(0x1301)
                .alpn("h")
                .supportedVersions(0xfafa, 0x0303)
                .record());
    assertThat(new Ja4().compute(one).fingerprint()).startsWith("t12i0102hh_");
    // More than 99 ciphers: count capped at 99.
    int[] many = new int[120];
    for (int i = 0; i < many.length; i++) {
      many[i] = 0x0100 + i;
    }
    ClientHello big = parse(TlsHellos.client().ciphers(many).record());
    assertThat(new Ja4().compute(big).fingerprint()).startsWith("t12i9900");
  }

  @Test
  void greaseIsRemovedFromCiphersExtensionsAndGroupsButNotPointFormats() {
    ClientHello h =
        parse(
            TlsHellos.client()
                .version(0x0301)
                .ciphers(0x0a0a, 0x002f, 0xfafa)
                .ext(0x1a1a, new byte[0])
                .groups(0x2a2a, 0x0017)
                .pointFormats(0x0a, 0x00, 0x1a)
                .record());
    assertThat(new Ja3().compute(h).raw()).isEqualTo("769,47,10-11,23,10-0-26");
  }

  @Test
  void ja3sOfServerHello() {
    byte[] sh =
        TlsHellos.record(
            22,
            TlsHellos.serverHello(
                0x0303,
                0x1301,
                new int[] {0x002b, 0x0033},
                new byte[][] {{3, 4}, {0, 0x1d, 0, 0}}));
    assertThat(parser.parse(sh, sh.length, true, HelloParser.TYPE_SERVER_HELLO))
        .isEqualTo(HelloParser.HELLO);
    Ja3s j = new Ja3s().compute(parser.server);
    assertThat(j.raw()).isEqualTo("771,4865,43-51");
    assertThat(j.hash()).isEqualTo(md5("771,4865,43-51"));
    assertThat(parser.server.negotiatedVersion()).isEqualTo(0x0304);
  }

  static String sha12(String s) {
    return hex("SHA-256", s).substring(0, 12);
  }

  static String md5(String s) {
    return hex("MD5", s);
  }

  static String hex(String alg, String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance(alg)
                  .digest(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
