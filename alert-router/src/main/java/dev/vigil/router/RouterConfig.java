package dev.vigil.router;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the router needs, secrets resolved. Built from an AlertPipeline by {@link
 * RouterConfigs#from}; handed to {@link AlertRouter#update(RouterConfig)} when it changes. {@link
 * #toString()} prints no secret.
 *
 * @param openSearch where alerts are read and router state is kept
 * @param routes notification routes; an alert group goes to every route it matches
 * @param dedupWindow a group closes when no alert of its key was ingested for this long
 * @param rateLimit token bucket per route
 * @param timing poll interval, visibility lag and receiver retries
 */
public record RouterConfig(
    OpenSearchAccess openSearch,
    List<RouteConfig> routes,
    Duration dedupWindow,
    RateLimitConfig rateLimit,
    Timing timing) {

  public RouterConfig {
    Objects.requireNonNull(openSearch, "openSearch");
    routes = routes == null ? List.of() : List.copyOf(routes);
    Objects.requireNonNull(dedupWindow, "dedupWindow");
    Objects.requireNonNull(rateLimit, "rateLimit");
    Objects.requireNonNull(timing, "timing");
    if (dedupWindow.isNegative()) {
      throw new IllegalArgumentException("dedupWindow must not be negative");
    }
  }

  /**
   * OpenSearch connection.
   *
   * @param endpoints node URLs, tried in turn when one is unreachable
   * @param username basic-auth user, or null for none
   * @param password basic-auth password, or null
   * @param caPem PEM bundle of the CA that signed the node certificates, or null for the JDK's
   * @param indexPrefix alerts are read from {@code <prefix>-alerts-*}; state lives in {@code
   *     <prefix>-router-state}
   */
  public record OpenSearchAccess(
      List<URI> endpoints, String username, String password, String caPem, String indexPrefix) {
    public OpenSearchAccess {
      endpoints = List.copyOf(endpoints);
      if (endpoints.isEmpty()) {
        throw new IllegalArgumentException("at least one OpenSearch endpoint is needed");
      }
      Objects.requireNonNull(indexPrefix, "indexPrefix");
    }

    public String alertsPattern() {
      return indexPrefix + "-alerts-*";
    }

    public String stateIndex() {
      return indexPrefix + "-router-state";
    }

    @Override
    public String toString() {
      return "OpenSearchAccess[endpoints="
          + endpoints.stream().map(Redact::url).toList()
          + ", username="
          + username
          + ", password="
          + (password == null ? "none" : "***")
          + ", ca="
          + (caPem == null ? "jdk" : "pem")
          + ", indexPrefix="
          + indexPrefix
          + "]";
    }
  }

  /** The AlertPipeline's rateLimit: sustained notifications per minute and burst, per route. */
  public record RateLimitConfig(int perMinute, int burst) {
    public static final RateLimitConfig DEFAULT = new RateLimitConfig(30, 10);

    public RateLimitConfig {
      if (perMinute < 1 || burst < 1) {
        throw new IllegalArgumentException("perMinute and burst must be at least 1");
      }
    }
  }

  /**
   * Knobs with production defaults ({@link #DEFAULT}); tests shorten them.
   *
   * @param pollInterval pause between two reads of OpenSearch
   * @param retryMin first back-off after a receiver's 429/5xx or connection error, doubled up to
   *     {@code retryMax}
   * @param attempts tries per notification within one poll; a notification still failing is tried
   *     again in the next poll
   * @param requestTimeout per HTTP request, to OpenSearch and receivers
   * @param leaseTtl how long the router lease lasts after a renewal: a router that finds it silent
   *     this long takes it over; at least twice {@code requestTimeout}, so that a renewal leaves
   *     room for one more request
   */
  public record Timing(
      Duration pollInterval,
      Duration retryMin,
      Duration retryMax,
      int attempts,
      Duration requestTimeout,
      Duration leaseTtl) {
    public static final Timing DEFAULT =
        new Timing(
            Duration.ofSeconds(2),
            Duration.ofMillis(500),
            Duration.ofSeconds(30),
            5,
            Duration.ofSeconds(30),
            Duration.ofSeconds(60));

    public Timing {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1");
      }
      if (leaseTtl.compareTo(requestTimeout.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException(
            "leaseTtl ("
                + leaseTtl
                + ") must be at least twice requestTimeout ("
                + requestTimeout
                + ")");
      }
    }
  }
}
