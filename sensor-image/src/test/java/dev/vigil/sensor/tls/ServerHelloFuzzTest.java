package dev.vigil.sensor.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.sensor.decode.Weirds;
import java.util.regex.Pattern;

/**
 * Jazzer target: {@link HelloParser} on a server stream prefix, then {@link Ja3s} (README
 * "Fuzzing"). For any bytes: nothing throws; {@link HelloParser#MALFORMED} counts a weird; an SSLv2
 * hello is never reported for a server; after {@link HelloParser#HELLO} the consumed offset lies in
 * the input and JA3S is well formed. Regression inputs: {@code
 * src/test/resources/dev/vigil/sensor/tls/ServerHelloFuzzTestInputs/}.
 */
class ServerHelloFuzzTest {
  static final Pattern JA3S_RAW = Pattern.compile("\\d+,\\d+,(\\d+(-\\d+)*)?");
  static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");

  final Weirds weirds = new Weirds();
  final HelloParser parser = new HelloParser(weirds, 16384);
  final HelloParser other = new HelloParser(new Weirds(), 16384);
  final Ja3s ja3s = new Ja3s();
  static final byte[] POISON = ClientHelloFuzzTest.poison(HelloParser.TYPE_SERVER_HELLO);

  @FuzzTest(maxDuration = "20s")
  void serverHello(FuzzedDataProvider data) {
    boolean complete = data.consumeBoolean();
    byte[] b = data.consumeRemainingAsBytes();
    long before = weirds.total();
    int r = parser.parse(b, b.length, complete, HelloParser.TYPE_SERVER_HELLO);
    assertThat(r).isBetween(HelloParser.NEED_MORE, HelloParser.TOO_LARGE);
    assertThat(r).as("SSLv2 hellos are client hellos").isNotEqualTo(HelloParser.SSLV2_HELLO);
    if (r == HelloParser.MALFORMED) {
      assertThat(weirds.total()).as("malformed counts a weird").isGreaterThan(before);
    }
    if (r == HelloParser.NEED_MORE) {
      assertThat(complete).as("a complete prefix is never NEED_MORE").isFalse();
    }
    other.parse(POISON, POISON.length, true, HelloParser.TYPE_SERVER_HELLO);
    byte[] b2 = java.util.Arrays.copyOf(b, b.length + 64);
    java.util.Arrays.fill(b2, b.length, b2.length, (byte) 0x16);
    assertThat(other.parse(b2, b.length, complete, HelloParser.TYPE_SERVER_HELLO))
        .as("result depends on bytes outside the hello")
        .isEqualTo(r);
    if (r != HelloParser.HELLO) {
      return;
    }
    assertThat(parser.consumed).isBetween(5, b.length);
    ServerHello h = parser.server;
    ServerHello o = other.server;
    assertThat(new int[] {o.version, o.cipher, o.selectedVersion, o.extensionCount, o.alpnLength})
        .as("fact depends on bytes outside the hello")
        .containsExactly(h.version, h.cipher, h.selectedVersion, h.extensionCount, h.alpnLength);
    assertThat(java.util.Arrays.copyOf(o.extensions, o.extensionCount))
        .isEqualTo(java.util.Arrays.copyOf(h.extensions, h.extensionCount));
    assertThat(java.util.Arrays.copyOf(o.alpn, o.alpnLength))
        .isEqualTo(java.util.Arrays.copyOf(h.alpn, h.alpnLength));
    assertThat(h.extensionCount).isBetween(0, ServerHello.MAX_EXTENSIONS);
    assertThat(h.alpnLength).isBetween(0, ClientHello.MAX_NAME);
    ja3s.compute(h);
    assertThat(ja3s.raw()).matches(JA3S_RAW);
    assertThat(ja3s.hash()).matches(MD5_HEX);
  }
}
