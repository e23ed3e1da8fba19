package dev.vigil.common.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DataClassTest {
  @Test
  void indexNameUsesTheRecordsUtcDay() {
    long lateEvening = Instant.parse("2026-11-23T23:59:59.999Z").toEpochMilli();
    assertThat(DataClass.CONN.indexName("vigil", lateEvening)).isEqualTo("vigil-conn-2026.11.23");
    assertThat(DataClass.ALERTS.indexName("site", lateEvening + 1))
        .isEqualTo("site-alerts-2026.11.24");
    assertThat(DataClass.HOST.indexPattern("vigil")).isEqualTo("vigil-host-*");
  }

  @Test
  void wireNamesRoundTrip() {
    for (DataClass c : DataClass.values()) {
      assertThat(DataClass.ofWireName(c.wireName())).isSameAs(c);
    }
    assertThat(DataClass.DNS.wireName()).isEqualTo("dns");
  }
}
