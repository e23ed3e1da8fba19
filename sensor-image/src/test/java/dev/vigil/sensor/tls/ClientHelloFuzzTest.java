package dev.vigil.sensor.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.sensor.decode.Weirds;
import java.util.regex.Pattern;

/**
 * Jazzer target: {@link HelloParser} on a client stream prefix, then {@link Ja3} and {@link Ja4}
 * (README "Fuzzing"). For any bytes: nothing throws; {@link HelloParser#MALFORMED} counts a weird;
 * a complete prefix is never {@link HelloParser#NEED_MORE}; after {@link HelloParser#HELLO} the
 * consumed offset lies in the input and the lists within their limits, JA3 and JA4 are well formed
 * and equal to the textbook computation ({@link ReferenceFingerprints}) of the same fact; the
 * result and the fact do not depend on bytes after the input nor on what the parser's message
 * buffer held before. Regression inputs: {@code
 * src/test/resources/dev/vigil/sensor/tls/ClientHelloFuzzTestInputs/}.
 */
class ClientHelloFuzzTest {
  static final Pattern JA3_RAW =
      Pattern.compile("\\d+,(\\d+(-\\d+)*)?,(\\d+(-\\d+)*)?,(\\d+(-\\d+)*)?,(\\d+(-\\d+)*)?");
  static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");
  static final Pattern JA4 =
      Pattern.compile(
          "t(13|12|11|10|s3|s2|d1|d2|d3|00)[di]\\d{4}[0-9A-Za-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}");

  final Weirds weirds = new Weirds();
  final HelloParser parser = new HelloParser(weirds, 16384);
  final HelloParser other = new HelloParser(new Weirds(), 16384);
  final Ja3 ja3 = new Ja3();
  final Ja4 ja4 = new Ja4();

  /**
   * A record that fills the parser's message buffer with 0xAA and is then rejected: a parse after
   * it reads nothing of the old message unless it reads past its own.
   */
  static final byte[] POISON = poison(HelloParser.TYPE_CLIENT_HELLO);

  static byte[] poison(int type) {
    byte[] r = new byte[5 + 16000];
    java.util.Arrays.fill(r, (byte) 0xaa);
    r[0] = 22;
    r[1] = 3;
    r[2] = 1;
    r[3] = (byte) (16000 >>> 8);
    r[4] = (byte) 16000;
    r[5] = (byte) type;
    r[6] = 0;
    r[7] = (byte) (15996 >>> 8);
    r[8] = (byte) 15996;
    return r;
  }

  @FuzzTest(maxDuration = "20s")
  void clientHello(FuzzedDataProvider data) {
    boolean complete = data.consumeBoolean();
    int from = data.consumeInt(0, 8); // bytes before the TLS stream (STARTTLS, CONNECT, SOCKS)
    byte[] b = data.consumeRemainingAsBytes();
    byte[] buf = new byte[from + b.length];
    System.arraycopy(b, 0, buf, from, b.length);
    int len = buf.length;
    long before = weirds.total();
    int r = parser.parse(buf, from, len, complete, HelloParser.TYPE_CLIENT_HELLO);
    assertThat(r).isBetween(HelloParser.NEED_MORE, HelloParser.TOO_LARGE);
    if (r == HelloParser.MALFORMED) {
      assertThat(weirds.total()).as("malformed counts a weird").isGreaterThan(before);
    }
    if (r == HelloParser.NEED_MORE) {
      assertThat(complete).as("a complete prefix is never NEED_MORE").isFalse();
    }
    // the same stream followed by other bytes, in a parser whose buffer holds another message
    other.parse(POISON, POISON.length, true, HelloParser.TYPE_CLIENT_HELLO);
    byte[] buf2 = java.util.Arrays.copyOf(buf, len + 64);
    java.util.Arrays.fill(buf2, len, buf2.length, (byte) 0x16);
    assertThat(other.parse(buf2, from, len, complete, HelloParser.TYPE_CLIENT_HELLO))
        .as("result depends on bytes outside the hello")
        .isEqualTo(r);
    if (r != HelloParser.HELLO) {
      return;
    }
    assertThat(ReferenceFingerprints.of(other.client))
        .as("fact depends on bytes outside the hello")
        .isEqualTo(ReferenceFingerprints.of(parser.client));
    assertThat(java.util.Arrays.copyOf(other.client.sni, other.client.sniLength))
        .isEqualTo(java.util.Arrays.copyOf(parser.client.sni, parser.client.sniLength));
    assertThat(parser.consumed).isBetween(from + 5, len);
    ClientHello h = parser.client;
    assertThat(h.cipherCount).isBetween(0, ClientHello.MAX_CIPHERS);
    assertThat(h.extensionCount).isBetween(0, ClientHello.MAX_EXTENSIONS);
    assertThat(h.groupCount).isBetween(0, ClientHello.MAX_GROUPS);
    assertThat(h.sigAlgCount).isBetween(0, ClientHello.MAX_SIG_ALGS);
    assertThat(h.versionCount).isBetween(0, ClientHello.MAX_VERSIONS);
    assertThat(h.pointFormatCount).isBetween(0, ClientHello.MAX_POINT_FORMATS);
    assertThat(h.sniLength).isBetween(0, ClientHello.MAX_NAME);
    assertThat(h.alpnLength).isBetween(0, ClientHello.MAX_NAME);
    ja3.compute(h);
    ja4.compute(h);
    String raw = ja3.raw();
    assertThat(raw).matches(JA3_RAW);
    assertThat(ja3.hash()).matches(MD5_HEX);
    assertThat(ja4.fingerprint()).matches(JA4);
    ReferenceFingerprints.Hello ref = ReferenceFingerprints.of(h);
    assertThat(raw).isEqualTo(ReferenceFingerprints.ja3Raw(ref));
    assertThat(ja3.hash()).isEqualTo(ReferenceFingerprints.ja3(ref));
    assertThat(ja4.fingerprint()).isEqualTo(ReferenceFingerprints.ja4(ref));
  }
}
