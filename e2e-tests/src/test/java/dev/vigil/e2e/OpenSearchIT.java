package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.OpenSearchEndpoint;
import dev.vigil.testing.WithOpenSearch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The harness gives ITs a real OpenSearch 3.x node running in its own JVM. */
@WithOpenSearch
class OpenSearchIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void indexesAndSearchesConnRecords(OpenSearchEndpoint os) throws Exception {
    String index = "it-conn-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36);
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"C").append(i);
      bulk.append("\"}}\n");
      bulk.append(
          String.format(
              Locale.ROOT,
              "{\"ts\":%d,\"id.orig_h\":\"10.1.%d.%d\",\"id.resp_p\":%d,\"proto\":\"tcp\","
                  + "\"orig_bytes\":%d}\n",
              1_700_000_000L + i,
              i / 10,
              i % 10,
              i % 5 == 0 ? 3333 : 443,
              i * 100));
    }
    JsonNode bulkResult =
        call(
            "POST",
            os.url().resolve("/_bulk?refresh=true"),
            bulk.toString(),
            "application/x-ndjson");
    assertThat(bulkResult.path("errors").asBoolean(true)).isFalse();
    assertThat(bulkResult.path("items")).hasSize(50);

    JsonNode hits =
        call(
            "POST",
            os.url().resolve("/" + index + "/_search"),
            "{\"query\":{\"term\":{\"id.resp_p\":3333}},\"size\":20,\"sort\":[{\"ts\":\"asc\"}]}",
            "application/json");
    assertThat(hits.path("hits").path("total").path("value").asInt()).isEqualTo(10);
    assertThat(hits.path("hits").path("hits").get(0).path("_id").asText()).isEqualTo("C0");
    assertThat(hits.path("hits").path("hits").get(1).path("_source").path("orig_bytes").asLong())
        .isEqualTo(500);
  }

  @Test
  void nodeIsOpenSearch3(OpenSearchEndpoint os) throws Exception {
    JsonNode root = call("GET", os.url().resolve("/"), null, null);
    assertThat(root.path("version").path("distribution").asText()).isEqualTo("opensearch");
    assertThat(root.path("version").path("number").asText()).startsWith("3.");
  }

  private JsonNode call(String method, URI uri, String body, String contentType)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.method(method, HttpRequest.BodyPublishers.ofString(body))
          .header("Content-Type", contentType);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return JSON.readTree(r.body());
  }
}
