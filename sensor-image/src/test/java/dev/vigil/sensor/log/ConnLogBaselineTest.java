package dev.vigil.sensor.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sensor.testutil.Scenarios;
import dev.vigil.sensor.testutil.SensorRun;
import dev.vigil.sensor.testutil.Trace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Zeek-btest style: each scenario trace is written as a pcap, run through the CLI, and its conn.log
 * diffed against {@code src/test/resources/baselines/<name>.conn.log} (and its ssl.log against
 * {@code <name>.ssl.log} when the scenario has TLS connections).
 *
 * <p>To regenerate after an intended change (then review the diff with git):
 *
 * <pre>
 *   ./mvnw -pl sensor-image test -Dtest=ConnLogBaselineTest -Dvigil.updateBaselines=true
 * </pre>
 */
class ConnLogBaselineTest {
  /** Extra CLI options per scenario. */
  static final Map<String, String[]> OPTIONS =
      Map.of("elephant", new String[] {"--bypass-packets", "20"});

  static Stream<Arguments> scenarios() {
    List<Arguments> l = new ArrayList<>();
    for (Map.Entry<String, Supplier<Trace>> e : Scenarios.all().entrySet()) {
      l.add(Arguments.of(e.getKey(), e.getValue()));
    }
    return l.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void connLogMatchesBaseline(String name, Supplier<Trace> trace, @TempDir Path dir)
      throws Exception {
    SensorRun run = SensorRun.run(trace.get(), dir, OPTIONS.getOrDefault(name, new String[0]));
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    Path baselines = Path.of(System.getProperty("vigil.baselines", "src/test/resources/baselines"));
    Path baseline = baselines.resolve(name + ".conn.log");
    if (Boolean.getBoolean("vigil.updateBaselines")) {
      Files.createDirectories(baselines);
      Files.writeString(baseline, run.connLog(), StandardCharsets.UTF_8);
    }
    assertThat(baseline)
        .as("baseline missing; regenerate with -Dvigil.updateBaselines=true and review it")
        .exists();
    assertThat(run.connLog())
        .as("conn.log of %s differs from %s", name, baseline)
        .isEqualTo(Files.readString(baseline, StandardCharsets.UTF_8));
    // ssl.log: a baseline exists exactly for the scenarios that have TLS connections
    Path sslBaseline = baselines.resolve(name + ".ssl.log");
    if (Boolean.getBoolean("vigil.updateBaselines") && !run.sslLog().isEmpty()) {
      Files.writeString(sslBaseline, run.sslLog(), StandardCharsets.UTF_8);
    }
    String expectedSsl =
        Files.exists(sslBaseline) ? Files.readString(sslBaseline, StandardCharsets.UTF_8) : "";
    assertThat(run.sslLog())
        .as("ssl.log of %s differs from %s", name, sslBaseline)
        .isEqualTo(expectedSsl);
    // dns.log and http.log likewise: a baseline exactly for the scenarios that have some
    for (String[] log : new String[][] {{"dns", run.dnsLog()}, {"http", run.httpLog()}}) {
      Path b = baselines.resolve(name + "." + log[0] + ".log");
      if (Boolean.getBoolean("vigil.updateBaselines") && !log[1].isEmpty()) {
        Files.writeString(b, log[1], StandardCharsets.UTF_8);
      }
      String expected = Files.exists(b) ? Files.readString(b, StandardCharsets.UTF_8) : "";
      assertThat(log[1]).as("%s.log of %s differs from %s", log[0], name, b).isEqualTo(expected);
    }
  }
}
