package dev.vigil.sensor.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sensor.decode.Weirds;
import dev.vigil.sensor.testutil.TlsHellos;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HelloParserTest {
  final Weirds weirds = new Weirds();
  final HelloParser parser = new HelloParser(weirds, 8192);

  @Test
  void fieldsOfTheHello() {
    byte[] r = TlsHellos.chrome().record();
    assertThat(parser.parse(r, r.length, false, HelloParser.TYPE_CLIENT_HELLO))
        .isEqualTo(HelloParser.HELLO);
    ClientHello h = parser.client;
    assertThat(new String(h.sni, 0, h.sniLength, StandardCharsets.US_ASCII))
        .isEqualTo("tls.browserleaks.com");
    assertThat(new String(h.alpn, 0, h.alpnLength, StandardCharsets.US_ASCII)).isEqualTo("h2");
    assertThat(Arrays.copyOf(h.versions, h.versionCount)).containsExactly(0xdada, 0x0304, 0x0303);
    assertThat(Arrays.copyOf(h.groups, h.groupCount)).containsExactly(0x1a1a, 4588, 29, 23, 24);
    assertThat(h.cipherCount).isEqualTo(16);
    assertThat(h.extensionCount).isEqualTo(18);
    assertThat(h.sigAlgCount).isEqualTo(8);
    assertThat(parser.consumed).isEqualTo(r.length);
  }

  @Test
  void everyPrefixNeedsMoreAndNeverParses() {
    byte[] r = TlsHellos.chrome().record();
    for (int n = 0; n < r.length; n++) {
      assertThat(parser.parse(r, n, false, HelloParser.TYPE_CLIENT_HELLO))
          .as("prefix %d", n)
          .isEqualTo(HelloParser.NEED_MORE);
      assertThat(parser.parse(r, n, true, HelloParser.TYPE_CLIENT_HELLO))
          .as("complete prefix %d", n)
          .isIn(HelloParser.NOT_TLS, HelloParser.TOO_LARGE);
    }
  }

  @Test
  void helloSpanningSeveralRecords() {
    byte[] msg = TlsHellos.chrome().message();
    byte[] recs = TlsHellos.records(msg, 100);
    assertThat(parser.parse(recs, recs.length, false, HelloParser.TYPE_CLIENT_HELLO))
        .isEqualTo(HelloParser.HELLO);
    assertThat(new Ja3().compute(parser.client).hash())
        .isEqualTo("98487aa16281980e7d1120d399efb6a4");
    assertThat(parser.parse(recs, recs.length - 1, false, HelloParser.TYPE_CLIENT_HELLO))
        .isEqualTo(HelloParser.NEED_MORE);
  }

  @Test
  void sslv2HelloAndOtherProtocols() {
    // SSLv2 CLIENT-HELLO: 2-byte length with the high bit, type 1, version 3.1, lengths
    byte[] v2 = {(byte) 0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10};
    assertThat(parser.parse(v2, v2.length, false, HelloParser.TYPE_CLIENT_HELLO))
        .isEqualTo(HelloParser.SSLV2_HELLO);
    byte[] http = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(parser.parse(http, http.length, false, HelloParser.TYPE_CLIENT_HELLO))
        .isEqualTo(HelloParser.NOT_TLS);
    // a ServerHello where a ClientHello is expected
    byte[] sh =
        TlsHellos.record(22, TlsHellos.serverHello(0x0303, 0x002f, new int[0], new byte[0][]));
    assertThat(parser.parse(sh, sh.length, false, HelloParser.TYPE_CLIENT_HELLO))
        .isEqualTo(HelloParser.NOT_TLS);
    assertThat(parser.parse(sh, sh.length, false, HelloParser.TYPE_SERVER_HELLO))
        .isEqualTo(HelloParser.HELLO);
  }

  @Test
  void inconsistentInnerLengthsAreMalformedWithAWeird() {
    byte[] r = TlsHellos.chrome().record();
    // cipher_suites length (after 5 + 4 + 2 + 32 + 1 + 32) made odd and too long
    int cl = 5 + 4 + 2 + 32 + 1 + 32;
    r[cl] = (byte) 0x7f;
    r[cl + 1] = (byte) 0xff;
    assertThat(parser.parse(r, r.length, false, HelloParser.TYPE_CLIENT_HELLO))
        .isEqualTo(HelloParser.MALFORMED);
    assertThat(weirds.get("TLS_bad_hello")).isEqualTo(1);
  }

  @Test
  void randomMutationsNeverThrow() {
    byte[] good = TlsHellos.records(TlsHellos.chrome().message(), 300);
    Random rnd = new Random(42);
    int hellos = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] m = good.clone();
      int flips = 1 + rnd.nextInt(8);
      for (int k = 0; k < flips; k++) {
        m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
      }
      int len = rnd.nextInt(m.length + 1);
      int r = parser.parse(m, len, rnd.nextBoolean(), 1 + rnd.nextInt(2));
      if (r == HelloParser.HELLO) {
        hellos++;
        new Ja3().compute(parser.client);
        new Ja4().compute(parser.client);
      }
    }
    assertThat(hellos).isPositive();
  }
}
