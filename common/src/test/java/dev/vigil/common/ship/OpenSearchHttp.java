package dev.vigil.common.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Just enough OpenSearch REST for the ITs to check what the shipper did, independently of it. */
final class OpenSearchHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;

  OpenSearchHttp(URI base) {
    this.base = base;
  }

  JsonNode call(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  long count(String indexPattern) throws IOException, InterruptedException {
    call("POST", "/" + indexPattern + "/_refresh", null);
    return call("GET", "/" + indexPattern + "/_count", null).path("count").asLong(-1);
  }
}
