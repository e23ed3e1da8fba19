package dev.vigil.common.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DocTest {

  @Test
  void compactIdIsDeterministicShortAndLedByTheSecond() {
    String id = Doc.compactId(1763900000L, "CGIW3l3UFuMP1Ek3SA@1763900000.000637");
    assertThat(id).isEqualTo(Doc.compactId(1763900000L, "CGIW3l3UFuMP1Ek3SA@1763900000.000637"));
    assertThat(id).hasSize(16).matches("[A-Za-z0-9_-]{16}");
    byte[] raw = Base64.getUrlDecoder().decode(id);
    assertThat(raw).hasSize(12);
    long second =
        ((raw[0] & 0xffL) << 24)
            | ((raw[1] & 0xffL) << 16)
            | ((raw[2] & 0xffL) << 8)
            | raw[3] & 0xff;
    assertThat(second).isEqualTo(1763900000L);
    // Another key or another second: another id.
    assertThat(Doc.compactId(1763900000L, "CGIW3l3UFuMP1Ek3SB@1763900000.000637")).isNotEqualTo(id);
    assertThat(Doc.compactId(1763900001L, "CGIW3l3UFuMP1Ek3SA@1763900000.000637")).isNotEqualTo(id);
    // Ids of one second share their first 5 characters (4 bytes = 5⅓ base64 characters).
    assertThat(Doc.compactId(1763900000L, "x")).startsWith(id.substring(0, 5));
  }

  @Test
  void compactIdsOfManyKeysInOneSecondAreDistinct() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 200_000; i++) {
      assertThat(ids.add(Doc.compactId(1763900000L, "C" + i + "@1763900000.5"))).isTrue();
    }
  }
}
