package dev.vigil.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.common.ship.TrustedCa;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;

/** Just enough OpenSearch REST over java.net.http, trying each endpoint in turn. */
final class OpenSearchClient {
  static final ObjectMapper JSON = new ObjectMapper();

  record Response(int status, String body) {
    boolean ok() {
      return status / 100 == 2;
    }

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  private final RouterConfig.OpenSearchAccess access;
  private final HttpClient http;
  private final String authorization;
  private final Duration timeout;
  private int current;

  OpenSearchClient(RouterConfig.OpenSearchAccess access, Duration timeout) {
    this.access = access;
    this.timeout = timeout;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1);
    if (access.caPem() != null) {
      b.sslContext(sslContext(access.caPem()));
    }
    this.http = b.build();
    this.authorization =
        access.username() == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (access.username() + ":" + access.password())
                            .getBytes(StandardCharsets.UTF_8));
  }

  Response get(String path) throws IOException, InterruptedException {
    return send("GET", path, null, "application/json");
  }

  Response put(String path, String body) throws IOException, InterruptedException {
    return send("PUT", path, body, "application/json");
  }

  Response post(String path, String body) throws IOException, InterruptedException {
    return send("POST", path, body, "application/json");
  }

  Response bulk(String ndjson) throws IOException, InterruptedException {
    return send(
        "POST",
        "/_bulk?filter_path=errors,items.*.status,items.*.error",
        ndjson,
        "application/x-ndjson");
  }

  Response delete(String path) throws IOException, InterruptedException {
    return send("DELETE", path, null, "application/json");
  }

  /** Sends to the current endpoint, moving to the next one on a connection error. */
  Response send(String method, String path, String body, String contentType)
      throws IOException, InterruptedException {
    List<URI> endpoints = access.endpoints();
    IOException last = null;
    for (int i = 0; i < endpoints.size(); i++) {
      URI base = endpoints.get((current + i) % endpoints.size());
      HttpRequest.Builder r =
          HttpRequest.newBuilder(base.resolve(path))
              .timeout(timeout)
              .header("Content-Type", contentType)
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      if (authorization != null) {
        r.header("Authorization", authorization);
      }
      try {
        HttpResponse<String> resp =
            http.send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        current = (current + i) % endpoints.size();
        return new Response(resp.statusCode(), resp.body());
      } catch (IOException e) {
        last =
            new IOException(
                "OpenSearch at "
                    + Redact.url(base)
                    + " unreachable: "
                    + e.getClass().getSimpleName());
      }
    }
    throw last;
  }

  /** An SSLContext trusting exactly the certificates of a PEM bundle. */
  static SSLContext sslContext(String pem) {
    try {
      return TrustedCa.fromPem(pem);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("the OpenSearch CA bundle is not valid PEM: " + e, e);
    }
  }
}
