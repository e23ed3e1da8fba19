package dev.vigil.router;

import dev.vigil.api.v1alpha1.SecretKeyRef;
import dev.vigil.api.v1alpha1.spec.AlertPipelineSpec;
import dev.vigil.api.v1alpha1.spec.OpenSearch;
import dev.vigil.api.v1alpha1.spec.RateLimit;
import dev.vigil.api.v1alpha1.spec.Route;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds a {@link RouterConfig} from an AlertPipeline spec: pure, no cluster. */
public final class RouterConfigs {
  private static final Pattern DURATION = Pattern.compile("^(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$");

  private RouterConfigs() {}

  /**
   * Reads one key of a Secret in the AlertPipeline's namespace. Returns null when the Secret or the
   * key is missing.
   */
  @FunctionalInterface
  public interface SecretLookup {
    String get(String secretName, String key);
  }

  /**
   * The router's configuration for {@code spec}.
   *
   * @param secrets the operator's Secret reader (values never leave the returned config)
   * @param pagerDutyEventsUrl the Events API v2 URL ({@link Target.PagerDuty#DEFAULT_EVENTS_URL} in
   *     production)
   * @param timing {@link RouterConfig.Timing#DEFAULT} in production
   * @throws IllegalArgumentException naming the Secret and key (never a value) when one is missing
   *     or a URL in a Secret is not an http(s) URL
   */
  public static RouterConfig from(
      AlertPipelineSpec spec,
      SecretLookup secrets,
      URI pagerDutyEventsUrl,
      RouterConfig.Timing timing) {
    OpenSearch os = spec.getOpensearch();
    if (os == null || os.getEndpoints() == null || os.getEndpoints().isEmpty()) {
      throw new IllegalArgumentException("spec.opensearch.endpoints is empty");
    }
    String user = null;
    String password = null;
    if (os.getCredentialsSecretRef() != null) {
      String name = os.getCredentialsSecretRef().getName();
      user = required(secrets, name, "username");
      password = required(secrets, name, "password");
    }
    String ca = os.getCaSecretRef() == null ? null : required(secrets, os.getCaSecretRef());
    RouterConfig.OpenSearchAccess access =
        new RouterConfig.OpenSearchAccess(
            os.getEndpoints().stream().map(URI::create).toList(),
            user,
            password,
            ca,
            os.getIndexPrefix() == null ? "vigil" : os.getIndexPrefix());

    List<RouteConfig> routes = new ArrayList<>();
    if (spec.getRoutes() != null) {
      for (Route r : spec.getRoutes()) {
        routes.add(route(r, secrets, pagerDutyEventsUrl));
      }
    }
    RateLimit rl = spec.getRateLimit();
    RouterConfig.RateLimitConfig rate =
        new RouterConfig.RateLimitConfig(
            rl == null || rl.getPerMinute() == null
                ? RouterConfig.RateLimitConfig.DEFAULT.perMinute()
                : rl.getPerMinute(),
            rl == null || rl.getBurst() == null
                ? RouterConfig.RateLimitConfig.DEFAULT.burst()
                : rl.getBurst());
    return new RouterConfig(
        access,
        routes,
        parseDuration(spec.getDedupWindow() == null ? "5m" : spec.getDedupWindow()),
        rate,
        timing);
  }

  static RouteConfig route(Route r, SecretLookup secrets, URI pagerDutyEventsUrl) {
    String where = "route " + r.getName();
    Target target;
    if (r.getPagerDuty() != null) {
      target =
          new Target.PagerDuty(
              required(secrets, r.getPagerDuty().getRoutingKeySecretRef()), pagerDutyEventsUrl);
    } else if (r.getSlack() != null) {
      SecretKeyRef ref = r.getSlack().getWebhookSecretRef();
      target = new Target.Slack(url(required(secrets, ref), where, ref));
    } else if (r.getWebhook() != null) {
      SecretKeyRef ref = r.getWebhook().getUrlSecretRef();
      SecretKeyRef token = r.getWebhook().getTokenSecretRef();
      target =
          new Target.Webhook(
              url(required(secrets, ref), where, ref),
              token == null ? null : required(secrets, token));
    } else {
      throw new IllegalArgumentException(where + " has no target");
    }
    return new RouteConfig(
        r.getName(),
        Severities.of(r.getMinSeverity()),
        r.getDetectors() == null ? null : new HashSet<>(r.getDetectors()),
        target);
  }

  /** {@code 1h30m}, {@code 5m}, {@code 0s} (the CRD's dedupWindow grammar). */
  public static Duration parseDuration(String s) {
    Matcher m = DURATION.matcher(s.trim());
    if (s.isBlank() || !m.matches()) {
      throw new IllegalArgumentException(
          "not a duration such as 5m or 1h30m: '" + s + "'"); // not a secret: a spec field
    }
    Duration d = Duration.ZERO;
    if (m.group(1) != null) {
      d = d.plusHours(Long.parseLong(m.group(1)));
    }
    if (m.group(2) != null) {
      d = d.plusMinutes(Long.parseLong(m.group(2)));
    }
    if (m.group(3) != null) {
      d = d.plusSeconds(Long.parseLong(m.group(3)));
    }
    return d;
  }

  private static URI url(String value, String where, SecretKeyRef ref) {
    URI u;
    try {
      u = URI.create(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          where + ": Secret " + ref.getName() + " key " + ref.getKey() + " is not a URL", null);
    }
    if (u.getScheme() == null
        || !(u.getScheme().equals("https") || u.getScheme().equals("http"))
        || u.getHost() == null) {
      throw new IllegalArgumentException(
          where + ": Secret " + ref.getName() + " key " + ref.getKey() + " is not an http(s) URL");
    }
    return u;
  }

  private static String required(SecretLookup secrets, SecretKeyRef ref) {
    return required(secrets, ref.getName(), ref.getKey());
  }

  private static String required(SecretLookup secrets, String name, String key) {
    String v = secrets.get(name, key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("Secret " + name + " has no key " + key);
    }
    return v.strip();
  }
}
