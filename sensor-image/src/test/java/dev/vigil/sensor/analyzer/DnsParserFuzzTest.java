package dev.vigil.sensor.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.sensor.decode.Weirds;
import java.util.Arrays;

/**
 * Jazzer target: {@link DnsParser#parse} on any message, strict (deciding whether a flow is DNS) or
 * not (README "Fuzzing"). Properties: nothing throws; {@link DnsParser#MALFORMED} counts a weird;
 * {@link DnsParser#NOT_DNS} only in strict mode; after {@link DnsParser#OK} the kept answers and
 * the query name are within their limits; the result does not depend on the bytes around the
 * message in its buffer. Regression inputs: {@code
 * src/test/resources/dev/vigil/sensor/analyzer/DnsParserFuzzTestInputs/}.
 */
class DnsParserFuzzTest {
  final Weirds weirds = new Weirds();
  final DnsParser parser = new DnsParser(weirds);
  final DnsParser other = new DnsParser(new Weirds());

  @FuzzTest(maxDuration = "20s")
  void parse(FuzzedDataProvider data) {
    boolean strict = data.consumeBoolean();
    int off =
        data.consumeInt(0, 42); // a UDP payload inside its frame, a TCP message after its length
    byte[] msg = data.consumeRemainingAsBytes();
    byte[] a = new byte[off + msg.length + 16];
    byte[] b = new byte[off + msg.length + 16];
    Arrays.fill(b, (byte) 0xc0); // compression pointers everywhere around the message
    System.arraycopy(msg, 0, a, off, msg.length);
    System.arraycopy(msg, 0, b, off, msg.length);
    long before = weirds.total();
    int r = parser.parse(a, off, msg.length, strict);
    assertThat(r).isIn(DnsParser.OK, DnsParser.NOT_DNS, DnsParser.MALFORMED);
    if (r == DnsParser.MALFORMED) {
      assertThat(weirds.total()).as("malformed counts a weird").isGreaterThan(before);
    } else {
      assertThat(weirds.total()).as("a weird for a message that parsed").isEqualTo(before);
    }
    if (r == DnsParser.NOT_DNS) {
      assertThat(strict).as("NOT_DNS outside strict mode").isTrue();
    }
    assertThat(other.parse(b, off, msg.length, strict))
        .as("result depends on bytes outside the message")
        .isEqualTo(r);
    if (r != DnsParser.OK) {
      return;
    }
    assertThat(parser.answerCount).isBetween(0, Math.min(parser.ancount, DnsParser.MAX_ANSWERS));
    // 255 bytes of name, each byte at most 4 characters (\xNN)
    assertThat(parser.qname.length()).isLessThanOrEqualTo(4 * DnsParser.MAX_NAME);
    assertThat(parser.hasQuestion).isEqualTo(parser.qdcount > 0);
    assertThat(other.qname.toString()).isEqualTo(parser.qname.toString());
    for (int i = 0; i < parser.answerCount; i++) {
      assertThat(parser.answers[i].length()).isPositive();
      assertThat(other.answers[i].toString()).isEqualTo(parser.answers[i].toString());
      assertThat(parser.ttls[i]).isBetween(0L, 0xffffffffL);
    }
  }
}
