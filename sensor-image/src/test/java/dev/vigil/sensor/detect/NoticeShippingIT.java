package dev.vigil.sensor.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.common.schema.DataClass;
import dev.vigil.sensor.testutil.SensorRun;
import dev.vigil.sensor.testutil.Trace;
import dev.vigil.testing.OpenSearchCalls;
import dev.vigil.testing.OpenSearchEndpoint;
import dev.vigil.testing.WithOpenSearch;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts reach a real OpenSearch node next to notice.log: {@code <prefix>-alerts-*} holds exactly
 * the notice.log documents, with ids {@code <dedup key>@<uid>}; reading the capture again adds
 * nothing.
 */
@WithOpenSearch
class NoticeShippingIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static JsonNode call(URI base, String method, String path, String body) throws Exception {
    return OpenSearchCalls.call(base, method, path, body);
  }

  static Map<String, JsonNode> indexed(URI os, String prefix) throws Exception {
    String pattern = DataClass.ALERTS.indexPattern(prefix);
    call(os, "POST", "/" + pattern + "/_refresh", null);
    JsonNode hits =
        call(os, "POST", "/" + pattern + "/_search", "{\"size\":100,\"query\":{\"match_all\":{}}}")
            .path("hits")
            .path("hits");
    Map<String, JsonNode> out = new HashMap<>();
    for (JsonNode h : hits) {
      out.put(h.path("_id").asText(), h.path("_source"));
    }
    return out;
  }

  @Test
  void alertsLandOnceWithTheirDedupKeys(OpenSearchEndpoint os) throws Exception {
    Trace t = NoticeLogEndToEndTest.trace();
    String ja3 = SensorRun.run(t, dir.resolve("plain")).ssl(51000).get("ja3").asText();
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("site.json"), NoticeLogEndToEndTest.enforce(ja3));
    String prefix =
        "sd-it-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    String[] args = {
      "--policy-dir",
      policies.toString(),
      "--opensearch",
      os.url().toString(),
      "--index-prefix",
      prefix
    };
    SensorRun run = SensorRun.run(t, dir.resolve("run"), args);
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<String> lines = Files.readAllLines(dir.resolve("run/logs/notice.log"));
    assertThat(lines).hasSize(4);
    Map<String, JsonNode> expected = new HashMap<>();
    for (String l : lines) {
      JsonNode n = JSON.readTree(l);
      expected.put(n.at("/vigil/dedup_key").asText() + "@" + n.at("/zeek/session_id").asText(), n);
    }
    assertThat(indexed(os.url(), prefix)).as(run.stderr()).isEqualTo(expected);

    SensorRun again = SensorRun.run(t, dir.resolve("again"), args);
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.stderr()).contains("opensearch: 0 shipped");
    assertThat(indexed(os.url(), prefix)).isEqualTo(expected);
  }
}
