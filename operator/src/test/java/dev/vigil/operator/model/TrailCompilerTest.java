package dev.vigil.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.spec.DetectorPolicySpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrailCompilerTest {

  private static final DetectorPolicySpec SPEC =
      Serialization.unmarshal(
          """
          trails:
            configMaps:
              - {name: maltrail, severity: high}
            inline:
              - {type: domain, value: c2.badcdn.example, severity: critical}
          """,
          DetectorPolicySpec.class);

  @ParameterizedTest
  @CsvSource({
    "203.0.113.45, ip",
    "2001:db8::beef, ip",
    "203.0.113.0/28, cidr",
    "2001:db8::/32, cidr",
    "203.0.113.45:3333, ip_port",
    "pool.minexmr.example, domain",
    "XMR-EU1.Pool.Example, domain",
    "http://203.0.113.45:3333/, url",
    "https://cdn-update.example/jquery-3.3.1.min.js, url"
  })
  void classifiesMaltrailLines(String line, String type) {
    assertThat(TrailCompiler.classify(line)).contains(type);
  }

  @ParameterizedTest
  @CsvSource({
    "not a trail",
    "300.1.1.1",
    "203.0.113.0/33",
    "localhost",
    "-bad-.example",
    "203.0.113.45:99999",
    "http://"
  })
  void rejectsWhatIsNoIndicator(String line) {
    assertThat(TrailCompiler.classify(line)).isEmpty();
  }

  @Test
  void compilesInlineAndConfigMapTrailsSkippingComments() {
    var r =
        TrailCompiler.compile(
            SPEC,
            name ->
                Optional.of(
                    Map.of(
                        "xmrig.txt",
                        "# Reference: incident 31\npool.minexmr.example\n\n203.0.113.45 # proxy\n")));
    assertThat(r.ok()).isTrue();
    assertThat(r.indicators())
        .extracting(TrailCompiler.Indicator::value)
        .containsExactly("c2.badcdn.example", "pool.minexmr.example", "203.0.113.45");
    assertThat(r.indicators().get(1).info()).isEqualTo("xmrig");
    assertThat(r.indicators().get(1).source()).isEqualTo("maltrail/xmrig.txt");
    assertThat(r.indicators().get(1).severity()).isEqualTo("high");
  }

  @Test
  void malformedLineIsNamedByConfigMapKeyAndLine() {
    var r =
        TrailCompiler.compile(
            SPEC,
            name ->
                Optional.of(
                    Map.of("feed.txt", "good.example\n# ok\nthis is not a trail\nbad line")));
    assertThat(r.ok()).isFalse();
    assertThat(r.rejectedLines()).isEqualTo(2);
    assertThat(r.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo("TrailMalformed");
              assertThat(p.message())
                  .isEqualTo(
                      "trail ConfigMap 'maltrail' key 'feed.txt' line 3: 'this is not a trail'"
                          + " is not an IP, IP:port, CIDR, domain or URL");
            });
  }

  @Test
  void missingConfigMapIsNamed() {
    var r = TrailCompiler.compile(SPEC, name -> Optional.empty());
    assertThat(r.problems())
        .extracting(TrailCompiler.Problem::message)
        .containsExactly("trail ConfigMap 'maltrail' does not exist in this namespace");
  }
}
