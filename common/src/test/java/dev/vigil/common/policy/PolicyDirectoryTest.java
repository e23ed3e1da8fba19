package dev.vigil.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyDirectoryTest {
  @TempDir Path dir;

  static Path samples() {
    return Path.of("src/test/resources/policy-dir");
  }

  @Test
  void readsTheOperatorsRenderedPolicies() throws IOException {
    PolicyDirectory.Loaded l = PolicyDirectory.load(samples());
    assertThat(l.sources())
        .containsExactly("vigil-system/research-gpu@1", "vigil-system/site-baseline@3");
    PolicyDocument gpu = l.policies().get(0);
    assertThat(gpu.shadow()).isTrue();
    assertThat(gpu.connectBack().enabled()).isFalse();
    assertThat(gpu.stratum()).isNull();
    assertThat(gpu.tls().isEmpty()).isTrue();
    assertThat(gpu.spec().path("silentMiner").path("cpuPercentAbove").asInt()).isEqualTo(80);

    PolicyDocument site = l.policies().get(1);
    assertThat(site.shadow()).isFalse();
    assertThat(site.file()).isEqualTo("site-baseline.json");
    assertThat(site.tls().ja3())
        .extracting(PolicyDocument.Fingerprint::value, PolicyDocument.Fingerprint::severity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("72a589da586844d7f0818ce684948eea", 99),
            org.assertj.core.groups.Tuple.tuple("e7d705a3286e19ea42f587b344ee6865", 47));
    assertThat(site.tls().ja3s()).hasSize(1);
    assertThat(site.tls().ja4().get(1).name()).isEqualTo("xmrig TLS pool client (site-observed)");
    assertThat(site.stratum()).isEqualTo(new PolicyDocument.StratumRule(true, 73));
    assertThat(site.connectBack().enabled()).isTrue();
    assertThat(site.connectBack().severity()).isEqualTo(73);
    assertThat(site.connectBack().internalNetworks().prefixes()).hasSize(3);
    long[] a = Cidr.hiLo("198.51.100.200");
    assertThat(site.connectBack().allowedDestinations().contains(a[0], a[1])).isTrue();
    assertThat(site.suppressions()).hasSize(2);
    assertThat(site.suppressions().get(0).expires())
        .isEqualTo(Instant.parse("2027-06-30T00:00:00Z"));
    // severity null → the CRD default (high)
    assertThat(site.trails())
        .extracting(PolicyDocument.Indicator::type, PolicyDocument.Indicator::severity)
        .contains(
            org.assertj.core.groups.Tuple.tuple("cidr", 73),
            org.assertj.core.groups.Tuple.tuple("domain", 99),
            org.assertj.core.groups.Tuple.tuple("ip", 47));
    assertThat(site.trails()).hasSize(7);
  }

  @Test
  void everyMalformedFileIsReportedWithNameAndReason() throws IOException {
    Files.copy(samples().resolve("site-baseline.json"), dir.resolve("a-good.json"));
    Files.writeString(dir.resolve("b-broken.json"), "{\"schema\":1,");
    Files.writeString(dir.resolve("c-schema.json"), "{\"schema\":2,\"name\":\"x\",\"spec\":{}}");
    Files.writeString(
        dir.resolve("d-fields.json"),
        """
        {"schema":1,"name":"d","spec":{"mode":"loud",
          "tls":{"ja3":[{"value":"XYZ","name":"n"}]},
          "connectBack":{"internalNetworks":["10.0.0.0/33"],"severity":"urgent"},
          "suppressions":[{"match":{"detector":"stratum"},"reason":"r","expires":"soon"}]},
         "trails":[{"type":"fqdn","value":"x"}]}
        """);
    Files.writeString(dir.resolve("..data"), "ignored: ConfigMap machinery");
    Files.writeString(dir.resolve("notes.txt"), "not a policy");
    assertThatThrownBy(() -> PolicyDirectory.load(dir))
        .isInstanceOf(PolicyException.class)
        .satisfies(
            e -> {
              List<String> p = ((PolicyException) e).problems();
              assertThat(p).noneMatch(s -> s.startsWith("a-good.json"));
              assertThat(p).anyMatch(s -> s.startsWith("b-broken.json: not valid JSON"));
              assertThat(p)
                  .anyMatch(
                      s ->
                          s.equals(
                              "c-schema.json: schema must be 1, got 2"
                                  + " (a sensor or agent older than the operator?)"));
              assertThat(p)
                  .anyMatch(s -> s.startsWith("d-fields.json: spec.mode must be enforce or shadow"))
                  .anyMatch(s -> s.startsWith("d-fields.json: spec.tls.ja3[0].value"))
                  .anyMatch(
                      s -> s.startsWith("d-fields.json: spec.connectBack.internalNetworks: prefix"))
                  .anyMatch(s -> s.contains("spec.connectBack.severity: severity must be one of"))
                  .anyMatch(s -> s.contains("spec.suppressions[0].expires: not an RFC 3339 time"))
                  .anyMatch(s -> s.contains("trails[0].type must be ip, ip_port, cidr"));
            });
  }

  @Test
  void aSingleFileLoadsLikeADirectoryOfOne() throws IOException {
    PolicyDirectory.Loaded l = PolicyDirectory.load(samples().resolve("site-baseline.json"));
    assertThat(l.sources()).containsExactly("vigil-system/site-baseline@3");
    assertThatThrownBy(() -> PolicyDirectory.load(dir.resolve("missing")))
        .hasMessageContaining("missing: not a readable file or directory");
  }

  @Test
  void suppressionsMatchEverySetCriterionUntilExpiry() throws IOException {
    PolicyDocument site =
        PolicyDirectory.load(samples().resolve("site-baseline.json")).policies().get(0);
    PolicyDocument.Suppression cfd = site.suppressions().get(0);
    long[] src = Cidr.hiLo("10.20.3.4");
    long[] dst = Cidr.hiLo("192.0.2.10");
    long[] other = Cidr.hiLo("192.0.2.11");
    Instant before = Instant.parse("2027-06-29T23:59:59Z");
    Instant at = Instant.parse("2027-06-30T00:00:00Z");
    assertThat(
            cfd.matches("connect-back", true, src[0], src[1], dst[0], dst[1], null, null, before))
        .isTrue();
    assertThat(cfd.matches("connect-back", true, src[0], src[1], dst[0], dst[1], null, null, at))
        .as("expired")
        .isFalse();
    assertThat(cfd.matches("trail", true, src[0], src[1], dst[0], dst[1], null, null, before))
        .isFalse();
    assertThat(
            cfd.matches(
                "connect-back", true, src[0], src[1], other[0], other[1], null, null, before))
        .isFalse();
    assertThat(cfd.matches("connect-back", false, 0, 0, 0, 0, null, null, before)).isFalse();
    PolicyDocument.Suppression tor = site.suppressions().get(1);
    assertThat(
            tor.matches(
                "tls-blocklist",
                true,
                0,
                0,
                0,
                0,
                "E7D705A3286E19EA42F587B344EE6865",
                "login01",
                Instant.parse("2026-01-01T00:00:00Z")))
        .isTrue();
    assertThat(
            tor.matches(
                "tls-blocklist",
                true,
                0,
                0,
                0,
                0,
                "e7d705a3286e19ea42f587b344ee6865",
                null,
                Instant.parse("2026-01-01T00:00:00Z")))
        .as("node unknown to a sensor: no match")
        .isFalse();
  }

  @Test
  void watcherSwapsOnChangeAndKeepsTheLastGoodVersion() throws Exception {
    Path p = dir.resolve("p.json");
    Files.writeString(p, policy("enforce", 1));
    List<String> log = new ArrayList<>();
    try (PolicyWatcher<String> w =
        new PolicyWatcher<>(dir, l -> String.join(",", l.sources()), log::add)) {
      assertThat(w.current()).isEqualTo("ns/p@1");
      assertThat(w.poll()).isFalse();

      Files.writeString(p, policy("enforce", 2));
      assertThat(w.poll()).isTrue();
      assertThat(w.current()).isEqualTo("ns/p@2");
      assertThat(w.reloads()).isEqualTo(1);

      Files.writeString(p, "{\"schema\":1,\"name\":\"p\",\"spec\":{\"mode\":\"sometimes\"}}");
      assertThat(w.poll()).isFalse();
      assertThat(w.poll()).isFalse();
      assertThat(w.current()).isEqualTo("ns/p@2");
      assertThat(w.failures()).isEqualTo(1);
      assertThat(log)
          .filteredOn(s -> s.startsWith("policy not reloaded, keeping the previous one"))
          .hasSize(1)
          .allMatch(s -> s.contains("p.json: spec.mode must be enforce or shadow"));

      Files.writeString(dir.resolve("q.json"), policy("shadow", 7).replace("\"p\"", "\"q\""));
      Files.writeString(p, policy("enforce", 3));
      assertThat(w.poll()).isTrue();
      assertThat(w.current()).isEqualTo("ns/p@3,ns/q@7");

      Files.delete(dir.resolve("q.json"));
      w.start(java.time.Duration.ofMillis(20));
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!w.current().equals("ns/p@3") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(w.current()).isEqualTo("ns/p@3");
    }
  }

  @Test
  void aCompileErrorRejectsTheVersionToo() throws Exception {
    Path p = dir.resolve("p.json");
    Files.writeString(p, policy("enforce", 1));
    List<String> log = new ArrayList<>();
    try (PolicyWatcher<Long> w =
        new PolicyWatcher<>(
            dir,
            l -> {
              long g = l.policies().get(0).generation();
              if (g == 2) {
                throw new IllegalArgumentException("p.json: generation 2 is cursed");
              }
              return g;
            },
            log::add)) {
      Files.writeString(p, policy("enforce", 2));
      assertThat(w.poll()).isFalse();
      assertThat(w.current()).isEqualTo(1L);
      assertThat(log.getLast()).contains("generation 2 is cursed");
    }
  }

  static String policy(String mode, int generation) {
    return """
        {"schema":1,"name":"p","namespace":"ns","generation":%d,
         "spec":{"mode":"%s","stratum":{"enabled":true}},"trails":[]}
        """
        .formatted(generation, mode);
  }
}
