package dev.vigil.router;

import java.net.URI;
import java.util.Objects;

/**
 * Where a route's notifications go, with its secrets already resolved. {@link #toString()} never
 * prints a routing key, a token or a webhook URL (Slack's embeds its token in the path).
 */
public sealed interface Target {

  /** PagerDuty Events API v2 with an integration's routing key. */
  record PagerDuty(String routingKey, URI eventsUrl) implements Target {
    public static final URI DEFAULT_EVENTS_URL =
        URI.create("https://events.pagerduty.com/v2/enqueue");

    public PagerDuty {
      Objects.requireNonNull(routingKey, "routingKey");
      Objects.requireNonNull(eventsUrl, "eventsUrl");
    }

    @Override
    public String toString() {
      return "PagerDuty[" + Redact.url(eventsUrl) + ", routingKey=***]";
    }
  }

  /** A Slack incoming webhook; the URL is the secret. */
  record Slack(URI webhookUrl) implements Target {
    public Slack {
      Objects.requireNonNull(webhookUrl, "webhookUrl");
    }

    @Override
    public String toString() {
      return "Slack[" + Redact.url(webhookUrl) + "]";
    }
  }

  /** A generic JSON POST receiver, with an optional bearer token. */
  record Webhook(URI url, String bearerToken) implements Target {
    public Webhook {
      Objects.requireNonNull(url, "url");
    }

    @Override
    public String toString() {
      return "Webhook[" + Redact.url(url) + (bearerToken == null ? "" : ", token=***") + "]";
    }
  }
}
