package dev.vigil.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One JSON request to a test OpenSearch node, for tests that check what landed in it. */
public final class OpenSearchCalls {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private OpenSearchCalls() {}

  /**
   * Sends {@code body} (or none) and returns the JSON answer.
   *
   * @throws AssertionError naming the request and the answer when the status is not 2xx
   */
  public static JsonNode call(URI base, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new AssertionError(
          method + " " + path + " -> HTTP " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }
}
