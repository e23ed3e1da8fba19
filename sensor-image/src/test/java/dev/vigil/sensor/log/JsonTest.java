package dev.vigil.sensor.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sensor.flow.Uids;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {
  static String format(String ip) throws Exception {
    byte[] a = InetAddress.getByName(ip).getAddress();
    StringBuilder sb = new StringBuilder();
    if (a.length == 4) {
      Json.appendAddress(
          sb, 0, 0x0000ffff00000000L | (ByteBuffer.wrap(a).getInt() & 0xffffffffL), true);
    } else {
      ByteBuffer b = ByteBuffer.wrap(a);
      Json.appendAddress(sb, b.getLong(), b.getLong(), false);
    }
    return sb.toString();
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.1, 10.0.0.1",
    "255.255.255.255, 255.255.255.255",
    "2001:db8:0:0:0:0:0:1, 2001:db8::1",
    "0:0:0:0:0:0:0:1, ::1",
    "0:0:0:0:0:0:0:0, ::",
    "fe80:0:0:0:1:0:0:1, fe80::1:0:0:1",
    "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
    "2001:0:0:1:0:0:1:1, 2001::1:0:0:1:1",
    "2001:db8:1:2:3:4:5:6, 2001:db8:1:2:3:4:5:6",
    "2001:db8:0:2:3:4:5:0, 2001:db8:0:2:3:4:5:0",
    "1:0:0:0:0:0:0:0, 1::"
  })
  void addressesPrintLikeZeek(String in, String out) throws Exception {
    assertThat(format(in)).isEqualTo(out);
  }

  @Test
  void secondsHaveSixDecimals() {
    StringBuilder sb = new StringBuilder();
    Json.appendSeconds(sb, 1_700_000_000_000_001_000L);
    sb.append(' ');
    Json.appendSeconds(sb, 2_500_000L);
    assertThat(sb.toString()).isEqualTo("1700000000.000001 0.002500");
  }

  @Test
  void stringsAreEscaped() {
    StringBuilder sb = new StringBuilder();
    Json.appendString(sb, "a\"b\\c\n\u0001");
    assertThat(sb.toString()).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\"");
  }

  @Test
  void uidsLookLikeZeeksAndDifferBySeedAndNumber() {
    assertThat(Uids.uid(1, 0)).matches("C[0-9A-Za-z]{17}");
    assertThat(Uids.uid(1, 0)).isEqualTo(Uids.uid(1, 0));
    assertThat(Uids.uid(1, 0)).isNotEqualTo(Uids.uid(1, 1));
    assertThat(Uids.uid(1, 0)).isNotEqualTo(Uids.uid(2, 0));
  }
}
