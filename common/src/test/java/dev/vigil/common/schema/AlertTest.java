package dev.vigil.common.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:15:30.123Z");

  private static Alert.Builder ja3Hit(Instant ts, int srcPort, String uid, String sensor) {
    return Alert.builder(ts, "BlocklistedJA3", 7)
        .message("blocklisted JA3 from 10.1.2.3")
        .dataset("vigil.sensor")
        .source("10.1.2.3", srcPort)
        .destination("203.0.113.9", 443)
        .transport("tcp")
        .communityId("1:LQU9qZlK+B5F3KDmev6m5PMibrg=")
        .ja3("e7d705a3286e19ea42f587b344ee6865")
        .indicator("ja3", "e7d705a3286e19ea42f587b344ee6865", "abuse.ch SSLBL")
        .sensor(sensor, "ens1f0")
        .zeekUid(uid);
  }

  @Test
  void dedupKeyIsAPinnedFunctionOfTheDocumentedFields() {
    // Pinned, and cross-checked with Python hashlib over the documented field list:
    // if this changes, every stored key changes; bump KEY_VERSION on purpose instead.
    assertThat(ja3Hit(T0, 51000, "CAbc", "sensor-a").build().dedupKey())
        .isEqualTo("0f72cd66d0ec9eb8b5aa4fd8176ea7e6");
  }

  @Test
  void repeatsOfTheSameFindingShareAKey() {
    String first = ja3Hit(T0, 51000, "CAbc", "sensor-a").build().dedupKey();
    String later =
        ja3Hit(T0.plusSeconds(3600), 51999, "CXyz", "sensor-b")
            .communityId("1:other")
            .process(42L, null)
            .build()
            .dedupKey();
    assertThat(later).isEqualTo(first);
  }

  @Test
  void aDifferentRuleDestinationOrIndicatorGivesADifferentKey() {
    String base = ja3Hit(T0, 51000, "CAbc", "sensor-a").build().dedupKey();
    assertThat(
            Alert.builder(T0, "StratumSession", 7)
                .source("10.1.2.3", 51000)
                .destination("203.0.113.9", 443)
                .transport("tcp")
                .ja3("e7d705a3286e19ea42f587b344ee6865")
                .indicator("ja3", "e7d705a3286e19ea42f587b344ee6865", null)
                .build()
                .dedupKey())
        .isNotEqualTo(base);
    assertThat(
            ja3Hit(T0, 51000, "CAbc", "sensor-a")
                .destination("203.0.113.10", 443)
                .build()
                .dedupKey())
        .isNotEqualTo(base);
    assertThat(ja3Hit(T0, 51000, "CAbc", "sensor-a").user("alice").build().dedupKey())
        .isNotEqualTo(base);
  }

  @Test
  void fieldBoundariesCannotCollide() {
    // "ab" + "" vs "a" + "b" in adjacent fields must not hash alike.
    String x = Alert.builder(T0, "r", 1).host("ab").build().dedupKey();
    String y = Alert.builder(T0, "r", 1).host("a").process(null, "b").build().dedupKey();
    assertThat(x).isNotEqualTo(y);
  }

  @Test
  void jsonUsesEcsNamesAndLeavesOutNulls() throws Exception {
    Alert a =
        ja3Hit(T0, 51000, "CAbc", "sensor-a")
            .orchestrator("slurm", null, "job-pod-1", "123456")
            .user("alice")
            .host("nid001234")
            .build();
    JsonNode j = new ObjectMapper().readTree(a.toJsonLine(new ObjectMapper()));
    assertThat(j.path("@timestamp").asText()).isEqualTo("2026-11-23T10:15:30.123Z");
    assertThat(j.at("/event/kind").asText()).isEqualTo("alert");
    assertThat(j.at("/event/severity").asInt()).isEqualTo(7);
    assertThat(j.at("/rule/name").asText()).isEqualTo("BlocklistedJA3");
    assertThat(j.at("/source/port").asInt()).isEqualTo(51000);
    assertThat(j.at("/destination/ip").asText()).isEqualTo("203.0.113.9");
    assertThat(j.at("/network/community_id").asText()).startsWith("1:");
    assertThat(j.at("/tls/client/ja3").asText()).isEqualTo("e7d705a3286e19ea42f587b344ee6865");
    assertThat(j.at("/tls/client/ja4").isMissingNode()).isTrue();
    assertThat(j.at("/threat/indicator/type").asText()).isEqualTo("ja3");
    assertThat(j.at("/observer/type").asText()).isEqualTo("sensor");
    assertThat(j.at("/observer/ingress/interface/name").asText()).isEqualTo("ens1f0");
    assertThat(j.at("/orchestrator/job/id").asText()).isEqualTo("123456");
    assertThat(j.at("/orchestrator/resource/name").asText()).isEqualTo("job-pod-1");
    assertThat(j.at("/orchestrator/namespace").isMissingNode()).isTrue();
    assertThat(j.at("/zeek/session_id").asText()).isEqualTo("CAbc");
    assertThat(j.at("/vigil/dedup_key").asText()).isEqualTo(a.dedupKey());
    assertThat(j.has("process")).isFalse();
  }
}
