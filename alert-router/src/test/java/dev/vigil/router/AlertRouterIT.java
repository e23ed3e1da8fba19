package dev.vigil.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.common.schema.Alert;
import dev.vigil.common.schema.DataClass;
import dev.vigil.testing.OpenSearchEndpoint;
import dev.vigil.testing.WithOpenSearch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The router against a real OpenSearch node, with local HTTP receivers standing in for PagerDuty,
 * Slack and a webhook. Alerts are bulk-indexed the way the shipper writes them, into daily indices
 * of the alerts class named by their own {@code @timestamp}.
 */
@WithOpenSearch
class AlertRouterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofMinutes(4);
  private static final RouterConfig.Timing FAST =
      new RouterConfig.Timing(
          Duration.ofMillis(300),
          Duration.ofMillis(100),
          Duration.ofSeconds(1),
          5,
          Duration.ofSeconds(15),
          Duration.ofSeconds(30));
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static String prefix() {
    return "rt-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
  }

  private static Alert.Builder alert(String rule, int severity, String src) {
    return Alert.builder(Instant.now(), rule, severity)
        .message(rule + " seen")
        .source(src, 40000)
        .destination("203.0.113.9", 3333)
        .transport("tcp")
        .sensor("sensor-01", "border-1");
  }

  @Test
  void stormOfIdenticalAlertsPagesOnceSlacksOnceWithCountAndResolvesWhenQuiet(OpenSearchEndpoint os)
      throws Exception {
    String prefix = prefix();
    try (Receiver pd = new Receiver(202);
        Receiver slack = new Receiver(200);
        AlertRouter router = new AlertRouter(pageAndChat(os.url(), prefix, pd, slack))) {
      router.start();
      awaitState(os.url(), prefix);

      Alert a = alert("stratum-mining", 99, "10.1.1.1").build();
      bulk(os.url(), prefix, a, 100_000, 5_000);

      await(
          () -> pd.requests().size() >= 2 && slack.requests().size() >= 1,
          () ->
              "PagerDuty " + pd.requests() + " Slack " + slack.requests() + " " + router.metrics());
      quietFor(router); // nothing more arrives afterwards

      List<Receiver.Request> pages = pd.requests();
      assertThat(pages).as("%s", router.metrics()).hasSize(2);
      assertThat(pages.get(0).json().path("event_action").asText()).isEqualTo("trigger");
      assertThat(pages.get(0).json().path("dedup_key").asText()).isEqualTo(a.dedupKey());
      assertThat(pages.get(0).json().path("routing_key").asText()).isEqualTo("rk-page");
      assertThat(pages.get(0).json().at("/payload/severity").asText()).isEqualTo("critical");
      assertThat(pages.get(1).json().path("event_action").asText()).isEqualTo("resolve");
      assertThat(pages.get(1).json().path("dedup_key").asText()).isEqualTo(a.dedupKey());
      assertThat(pages.get(0).path()).isEqualTo("/v2/enqueue");

      assertThat(slack.requests()).hasSize(1);
      String text = slack.requests().getFirst().json().path("text").asText();
      assertThat(text).contains("\n100000 alerts from ").contains(a.dedupKey());

      assertThat(router.metrics().alertsRead()).isEqualTo(100_000);
      assertThat(router.metrics().groupsOpened()).isEqualTo(1);
      assertThat(router.metrics().groupsResolved()).isEqualTo(1);
      assertThat(router.metrics().notifications("page", RouterMetrics.SENT)).isEqualTo(2);
      assertThat(router.metrics().notifications("chat", RouterMetrics.SENT)).isEqualTo(1);
    }
  }

  @Test
  void restartMidStormNeitherPagesTwiceNorMissesAGroup(OpenSearchEndpoint os) throws Exception {
    String prefix = prefix();
    Alert a = alert("stratum-mining", 99, "10.1.1.1").build();
    Alert b = alert("ja4-blocklist", 73, "10.1.1.2").build();
    try (Receiver pd = new Receiver(202);
        Receiver slack = new Receiver(200)) {
      RouterConfig cfg = pageAndChat(os.url(), prefix, pd, slack);
      AlertRouter first = new AlertRouter(cfg);
      first.start();
      awaitState(os.url(), prefix);
      // Stop the router while the storm is on: as soon as it has paged.
      java.util.concurrent.CompletableFuture<Void> storm =
          java.util.concurrent.CompletableFuture.runAsync(
              () -> {
                try {
                  bulk(os.url(), prefix, a, 20_000, 2_000);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      await(() -> !pd.requests().isEmpty(), () -> "trigger " + pd.requests());
      first.close();
      assertThat(pd.requests()).as("stopped mid-storm, before any resolve").hasSize(1);
      storm.get();

      // While no router runs: the storm goes on, and another finding appears.
      bulk(os.url(), prefix, a, 20_000, 5_000);
      bulk(os.url(), prefix, b, 1, 1);

      try (AlertRouter second = new AlertRouter(cfg)) {
        second.start();
        await(
            () -> pd.requests().size() >= 4 && slack.requests().size() >= 2,
            () -> "PagerDuty " + pd.requests() + " Slack " + slack.requests() + second.metrics());
        quietFor(second);
        assertThat(second.metrics().groupsOpened()).as("b only: a was restored").isEqualTo(1);
      }

      List<String> events = pages(pd, key -> key.equals(a.dedupKey()) ? "a" : "b");
      assertThat(events)
          .containsExactlyInAnyOrder("trigger a", "trigger b", "resolve a", "resolve b");
      assertThat(events.getFirst()).isEqualTo("trigger a");

      List<String> texts =
          slack.requests().stream().map(r -> r.json().path("text").asText()).toList();
      assertThat(texts).hasSize(2);
      assertThat(texts)
          .anySatisfy(t -> assertThat(t).contains("\n40000 alerts from").contains(a.dedupKey()));
      assertThat(texts)
          .anySatisfy(t -> assertThat(t).contains("\n1 alert from").contains(b.dedupKey()));
    }
  }

  @Test
  void twoRoutersOnOnePipelineSendEachNotificationOnceAndHandOverOnClose(OpenSearchEndpoint os)
      throws Exception {
    String prefix = prefix();
    try (Receiver pd = new Receiver(202);
        Receiver slack = new Receiver(200)) {
      RouterConfig cfg = pageAndChat(os.url(), prefix, pd, slack);
      AlertRouter first = new AlertRouter(cfg);
      AlertRouter second = new AlertRouter(cfg);
      try {
        // Two operator leaders during a hand-over: both routers run on the same pipeline.
        first.start();
        second.start();
        awaitState(os.url(), prefix);
        await(
            () -> first.metrics().leaseHeld() || second.metrics().leaseHeld(),
            () -> "no router took the lease: " + first.metrics() + second.metrics());
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
          Alert a = alert("stratum-mining", 99, "10.4.0." + i).build();
          keys.add(a.dedupKey());
          bulk(os.url(), prefix, a, 1_000, 1_000);
        }
        await(
            () -> pd.requests().size() >= 10 && slack.requests().size() >= 5,
            () -> "PagerDuty " + pd.requests() + " Slack " + slack.requests());
        quietFor(first);
        List<String> events = pages(pd, key -> Integer.toString(keys.indexOf(key)));
        assertThat(events)
            .as("one trigger and one resolve per group, from one router")
            .containsExactlyInAnyOrder(
                "trigger 0",
                "trigger 1",
                "trigger 2",
                "trigger 3",
                "trigger 4",
                "resolve 0",
                "resolve 1",
                "resolve 2",
                "resolve 3",
                "resolve 4");
        List<String> texts =
            slack.requests().stream().map(r -> r.json().path("text").asText()).toList();
        assertThat(texts).hasSize(5).allSatisfy(t -> assertThat(t).contains("\n1000 alerts from"));
        assertThat(first.metrics().leaseHeld() && second.metrics().leaseHeld())
            .as("both routers think they hold the lease")
            .isFalse();

        // The holder stops gracefully (its operator shut down): it releases the lease, and the
        // other router takes over at its next poll, not a lease ttl later.
        AlertRouter holder = first.metrics().leaseHeld() ? first : second;
        AlertRouter standby = holder == first ? second : first;
        assertThat(standby.metrics().notifications("page", RouterMetrics.SENT)).isZero();
        holder.close();
        long released = System.nanoTime();
        Alert late = alert("ja4-blocklist", 73, "10.4.0.99").build();
        bulk(os.url(), prefix, late, 1, 1);
        await(
            () -> pd.requests().size() >= 11,
            () -> "no page after the hand-over: " + standby.metrics());
        assertThat(Duration.ofNanos(System.nanoTime() - released))
            .as("taken over from a released lease, not after its ttl")
            .isLessThan(FAST.leaseTtl());
        assertThat(pd.requests().get(10).json().path("dedup_key").asText())
            .isEqualTo(late.dedupKey());
        assertThat(standby.metrics().leaseHeld()).isTrue();
      } finally {
        first.close();
        second.close();
      }
    }
  }

  @Test
  void aRouterPausedPastItsLeaseSendsNothingOnceAnotherTookOver(OpenSearchEndpoint os)
      throws Exception {
    String prefix = prefix();
    RouterConfig.Timing shortLease =
        new RouterConfig.Timing(
            FAST.pollInterval(),
            FAST.retryMin(),
            FAST.retryMax(),
            FAST.attempts(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10));
    try (Receiver pd = new Receiver(202);
        Receiver slack = new Receiver(200)) {
      RouterConfig base = pageAndChat(os.url(), prefix, pd, slack);
      RouterConfig cfg =
          new RouterConfig(
              base.openSearch(), base.routes(), base.dedupWindow(), base.rateLimit(), shortLease);
      AlertRouter paused = new AlertRouter(cfg);
      AlertRouter other = new AlertRouter(cfg);
      java.util.concurrent.atomic.AtomicBoolean wasPaused =
          new java.util.concurrent.atomic.AtomicBoolean();
      // Its first send stalls (a long GC pause, a frozen VM) until the other router has taken the
      // lease over: it then resumes where it stopped, just before sending the trigger.
      paused.beforeSend =
          body -> {
            if (wasPaused.compareAndSet(false, true)) {
              await(
                  () -> other.metrics().leaseHeld(),
                  () -> "the other router never took over: " + other.metrics());
            }
          };
      try {
        paused.start();
        awaitState(os.url(), prefix);
        await(() -> paused.metrics().leaseHeld(), () -> "no lease: " + paused.metrics());
        other.start();
        Alert a = alert("stratum-mining", 99, "10.5.0.1").build();
        bulk(os.url(), prefix, a, 100, 100);
        await(
            () -> pd.requests().size() >= 2 && slack.requests().size() >= 1,
            () -> "PagerDuty " + pd.requests() + " Slack " + slack.requests() + other.metrics());
        quietFor(other);
        assertThat(wasPaused).isTrue();
        assertThat(pd.requests())
            .extracting(r -> r.json().path("event_action").asText())
            .as("one trigger: the paused router, fenced off, did not send its own")
            .containsExactly("trigger", "resolve");
        assertThat(slack.requests()).hasSize(1);
        assertThat(slack.requests().getFirst().json().path("text").asText())
            .contains("\n100 alerts from");
        assertThat(paused.metrics().leaseHeld()).isFalse();
        assertThat(paused.metrics().notifications("page", RouterMetrics.SENT)).isZero();
        assertThat(other.metrics().notifications("page", RouterMetrics.SENT)).isEqualTo(2);
      } finally {
        paused.close();
        other.close();
      }
    }
  }

  /** Stands for the router's process killed at the hook: nothing of the router runs after it. */
  static final class Killed extends Error {
    Killed() {
      super("router killed between its two state writes (test)");
    }
  }

  /**
   * Arms {@code router} to die between the two state writes of the first poll whose saved groups
   * satisfy {@code when}; {@code killed} completes with the poll's saved groups.
   */
  private static void killBetweenWrites(
      AlertRouter router,
      java.util.function.Predicate<List<Group>> when,
      java.util.concurrent.CompletableFuture<List<Group>> killed) {
    router.afterGroupsSaved =
        saved -> {
          if (!killed.isDone() && when.test(saved)) {
            killed.complete(List.copyOf(saved));
            throw new Killed();
          }
        };
  }

  /** The router's persisted poll numbers: the cursor's, and each group document's by key. */
  private static java.util.Map<String, Long> persistedPolls(URI os, String prefix)
      throws Exception {
    call(os, "POST", "/" + prefix + "-router-state/_refresh", null);
    java.util.Map<String, Long> polls = new java.util.HashMap<>();
    JsonNode hits =
        JSON.readTree(
                send(
                        os,
                        "POST",
                        "/" + prefix + "-router-state/_search",
                        "{\"size\":100,\"query\":{\"match_all\":{}}}")
                    .body())
            .path("hits")
            .path("hits");
    for (JsonNode h : hits) {
      JsonNode src = h.path("_source");
      polls.put(
          src.path("type").asText().equals("cursor") ? "cursor" : src.path("key").asText(),
          src.path("poll").asLong());
    }
    return polls;
  }

  @Test
  void killedBetweenGroupAndCursorWritesAfterPagingNeitherPagesTwiceNorMissesAnAlert(
      OpenSearchEndpoint os) throws Exception {
    String prefix = prefix();
    Alert a = alert("stratum-mining", 99, "10.1.1.1").build();
    Alert b = alert("ja4-blocklist", 73, "10.1.1.2").build();
    try (Receiver pd = new Receiver(202);
        Receiver slack = new Receiver(200)) {
      RouterConfig cfg = pageAndChat(os.url(), prefix, pd, slack);
      java.util.concurrent.CompletableFuture<List<Group>> killed =
          new java.util.concurrent.CompletableFuture<>();
      AlertRouter first = new AlertRouter(cfg);
      // Dies in the poll that read a's alerts and paged: its group saved (count, "triggered"),
      // its cursor not.
      killBetweenWrites(
          first,
          saved -> saved.stream().anyMatch(g -> g.key.equals(a.dedupKey()) && g.count > 0),
          killed);
      first.start();
      awaitState(os.url(), prefix);
      bulk(os.url(), prefix, a, 1_000, 1_000);
      List<Group> saved = killed.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      first.close(); // its thread is already dead: nothing more is sent or saved
      assertThat(saved).anySatisfy(g -> assertThat(g.count).isEqualTo(1_000));
      assertThat(pd.requests()).as("paged before it died").hasSize(1);
      java.util.Map<String, Long> polls = persistedPolls(os.url(), prefix);
      assertThat(polls.get(a.dedupKey()))
          .as("the group document is from a poll whose cursor was never written: %s", polls)
          .isGreaterThan(polls.get("cursor"));

      // While no router runs: more of a, and another finding.
      bulk(os.url(), prefix, a, 500, 500);
      bulk(os.url(), prefix, b, 1, 1);

      try (AlertRouter second = new AlertRouter(cfg)) {
        second.start();
        await(
            () -> pd.requests().size() >= 4 && slack.requests().size() >= 2,
            () -> "PagerDuty " + pd.requests() + " Slack " + slack.requests() + second.metrics());
        quietFor(second);
        // It replayed the dead poll (its 1,000 alerts again) and read the rest once.
        assertThat(second.metrics().alertsRead()).isEqualTo(1_501);
        assertThat(second.metrics().groupsOpened()).as("b only: a was restored").isEqualTo(1);
      }
      List<String> events = pages(pd, key -> key.equals(a.dedupKey()) ? "a" : "b");
      assertThat(events)
          .as("no second trigger of a")
          .containsExactlyInAnyOrder("trigger a", "trigger b", "resolve a", "resolve b");
      List<String> texts =
          slack.requests().stream().map(r -> r.json().path("text").asText()).toList();
      assertThat(texts).hasSize(2);
      assertThat(texts)
          .as("a's alerts counted once each: neither the replayed 1,000 twice nor any missed")
          .anySatisfy(t -> assertThat(t).contains("\n1500 alerts from").contains(a.dedupKey()));
      assertThat(texts)
          .anySatisfy(t -> assertThat(t).contains("\n1 alert from").contains(b.dedupKey()));
    }
  }

  @Test
  void killedBetweenWritesAfterResolvingSendsNothingTwiceAndStillPagesTheNextGroup(
      OpenSearchEndpoint os) throws Exception {
    String prefix = prefix();
    Alert a = alert("stratum-mining", 99, "10.1.1.1").build();
    try (Receiver pd = new Receiver(202);
        Receiver slack = new Receiver(200)) {
      RouterConfig cfg =
          config(
              os.url(),
              prefix,
              Duration.ofSeconds(3),
              RouterConfig.RateLimitConfig.DEFAULT,
              pagerDuty("page", 73, Set.of(), pd),
              slack("chat", 73, slack));
      java.util.concurrent.CompletableFuture<List<Group>> killed =
          new java.util.concurrent.CompletableFuture<>();
      AlertRouter first = new AlertRouter(cfg);
      // Dies in the poll that closed the group: resolve and Slack message sent, group saved DONE,
      // cursor not.
      killBetweenWrites(
          first, saved -> saved.stream().anyMatch(g -> g.state == Group.State.DONE), killed);
      first.start();
      awaitState(os.url(), prefix);
      bulk(os.url(), prefix, a, 10, 10);
      killed.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      first.close();
      assertThat(pd.requests()).as("trigger and resolve sent before it died").hasSize(2);
      assertThat(slack.requests()).hasSize(1);
      java.util.Map<String, Long> polls = persistedPolls(os.url(), prefix);
      assertThat(polls.get(a.dedupKey())).as("%s", polls).isGreaterThan(polls.get("cursor"));

      try (AlertRouter second = new AlertRouter(cfg)) {
        second.start();
        quietFor(second);
        assertThat(pd.requests()).as("no second trigger or resolve").hasSize(2);
        assertThat(slack.requests()).as("no second message").hasSize(1);
        assertThat(slack.requests().getFirst().json().path("text").asText())
            .contains("\n10 alerts from");
        // The finished group is forgotten once its poll is saved, and the key pages again.
        await(
            () -> {
              try {
                return !persistedPolls(os.url(), prefix).containsKey(a.dedupKey());
              } catch (Exception e) {
                return false;
              }
            },
            () -> "group document of a still in the state index");
        bulk(os.url(), prefix, a, 1, 1);
        await(
            () -> pd.requests().size() >= 4 && slack.requests().size() >= 2,
            () -> "PagerDuty " + pd.requests() + " Slack " + slack.requests() + second.metrics());
        quietFor(second);
      }
      assertThat(pd.requests().stream().map(r -> r.json().path("event_action").asText()))
          .containsExactly("trigger", "resolve", "trigger", "resolve");
      assertThat(slack.requests()).hasSize(2);
      assertThat(slack.requests().get(1).json().path("text").asText()).contains("\n1 alert from");
    }
  }

  @Test
  void routesBySeverityAndDetectorAndSeesLateSpooledAlerts(OpenSearchEndpoint os) throws Exception {
    String prefix = prefix();
    try (Receiver pd = new Receiver(202);
        Receiver slack = new Receiver(200);
        Receiver hook = new Receiver(204);
        AlertRouter router =
            new AlertRouter(
                config(
                    os.url(),
                    prefix,
                    Duration.ofSeconds(2),
                    RouterConfig.RateLimitConfig.DEFAULT,
                    pagerDuty("page", 99, Set.of("stratum-mining"), pd),
                    slack("chat", 47, slack),
                    new RouteConfig(
                        "siem",
                        21,
                        Set.of(),
                        new Target.Webhook(hook.url("/in/hooktoken"), "tok"))))) {
      router.start();
      awaitState(os.url(), prefix);

      Alert mining = alert("stratum-mining", 99, "10.0.0.1").build();
      Alert brute = alert("ssh-bruteforce", 99, "10.0.0.2").build();
      Alert miningHigh = alert("stratum-mining", 73, "10.0.0.3").build();
      Alert info = alert("dns-tunnel", 1, "10.0.0.4").build();
      // Spooled for three days by a sensor cut off from OpenSearch: old @timestamp, old index.
      Alert late =
          Alert.builder(Instant.now().minus(Duration.ofDays(3)), "ja4-blocklist", 73)
              .source("10.0.0.5", 1)
              .build();
      for (Alert x : List.of(mining, brute, miningHigh, info, late)) {
        bulk(os.url(), prefix, x, 3, 3);
      }

      await(
          () -> slack.requests().size() >= 4 && hook.requests().size() >= 8,
          () -> "Slack " + slack.requests() + " hook " + hook.requests() + router.metrics());
      quietFor(router);

      assertThat(pd.requests())
          .extracting(
              r ->
                  r.json().path("event_action").asText()
                      + " "
                      + r.json().path("dedup_key").asText())
          .containsExactly("trigger " + mining.dedupKey(), "resolve " + mining.dedupKey());

      assertThat(slack.requests())
          .extracting(r -> r.json().path("text").asText())
          .hasSize(4)
          .allSatisfy(t -> assertThat(t).contains("\n3 alerts from"))
          .noneSatisfy(t -> assertThat(t).contains(info.dedupKey()));
      assertThat(String.join("|", slack.requests().stream().map(Receiver.Request::body).toList()))
          .contains(mining.dedupKey(), brute.dedupKey(), miningHigh.dedupKey(), late.dedupKey());

      assertThat(hook.requests()).hasSize(8);
      assertThat(hook.requests())
          .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer tok"));
      assertThat(hook.requests()).allSatisfy(r -> assertThat(r.path()).isEqualTo("/in/hooktoken"));
      assertThat(hook.requests())
          .extracting(
              r -> r.json().path("action").asText() + " " + r.json().path("dedup_key").asText())
          .contains("trigger " + late.dedupKey(), "resolve " + late.dedupKey())
          .doesNotContain("trigger " + info.dedupKey());
      assertThat(
              hook.requests().stream()
                  .filter(r -> r.json().path("action").asText().equals("resolve"))
                  .map(r -> r.json().path("count").asLong()))
          .containsOnly(3L);
    }
  }

  @Test
  void receiverAnswering500ThenOkGetsTheTriggerOnceAndNoSecretIsLogged(OpenSearchEndpoint os)
      throws Exception {
    String prefix = prefix();
    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (Receiver pd = new Receiver(202, 500, 503);
        Receiver slack = new Receiver(200, 500)) {
      URI slackUrl = slack.url("/services/T0AB/B0CD/slacktoken123");
      System.setErr(new PrintStream(new TeeStream(err, log), true, StandardCharsets.UTF_8));
      try (AlertRouter router =
          new AlertRouter(
              config(
                  os.url(),
                  prefix,
                  Duration.ofSeconds(2),
                  RouterConfig.RateLimitConfig.DEFAULT,
                  pagerDuty("page", 73, Set.of(), pd),
                  new RouteConfig("chat", 73, Set.of(), new Target.Slack(slackUrl))))) {
        router.start();
        awaitState(os.url(), prefix);
        Alert a = alert("stratum-mining", 99, "10.9.9.9").build();
        bulk(os.url(), prefix, a, 1, 1);
        await(
            () -> pd.delivered().size() >= 2 && slack.delivered().size() >= 1,
            () -> "PagerDuty " + pd.requests() + " Slack " + slack.requests());
        quietFor(router);

        assertThat(pd.requests())
            .extracting(r -> r.answered() + " " + r.json().path("event_action").asText())
            .containsExactly("500 trigger", "503 trigger", "202 trigger", "202 resolve");
        assertThat(slack.requests())
            .extracting(Receiver.Request::answered)
            .containsExactly(500, 200);
        assertThat(router.metrics().notifications("page", RouterMetrics.SENT)).isEqualTo(2);
        assertThat(router.metrics().notifications("page", RouterMetrics.FAILED)).isZero();
      } finally {
        System.setErr(err);
      }
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("route page (http://127.0.0.1:").contains("HTTP 500");
    assertThat(logged)
        .doesNotContain("rk-page")
        .doesNotContain("slacktoken123")
        .doesNotContain("T0AB");
  }

  @Test
  void rateLimitHoldsBackAndReportsInTheNextMessage(OpenSearchEndpoint os) throws Exception {
    String prefix = prefix();
    try (Receiver slack = new Receiver(200)) {
      RouteConfig chat = slack("chat", 21, slack);
      AlertRouter router =
          new AlertRouter(
              config(
                  os.url(),
                  prefix,
                  Duration.ofSeconds(1),
                  new RouterConfig.RateLimitConfig(1, 2),
                  chat));
      try (router) {
        router.start();
        awaitState(os.url(), prefix);
        StringBuilder five = new StringBuilder();
        for (int i = 0; i < 5; i++) {
          Alert x = alert("port-scan", 47, "10.3.0." + i).build();
          appendBulk(five, prefix, x, 1 + i);
        }
        sendBulk(os.url(), five.toString());
        await(
            () -> router.metrics().notifications("chat", RouterMetrics.RATE_LIMITED) >= 3,
            router.metrics()::toString);
        quietFor(router);
        assertThat(slack.requests()).hasSize(2);
        assertThat(router.metrics().notifications("chat", RouterMetrics.RATE_LIMITED)).isEqualTo(3);

        // A raised limit (update) lets the next group through, reporting what was held back.
        router.update(
            config(
                os.url(),
                prefix,
                Duration.ofSeconds(1),
                new RouterConfig.RateLimitConfig(600, 10),
                chat));
        Alert sixth = alert("port-scan", 47, "10.3.0.99").build();
        bulk(os.url(), prefix, sixth, 1, 1);
        await(() -> slack.requests().size() >= 3, () -> "Slack " + slack.requests());
        String text = slack.requests().get(2).json().path("text").asText();
        assertThat(text).contains(sixth.dedupKey());
        // Held back: 3 groups; their counts were 3, 4 and 5 alerts, in some order of closing.
        assertThat(text)
            .containsPattern("Rate limit held back 3 notifications \\((9|10|11|12) alerts\\)");
      }
    }
  }

  // ---- helpers ----

  private static RouteConfig pagerDuty(String name, int min, Set<String> detectors, Receiver r) {
    return new RouteConfig(
        name, min, detectors, new Target.PagerDuty("rk-" + name, r.url("/v2/enqueue")));
  }

  private static RouteConfig slack(String name, int min, Receiver r) {
    return new RouteConfig(
        name, min, Set.of(), new Target.Slack(r.url("/services/T1/B1/" + name + "token")));
  }

  /** PagerDuty's requests as "{@code <event_action> <name of its dedup_key>}". */
  private static List<String> pages(
      Receiver pd, java.util.function.Function<String, String> keyName) {
    return pd.requests().stream()
        .map(
            r ->
                r.json().path("event_action").asText()
                    + " "
                    + keyName.apply(r.json().path("dedup_key").asText()))
        .toList();
  }

  /**
   * The common setup: a PagerDuty route "page" and a Slack route "chat", both from high severity, a
   * 5 s dedup window and the default rate limit.
   */
  private static RouterConfig pageAndChat(URI os, String prefix, Receiver pd, Receiver slack) {
    return config(
        os,
        prefix,
        Duration.ofSeconds(5),
        RouterConfig.RateLimitConfig.DEFAULT,
        pagerDuty("page", 73, Set.of(), pd),
        slack("chat", 73, slack));
  }

  private static RouterConfig config(
      URI os,
      String prefix,
      Duration window,
      RouterConfig.RateLimitConfig rate,
      RouteConfig... routes) {
    return new RouterConfig(
        new RouterConfig.OpenSearchAccess(List.of(os), null, null, null, prefix),
        List.of(routes),
        window,
        rate,
        FAST);
  }

  /** Waits for the router's first poll: its state index exists once it has loaded. */
  private static void awaitState(URI os, String prefix) {
    await(
        () -> {
          try {
            return status(os, "GET", "/" + prefix + "-router-state/_doc/cursor") == 200;
          } catch (Exception e) {
            return false;
          }
        },
        () -> "router state " + prefix + "-router-state/_doc/cursor never appeared");
  }

  private static void bulk(URI os, String prefix, Alert a, int n, int batch) throws Exception {
    for (int done = 0; done < n; ) {
      int k = Math.min(batch, n - done);
      StringBuilder b = new StringBuilder();
      appendBulk(b, prefix, a, k);
      sendBulk(os, b.toString());
      done += k;
    }
  }

  private static void appendBulk(StringBuilder b, String prefix, Alert a, int n) {
    String index = DataClass.ALERTS.indexName(prefix, a.timestamp().toEpochMilli());
    String line = a.toJsonLine(JSON);
    for (int i = 0; i < n; i++) {
      b.append("{\"create\":{\"_index\":\"")
          .append(index)
          .append("\"}}\n")
          .append(line)
          .append('\n');
    }
  }

  private static void sendBulk(URI os, String ndjson) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(os.resolve("/_bulk?filter_path=errors,items.*.error"))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode root = JSON.readTree(r.body());
    assertThat(root.path("errors").asBoolean()).as(r.body()).isFalse();
  }

  private static void call(URI os, String method, String path, String body) throws Exception {
    HttpResponse<String> r = send(os, method, path, body);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
  }

  private static int status(URI os, String method, String path) throws Exception {
    return send(os, method, path, null).statusCode();
  }

  private static HttpResponse<String> send(URI os, String method, String path, String body)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(os.resolve(path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void await(BooleanSupplier done, Supplier<String> what) {
    long end = System.nanoTime() + PATIENCE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + PATIENCE + ": " + what.get());
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /**
   * Lets the router poll on for longer than any window used here, so that anything it would still
   * send (a second page, a duplicate message) would arrive before the assertions.
   */
  private static void quietFor(AlertRouter router) throws InterruptedException {
    Thread.sleep(8_000);
  }

  /** Copies what is written to two streams. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
