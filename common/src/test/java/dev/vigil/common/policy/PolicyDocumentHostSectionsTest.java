package dev.vigil.common.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sections only the host agent acts on: silentMiner, internetNodes, suppression details. */
class PolicyDocumentHostSectionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static PolicyDocument read(String json, List<String> problems) throws Exception {
    return PolicyDocument.read("p.json", JSON.readTree(json), problems);
  }

  @Test
  void silentMinerThresholdsAreNumbersInTheirUnits() throws Exception {
    List<String> problems = new ArrayList<>();
    PolicyDocument d =
        read(
            """
            {"schema":1,"name":"p","namespace":"ns","internetNodes":["login01","dtn01"],
             "spec":{"silentMiner":{"cpuPercentAbove":95,"gpuUtilizationAbove":90,
               "memoryPerCoreBelow":"128Mi","gpuMemoryBelow":"1Gi","sustainedFor":"1h30m"}}}
            """,
            problems);
    assertThat(problems).isEmpty();
    PolicyDocument.SilentMinerRule m = d.silentMiner();
    assertThat(m.enabled()).isTrue();
    assertThat(m.cpuPercentAbove()).isEqualTo(95.0);
    assertThat(m.gpuUtilizationAbove()).isEqualTo(90.0);
    assertThat(m.memoryPerCoreBelowMiB()).isEqualTo(128.0);
    assertThat(m.gpuMemoryBelowMiB()).isEqualTo(1024.0);
    assertThat(m.sustainedForSeconds()).isEqualTo(5400.0);
    assertThat(m.severity()).as("the CRD default").isEqualTo(Severity.HIGH);
    assertThat(d.internetNodes()).containsExactly("login01", "dtn01");

    PolicyDocument bare = read("{\"schema\":1,\"name\":\"p\",\"spec\":{}}", problems);
    assertThat(bare.silentMiner()).isNull();
    assertThat(bare.internetNodes()).as("an older operator: no node exempt").isEmpty();
    PolicyDocument off =
        read(
            "{\"schema\":1,\"name\":\"p\",\"spec\":{\"silentMiner\":{\"enabled\":false}}}",
            problems);
    assertThat(off.silentMiner().enabled()).isFalse();
    assertThat(off.silentMiner().cpuPercentAbove()).as("absent: the consumer's default").isNull();
    assertThat(problems).isEmpty();
  }

  @Test
  void badHostSectionsAreNamed() throws Exception {
    List<String> problems = new ArrayList<>();
    assertThat(
            read(
                """
                {"schema":1,"name":"p","internetNodes":"login01",
                 "spec":{"silentMiner":{"cpuPercentAbove":150,"memoryPerCoreBelow":"lots",
                   "sustainedFor":"20 minutes","severity":"loud"}}}
                """,
                problems))
        .isNull();
    assertThat(problems)
        .anyMatch(
            p -> p.startsWith("spec.silentMiner.cpuPercentAbove must be a number in (0, 100]"))
        .anyMatch(p -> p.startsWith("spec.silentMiner.memoryPerCoreBelow: bad quantity lots"))
        .anyMatch(p -> p.startsWith("spec.silentMiner.sustainedFor: bad duration"))
        .anyMatch(p -> p.startsWith("spec.silentMiner.severity: severity must be one of"))
        .anyMatch(p -> p.equals("internetNodes must be a list of node names"));
    problems.clear();
    assertThat(read("{\"schema\":1,\"name\":\"p\",\"spec\":{\"silentMiner\":3}}", problems))
        .isNull();
    assertThat(problems).containsExactly("spec.silentMiner not an object");
  }

  @Test
  void suppressionsKeepTheirIndexAndRejectWhatWouldWidenThem() throws Exception {
    List<String> problems = new ArrayList<>();
    List<PolicyDocument.Suppression> s =
        PolicyDocument.readSuppressions(
            JSON.readTree(
                """
                [{"match":{},"reason":"x","expires":"2027-01-01T00:00:00Z"},
                 {"match":{"colour":"red"},"reason":"x","expires":"2027-01-01T00:00:00Z"},
                 {"match":{"node":"a"},"expires":"tomorrow"},
                 {"match":{"node":""},"reason":"x","expires":"2027-01-01T00:00:00Z"},
                 {"match":{"node":"a","detector":"connect-back"},"reason":"ok",
                  "expires":"2027-01-01T00:00:00Z"}]
                """),
            problems);
    assertThat(problems)
        .anyMatch(p -> p.startsWith("spec.suppressions[0].match needs at least one"))
        .anyMatch(p -> p.equals("spec.suppressions[1].match.colour: unknown field"))
        .anyMatch(p -> p.equals("spec.suppressions[2].reason missing"))
        .anyMatch(p -> p.startsWith("spec.suppressions[2].expires: not an RFC 3339 time"))
        .anyMatch(p -> p.equals("spec.suppressions[3].match.node must be a non-empty string"));
    assertThat(s)
        .singleElement()
        .satisfies(
            one -> {
              assertThat(one.index()).isEqualTo(4);
              assertThat(one.node()).isEqualTo("a");
              assertThat(one.reason()).isEqualTo("ok");
              assertThat(one.expires()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
            });
  }
}
