package dev.vigil.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.common.policy.PolicyDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuppressionsTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Alert CONNECT =
      new Alert(
          Alert.CONNECT_BACK,
          "curl connected to external 192.0.2.10:443",
          Map.of("src", "10.20.3.4", "sport", 40000, "dst", "192.0.2.10", "dport", 443));
  private static final Alert MINER =
      new Alert(Alert.MINER_EXECUTABLE, "xmrig", Map.of("exe", "/tmp/xmrig"));

  private static List<Suppressions.Suppression> parse(String json) throws Exception {
    List<String> problems = new ArrayList<>();
    List<Suppressions.Suppression> s =
        Suppressions.of(
            "ns/p", PolicyDocument.readSuppressions(new ObjectMapper().readTree(json), problems));
    assertThat(problems).isEmpty();
    return s;
  }

  private static Suppressions.Suppression one(String match, String expires) throws Exception {
    return parse("[{\"match\":" + match + ",\"reason\":\"SEC-1\",\"expires\":\"" + expires + "\"}]")
        .getFirst();
  }

  @Test
  void everyFieldSetMustMatch() throws Exception {
    Suppressions.Suppression s =
        one(
            "{\"detector\":\"connect-back\",\"source\":\"10.20.0.0/16\","
                + "\"destination\":\"192.0.2.10/32\"}",
            "2027-06-30T00:00:00Z");
    assertThat(s.id()).isEqualTo("ns/p#0");
    assertThat(s.matches(CONNECT, "cn001", NOW)).isTrue();
    assertThat(s.matches(CONNECT.with("dst", "192.0.2.11"), "cn001", NOW)).isFalse();
    assertThat(s.matches(CONNECT.with("src", "10.21.0.1"), "cn001", NOW)).isFalse();
    // an alert without the addresses does not match an address criterion
    assertThat(one("{\"source\":\"0.0.0.0/0\"}", "2027-01-01T00:00:00Z").matches(MINER, "n", NOW))
        .isFalse();
  }

  @Test
  void detectorNamesAreTheDetectorPolicyOnes() throws Exception {
    assertThat(
            one("{\"detector\":\"silent-miner\"}", "2027-01-01T00:00:00Z").matches(MINER, "n", NOW))
        .isTrue();
    assertThat(
            one("{\"detector\":\"silent-miner\"}", "2027-01-01T00:00:00Z")
                .matches(CONNECT, "n", NOW))
        .isFalse();
    assertThat(
            one("{\"detector\":\"connect-back\"}", "2027-01-01T00:00:00Z")
                .matches(CONNECT, "n", NOW))
        .isTrue();
  }

  @Test
  void nodeAndFingerprint() throws Exception {
    Suppressions.Suppression login = one("{\"node\":\"login01\"}", "2027-01-01T00:00:00Z");
    assertThat(login.matches(CONNECT, "login01", NOW)).isTrue();
    assertThat(login.matches(CONNECT, "cn001", NOW)).isFalse();
    // TLS fingerprints are the sensor's: never a host alert
    assertThat(
            one("{\"fingerprint\":\"e7d705a3286e19ea42f587b344ee6865\"}", "2027-01-01T00:00:00Z")
                .matches(CONNECT, "cn001", NOW))
        .isFalse();
  }

  @Test
  void anExpiredSuppressionNoLongerApplies() throws Exception {
    Suppressions.Suppression s =
        one("{\"detector\":\"connect-back\"}", "2026-11-23T13:00:00+01:00"); // 12:00Z
    assertThat(s.matches(CONNECT, "n", NOW.minusSeconds(1))).isTrue();
    assertThat(s.matches(CONNECT, "n", NOW)).isFalse();
    assertThat(Suppressions.find(List.of(s), CONNECT, "n", NOW)).isEmpty();
    assertThat(Suppressions.find(List.of(s), CONNECT, "n", NOW.minusSeconds(60))).contains(s);
  }

  @Test
  void problemsNameTheEntry() throws Exception {
    List<String> problems = new ArrayList<>();
    List<Suppressions.Suppression> s =
        Suppressions.of(
            "ns/p",
            PolicyDocument.readSuppressions(
                new ObjectMapper()
                    .readTree(
                        "[{\"match\":{},\"reason\":\"x\",\"expires\":\"2027-01-01T00:00:00Z\"},"
                            + "{\"match\":{\"colour\":\"red\"},\"reason\":\"x\","
                            + "\"expires\":\"2027-01-01T00:00:00Z\"},"
                            + "{\"match\":{\"node\":\"a\"},\"expires\":\"tomorrow\"},"
                            + "{\"match\":{\"node\":\"a\"},\"reason\":\"ok\","
                            + "\"expires\":\"2027-01-01T00:00:00Z\"}]"),
                problems));
    assertThat(problems)
        .anyMatch(p -> p.startsWith("spec.suppressions[0].match needs at least one"))
        .anyMatch(p -> p.equals("spec.suppressions[1].match.colour: unknown field"))
        .anyMatch(p -> p.equals("spec.suppressions[2].reason missing"))
        .anyMatch(p -> p.startsWith("spec.suppressions[2].expires: not an RFC 3339 time"));
    assertThat(s).extracting(Suppressions.Suppression::id).containsExactly("ns/p#3");
  }
}
