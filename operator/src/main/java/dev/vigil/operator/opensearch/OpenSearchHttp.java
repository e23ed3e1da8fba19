package dev.vigil.operator.opensearch;

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A small OpenSearch REST client on {@code java.net.http} (no Netty on the operator's classpath),
 * bound to the first endpoint that answered. Credentials go into the Authorization header only;
 * nothing here puts them in a message.
 */
public final class OpenSearchHttp implements AutoCloseable {

  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: HTTP status and body. */
  public record Response(int status, String body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  /** Basic-auth credentials; {@link #toString()} never shows the password. */
  public record Credentials(String username, String password) {
    String header() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Credentials[" + username + "]";
    }
  }

  /** No endpoint answered; the message names each endpoint and its error, never a credential. */
  public static final class UnreachableException extends Exception {
    public UnreachableException(String message) {
      super(message);
    }
  }

  private final HttpClient http;
  private final URI base;
  private final String endpoint;
  private final Credentials credentials;

  private OpenSearchHttp(HttpClient http, URI base, String endpoint, Credentials credentials) {
    this.http = http;
    this.base = base;
    this.endpoint = endpoint;
    this.credentials = credentials;
  }

  /**
   * Connects to the first of {@code endpoints} whose {@code GET /} succeeds.
   *
   * @param credentials null for no authentication
   * @param ssl null for the JDK's default trust
   */
  public static OpenSearchHttp connect(
      List<String> endpoints, Credentials credentials, SSLContext ssl) throws UnreachableException {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (ssl != null) {
      b.sslContext(ssl);
    }
    HttpClient http = b.build();
    List<String> errors = new ArrayList<>();
    for (String e : endpoints) {
      String shown = redact(e);
      URI base;
      try {
        base = URI.create(e.endsWith("/") ? e.substring(0, e.length() - 1) : e);
      } catch (IllegalArgumentException ex) {
        errors.add(shown + " (not a URL)");
        continue;
      }
      OpenSearchHttp c = new OpenSearchHttp(http, base, shown, credentials);
      try {
        Response r = c.send("GET", "/", null);
        if (r.ok()) {
          return c;
        }
        errors.add(
            shown
                + (r.status() == 401 || r.status() == 403
                    ? " (refused the credentials: HTTP " + r.status() + ")"
                    : " (HTTP " + r.status() + ")"));
      } catch (IOException ex) {
        errors.add(shown + " (" + describe(ex) + ")");
      }
    }
    http.close();
    throw new UnreachableException("no OpenSearch endpoint answered: " + String.join(", ", errors));
  }

  /** The endpoint in use, without any user info. */
  public String endpoint() {
    return endpoint;
  }

  public Response get(String path) throws IOException {
    return send("GET", path, null);
  }

  public Response put(String path, JsonNode body) throws IOException {
    return send("PUT", path, JSON.writeValueAsString(body));
  }

  public Response delete(String path) throws IOException {
    return send("DELETE", path, null);
  }

  private Response send(String method, String path, String body) throws IOException {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json");
    if (credentials != null) {
      r.header("Authorization", credentials.header());
    }
    if (body != null) {
      r.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    } else {
      r.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> resp =
          http.send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(resp.statusCode(), resp.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    http.close();
  }

  /**
   * Exception class and message, e.g. {@code ConnectException}; the JDK's messages hold no secrets.
   */
  static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  /** {@code https://user:pw@host:9200} → {@code https://host:9200}. */
  static String redact(String endpoint) {
    return endpoint.replaceFirst("^(https?://)[^/@]*@", "$1");
  }

  /** A TLS context trusting exactly the certificates of a PEM bundle. */
  public static SSLContext trusting(String pem) throws GeneralSecurityException, IOException {
    return TrustedCa.fromPem(pem);
  }
}
