package dev.vigil.router;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs one notification with retries: 429, 5xx and connection errors back off (doubling from
 * {@code retryMin} to {@code retryMax}, or the receiver's {@code Retry-After} up to {@code
 * retryMax}); other statuses are final. Log lines name the route and the receiver's host only.
 */
final class Notifier {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

  enum Outcome {
    DELIVERED,
    /** Still failing after every attempt: try again in a later poll. */
    RETRY_LATER,
    /** The receiver refused it (a 4xx other than 429): retrying cannot help. */
    REJECTED
  }

  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** Asked before every attempt whether this router may still send (it holds the lease). */
  interface Permit {
    void check() throws IOException, InterruptedException;
  }

  private final HttpClient http;
  private final RouterConfig.Timing timing;
  private final Sleeper sleeper;

  Notifier(HttpClient http, RouterConfig.Timing timing, Sleeper sleeper) {
    this.http = http;
    this.timing = timing;
    this.sleeper = sleeper;
  }

  /**
   * @throws IOException from {@code permit} only: this router may no longer send (nothing more was
   *     sent)
   */
  Outcome post(
      String route,
      URI url,
      String bearerToken,
      String json,
      Collection<String> secrets,
      Permit permit)
      throws IOException, InterruptedException {
    Duration backoff = timing.retryMin();
    String where = "route " + route + " (" + Redact.url(url) + ")";
    for (int attempt = 1; ; attempt++) {
      HttpRequest.Builder req =
          HttpRequest.newBuilder(url)
              .timeout(timing.requestTimeout())
              .header("Content-Type", "application/json")
              .header("User-Agent", "vigil-alert-router")
              .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
      if (bearerToken != null) {
        req.header("Authorization", "Bearer " + bearerToken);
      }
      permit.check();
      Duration wait = backoff;
      String problem;
      try {
        HttpResponse<String> r =
            http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int s = r.statusCode();
        if (s / 100 == 2) {
          return Outcome.DELIVERED;
        }
        problem = "HTTP " + s + ": " + Redact.scrub(abbreviate(r.body()), secrets);
        if (s != 429 && s / 100 != 5) {
          LOG.error("{} refused a notification: {}", where, problem);
          return Outcome.REJECTED;
        }
        OptionalLong after = r.headers().firstValueAsLong("Retry-After");
        if (after.isPresent() && after.getAsLong() >= 0) {
          wait = Duration.ofSeconds(after.getAsLong());
        }
      } catch (IOException e) {
        problem = e.getClass().getSimpleName() + ": " + Redact.scrub(e.getMessage(), secrets);
      }
      if (attempt >= timing.attempts()) {
        LOG.warn("{} failed {} times, last: {}; will try again", where, attempt, problem);
        return Outcome.RETRY_LATER;
      }
      LOG.info("{} attempt {} failed ({}); retrying", where, attempt, problem);
      sleeper.sleep(min(wait, timing.retryMax()));
      backoff = min(backoff.multipliedBy(2), timing.retryMax());
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
