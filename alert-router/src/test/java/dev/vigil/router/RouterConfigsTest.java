package dev.vigil.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.SecretKeyRef;
import dev.vigil.api.v1alpha1.SecretName;
import dev.vigil.api.v1alpha1.Severity;
import dev.vigil.api.v1alpha1.spec.AlertPipelineSpec;
import dev.vigil.api.v1alpha1.spec.OpenSearch;
import dev.vigil.api.v1alpha1.spec.PagerDutyTarget;
import dev.vigil.api.v1alpha1.spec.RateLimit;
import dev.vigil.api.v1alpha1.spec.Route;
import dev.vigil.api.v1alpha1.spec.SlackTarget;
import dev.vigil.api.v1alpha1.spec.WebhookTarget;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterConfigsTest {
  private static final URI PD = URI.create("http://127.0.0.1:9/v2/enqueue");
  private static final String SLACK_URL =
      "https://hooks.slack.example/services/T000/B000/slacktokensecret";
  private static final Map<String, String> SECRETS =
      Map.of(
          "os-writer/username", "writer",
          "os-writer/password", "os-pass-secret",
          "pd/routing-key", "pd-routing-key-secret",
          "slack/url", SLACK_URL,
          "hook/url", "https://siem.example/ingest?token=querysecret",
          "hook/token", "bearer-secret");

  private static final RouterConfigs.SecretLookup LOOKUP = (n, k) -> SECRETS.get(n + "/" + k);

  private static SecretKeyRef ref(String name, String key) {
    SecretKeyRef r = new SecretKeyRef();
    r.setName(name);
    r.setKey(key);
    return r;
  }

  static AlertPipelineSpec spec() {
    AlertPipelineSpec s = new AlertPipelineSpec();
    OpenSearch os = new OpenSearch();
    os.setEndpoints(List.of("https://os-0:9200", "https://os-1:9200"));
    SecretName creds = new SecretName();
    creds.setName("os-writer");
    os.setCredentialsSecretRef(creds);
    os.setIndexPrefix("site");
    s.setOpensearch(os);

    Route page = new Route();
    page.setName("page-critical");
    page.setMinSeverity(Severity.CRITICAL);
    page.setDetectors(List.of("stratum-mining", "ja4-blocklist"));
    PagerDutyTarget pd = new PagerDutyTarget();
    pd.setRoutingKeySecretRef(ref("pd", "routing-key"));
    page.setPagerDuty(pd);

    Route chat = new Route();
    chat.setName("soc-chat");
    SlackTarget slack = new SlackTarget();
    slack.setWebhookSecretRef(ref("slack", "url"));
    chat.setSlack(slack);

    Route siem = new Route();
    siem.setName("siem");
    siem.setMinSeverity(Severity.LOW);
    WebhookTarget hook = new WebhookTarget();
    hook.setUrlSecretRef(ref("hook", "url"));
    hook.setTokenSecretRef(ref("hook", "token"));
    siem.setWebhook(hook);

    s.setRoutes(List.of(page, chat, siem));
    s.setDedupWindow("1h30m");
    RateLimit rl = new RateLimit();
    rl.setPerMinute(12);
    rl.setBurst(3);
    s.setRateLimit(rl);
    return s;
  }

  @Test
  void routeDetectorsSelectByTheApiNamesOfTheRulesSensorsAndAgentsRaise() {
    RouteConfig miners =
        new RouteConfig(
            "miners",
            47,
            Set.of("stratum", "silent-miner"),
            new Target.Slack(URI.create(SLACK_URL)));
    assertThat(miners.matches("StratumMining", 73)).isTrue();
    assertThat(miners.matches("MinerExecutable", 73)).isTrue();
    assertThat(miners.matches("SilentMiner", 47)).isTrue();
    assertThat(miners.matches("ConnectBack", 99)).isFalse();
    assertThat(miners.matches("StratumMining", 21)).isFalse();
  }

  @Test
  void buildsRoutesWithResolvedSecretsSeveritiesAndWindow() {
    RouterConfig c = RouterConfigs.from(spec(), LOOKUP, PD, RouterConfig.Timing.DEFAULT);

    assertThat(c.openSearch().endpoints())
        .containsExactly(URI.create("https://os-0:9200"), URI.create("https://os-1:9200"));
    assertThat(c.openSearch().username()).isEqualTo("writer");
    assertThat(c.openSearch().password()).isEqualTo("os-pass-secret");
    assertThat(c.openSearch().caPem()).isNull();
    assertThat(c.openSearch().alertsPattern()).isEqualTo("site-alerts-*");
    assertThat(c.openSearch().stateIndex()).isEqualTo("site-router-state");
    assertThat(c.dedupWindow()).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.rateLimit()).isEqualTo(new RouterConfig.RateLimitConfig(12, 3));

    assertThat(c.routes()).hasSize(3);
    RouteConfig page = c.routes().get(0);
    assertThat(page.minSeverity()).isEqualTo(99);
    assertThat(page.detectors()).isEqualTo(Set.of("stratum-mining", "ja4-blocklist"));
    assertThat(page.target()).isEqualTo(new Target.PagerDuty("pd-routing-key-secret", PD));
    assertThat(page.matches("stratum-mining", 99)).isTrue();
    assertThat(page.matches("stratum-mining", 73)).isFalse();
    assertThat(page.matches("ssh-bruteforce", 99)).isFalse();

    RouteConfig chat = c.routes().get(1);
    assertThat(chat.minSeverity()).as("CRD default high").isEqualTo(73);
    assertThat(chat.detectors()).isEmpty();
    assertThat(chat.matches("anything", 73)).isTrue();
    assertThat(chat.target()).isEqualTo(new Target.Slack(URI.create(SLACK_URL)));

    RouteConfig siem = c.routes().get(2);
    assertThat(siem.minSeverity()).isEqualTo(21);
    assertThat(siem.target())
        .isEqualTo(
            new Target.Webhook(
                URI.create("https://siem.example/ingest?token=querysecret"), "bearer-secret"));
  }

  @Test
  void defaultsWhenUnset() {
    AlertPipelineSpec s = spec();
    s.setDedupWindow(null);
    s.setRateLimit(null);
    s.setRoutes(null);
    s.getOpensearch().setCredentialsSecretRef(null);
    s.getOpensearch().setIndexPrefix(null);
    RouterConfig c = RouterConfigs.from(s, LOOKUP, PD, RouterConfig.Timing.DEFAULT);
    assertThat(c.dedupWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.rateLimit()).isEqualTo(RouterConfig.RateLimitConfig.DEFAULT);
    assertThat(c.routes()).isEmpty();
    assertThat(c.openSearch().username()).isNull();
    assertThat(c.openSearch().indexPrefix()).isEqualTo("vigil");
  }

  @Test
  void toStringPrintsNoSecret() {
    String s = RouterConfigs.from(spec(), LOOKUP, PD, RouterConfig.Timing.DEFAULT).toString();
    assertThat(s).contains("page-critical", "hooks.slack.example", "siem.example", "os-0");
    for (String secret :
        List.of(
            "os-pass-secret",
            "pd-routing-key-secret",
            "slacktokensecret",
            "querysecret",
            "bearer-secret",
            "T000")) {
      assertThat(s).doesNotContain(secret);
    }
  }

  @Test
  void missingSecretNamesSecretAndKeyButNoValue() {
    Map<String, String> partial = new java.util.HashMap<>(SECRETS);
    partial.remove("pd/routing-key");
    assertThatThrownBy(
            () ->
                RouterConfigs.from(
                    spec(), (n, k) -> partial.get(n + "/" + k), PD, RouterConfig.Timing.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Secret pd has no key routing-key");
  }

  @Test
  void webhookSecretThatIsNoUrlIsRefusedWithoutEchoingIt() {
    Map<String, String> bad = new java.util.HashMap<>(SECRETS);
    bad.put("slack/url", "xoxb-not-a-url-secret");
    assertThatThrownBy(
            () ->
                RouterConfigs.from(
                    spec(), (n, k) -> bad.get(n + "/" + k), PD, RouterConfig.Timing.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("route soc-chat: Secret slack key url is not an http(s) URL");
  }

  @Test
  void parsesTheCrdDurationGrammar() {
    assertThat(RouterConfigs.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(RouterConfigs.parseDuration("0s")).isEqualTo(Duration.ZERO);
    assertThat(RouterConfigs.parseDuration("2h3m4s")).isEqualTo(Duration.ofSeconds(7384));
    assertThatThrownBy(() -> RouterConfigs.parseDuration("5 minutes"))
        .hasMessageContaining("not a duration");
    assertThatThrownBy(() -> RouterConfigs.parseDuration(""))
        .hasMessageContaining("not a duration");
  }

  @Test
  void leaseMustOutlastTwoRequests() {
    RouterConfig.Timing d = RouterConfig.Timing.DEFAULT;
    assertThat(d.leaseTtl()).isGreaterThanOrEqualTo(d.requestTimeout().multipliedBy(2));
    assertThatThrownBy(
            () ->
                new RouterConfig.Timing(
                    d.pollInterval(),
                    d.retryMin(),
                    d.retryMax(),
                    d.attempts(),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(59)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaseTtl (PT59S) must be at least twice requestTimeout (PT30S)");
  }
}
