package dev.vigil.router;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes persisted alerts to PagerDuty, Slack and webhooks. One thread polls OpenSearch every
 * {@code pollInterval}: it reads the alerts ingested since its cursor, counts them into dedup
 * groups, sends what each route is owed, saves the groups and then the cursor to {@code
 * <prefix>-router-state}. Run exactly one per AlertPipeline (the operator runs it on its leader).
 *
 * <p>Per route and group: PagerDuty gets a {@code trigger} (dedup_key = the alert's key) when the
 * group opens and a {@code resolve} when its window ends quiet; a webhook gets {@code
 * action=trigger} and {@code action=resolve} the same way; Slack gets one message when the group
 * closes, carrying its count. Each trigger or Slack message takes a token from the route's bucket;
 * one that finds none is held back and reported, with its alert count, in the route's next message
 * (resolves are never held back: they close what was already sent).
 *
 * <p>Several routers may run on one pipeline (two operator leaders during a hand-over): only the
 * holder of the pipeline's {@link RouterLease} polls, sends and saves; the others stand by and take
 * over when it releases the lease or leaves it silent for {@code leaseTtl}.
 *
 * <p>Thread-safety: {@link #start()}, {@link #update(RouterConfig)} and {@link #close()} may be
 * called from any thread.
 */
public final class AlertRouter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertRouter.class);

  private final AtomicReference<RouterConfig> pending = new AtomicReference<>();
  private final RouterMetrics metrics;
  private final Clock clock;
  private final LongSupplier nanoClock;
  private final String owner;
  private final Object wake = new Object();
  private volatile boolean running;
  private Thread thread;

  // Owned by the router thread.
  private RouterConfig cfg;
  private OpenSearchClient os;
  private AlertSource source;
  private StateStore store;
  private RouterLease lease;
  private boolean indexReady;
  private Notifier notifier;
  private boolean loaded;
  private Groups groups = new Groups();
  private Map<String, Long> cursor;
  private long savedPoll;
  private long poll;
  private final Map<String, long[]> heldBack = new HashMap<>();
  private final Map<String, TokenBucket> buckets = new HashMap<>();
  private Set<String> secrets = Set.of();

  /**
   * Test hook, run between the two state writes of a poll (its groups saved, its cursor not yet):
   * an IT throws from it to stand for a process killed there.
   */
  volatile java.util.function.Consumer<List<Group>> afterGroupsSaved = g -> {};

  /**
   * Test hook, run before each notification is sent (before the lease is checked): an IT blocks in
   * it to stand for a router paused past its lease.
   */
  volatile java.util.function.Consumer<String> beforeSend = body -> {};

  /** A router with its own registry (tests, tools). */
  public AlertRouter(RouterConfig config) {
    this(config, new SimpleMeterRegistry(), Tags.empty(), Clock.systemUTC(), System::nanoTime);
  }

  /**
   * @param registry where the {@code vigil.router.*} meters go (the operator's Micrometer registry)
   * @param pipeline {@code namespace/name} of the AlertPipeline, the {@code alertpipeline} tag of
   *     every meter (one router per pipeline shares a registry)
   */
  public AlertRouter(RouterConfig config, MeterRegistry registry, String pipeline) {
    this(
        config,
        registry,
        Tags.of("alertpipeline", Objects.requireNonNull(pipeline, "pipeline")),
        Clock.systemUTC(),
        System::nanoTime);
  }

  AlertRouter(
      RouterConfig config, MeterRegistry registry, Tags tags, Clock clock, LongSupplier nanoClock) {
    pending.set(Objects.requireNonNull(config, "config"));
    this.metrics = new RouterMetrics(registry, tags);
    this.clock = clock;
    this.nanoClock = nanoClock;
    String host = System.getenv("HOSTNAME");
    this.owner =
        (host == null || host.isBlank() ? "router" : host)
            + "/"
            + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  /** Starts the polling thread (once). */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    running = true;
    thread = Thread.ofPlatform().name("vigil-alert-router").daemon().start(this::run);
  }

  /** Takes effect at the next poll; a changed OpenSearch connection reloads the saved state. */
  public void update(RouterConfig config) {
    pending.set(Objects.requireNonNull(config, "config"));
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /**
   * Stops after the current poll has saved its state (waiting up to a minute, then interrupting it:
   * an interrupted poll saves nothing and is repeated by the next router, at least once).
   */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
    }
    synchronized (wake) {
      wake.notifyAll();
    }
    if (t == null) {
      return;
    }
    try {
      t.join(Duration.ofMinutes(1));
      if (t.isAlive()) {
        t.interrupt();
        t.join(Duration.ofSeconds(30));
      }
    } catch (InterruptedException e) {
      t.interrupt();
      Thread.currentThread().interrupt();
    }
  }

  public RouterMetrics metrics() {
    return metrics;
  }

  /** This router's name in the lease document: the pod (HOSTNAME) and a random suffix. */
  public String owner() {
    return owner;
  }

  private void run() {
    LOG.info("alert router started");
    while (running) {
      try {
        pollOnce();
      } catch (InterruptedException e) {
        break;
      } catch (RouterLease.LostException e) {
        metrics.pollFailed();
        metrics.lease(false);
        loaded = false;
        LOG.warn("alert router {} fenced off, sent and saved nothing more: {}", owner, scrub(e));
      } catch (Exception e) {
        metrics.pollFailed();
        loaded = false; // repeat from the saved state
        LOG.warn("alert router poll failed, repeating from saved state: {}", scrub(e));
      }
      long pause = cfg == null ? 1000 : cfg.timing().pollInterval().toMillis();
      synchronized (wake) {
        if (running && pending.get() == null) {
          try {
            wake.wait(Math.max(1, pause));
          } catch (InterruptedException e) {
            break;
          }
        }
      }
    }
    if (lease != null && lease.held()) {
      try {
        lease.release();
      } catch (Exception e) {
        LOG.warn("alert router {} could not release its lease: {}", owner, scrub(e));
      }
    }
    metrics.lease(false);
    LOG.info("alert router stopped");
  }

  /** One poll: read, group, notify, save. */
  void pollOnce() throws IOException, InterruptedException {
    RouterConfig next = pending.getAndSet(null);
    if (next != null) {
      try {
        apply(next);
      } catch (RuntimeException e) {
        pending.compareAndSet(null, next); // fails again, with its message, at the next poll
        throw e;
      }
    }
    if (!indexReady) {
      store.ensureIndex();
      indexReady = true;
    }
    boolean was = lease.held();
    if (!lease.acquire()) {
      if (was || loaded) {
        LOG.info("alert router {} standing by: the lease is held by {}", owner, lease.holder());
      }
      loaded = false; // whoever holds it changes the state: load it afresh when we take over
      metrics.lease(false);
      return;
    }
    metrics.lease(true);
    if (!loaded) {
      load();
    }
    poll = savedPoll + 1;
    long now = clock.millis();
    Map<AlertSource.Shard, AlertSource.Checkpoint> checkpoints = source.checkpoints();
    boolean inFlight = false;
    Map<String, Long> nextCursor = new HashMap<>();
    Map<AlertSource.Shard, Long> from = new LinkedHashMap<>();
    Set<String> indices = new LinkedHashSet<>();
    for (Map.Entry<AlertSource.Shard, AlertSource.Checkpoint> e : checkpoints.entrySet()) {
      String id = e.getKey().id();
      long cp = e.getValue().global();
      inFlight |= e.getValue().inFlight();
      // First start: only what arrives from now on. Later: a shard not in the cursor belongs to
      // an index created since the last poll, so all of it is new.
      long after = cursor == null ? cp : cursor.getOrDefault(id, -1L);
      nextCursor.put(id, Math.max(after, cp));
      if (cp > after) {
        from.put(e.getKey(), after);
        indices.add(e.getKey().index());
      }
    }
    source.refresh(indices);
    long before = groups.opened;
    long n = 0;
    for (Map.Entry<AlertSource.Shard, Long> e : from.entrySet()) {
      n +=
          source.read(
              e.getKey(),
              e.getValue(),
              checkpoints.get(e.getKey()).global(),
              a -> groups.observe(a, now, poll));
    }
    metrics.alertsRead(n);
    metrics.groupsOpened(groups.opened - before);
    Set<String> down = new HashSet<>();
    notifyOpen(down);
    // Quiet is judged only when caught up: while writes are in flight on an alerts shard, the
    // next alert of a group may be among them (a large bulk becomes readable all at once).
    List<Group> closed =
        inFlight ? List.of() : groups.closeQuiet(now, cfg.dedupWindow().toMillis(), poll);
    metrics.groupsResolved(closed.size());
    notifyClose(down);
    save(nextCursor);
    metrics.state(groups.open.size(), now);
  }

  private void apply(RouterConfig next) {
    if (cfg == null || !next.openSearch().equals(cfg.openSearch())) {
      os = new OpenSearchClient(next.openSearch(), next.timing().requestTimeout());
      source = new AlertSource(os, next.openSearch());
      store = new StateStore(os, next.openSearch().stateIndex());
      loaded = false;
      indexReady = false;
    }
    if (cfg == null
        || !next.openSearch().equals(cfg.openSearch())
        || !next.timing().leaseTtl().equals(cfg.timing().leaseTtl())) {
      // A lease object without history: it finds its own document (same owner) and takes it back.
      lease =
          new RouterLease(
              os, next.openSearch().stateIndex(), owner, next.timing().leaseTtl(), nanoClock);
      loaded = false;
    }
    if (cfg == null || !next.timing().equals(cfg.timing())) {
      HttpClient http =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
      notifier = new Notifier(http, next.timing(), d -> Thread.sleep(d));
    }
    if (cfg == null || !next.rateLimit().equals(cfg.rateLimit())) {
      buckets.clear();
    }
    Set<String> s = new HashSet<>();
    for (RouteConfig r : next.routes()) {
      metrics.route(r.name(), targetName(r));
      switch (r.target()) {
        case Target.PagerDuty pd -> s.add(pd.routingKey());
        case Target.Slack sl -> s.add(sl.webhookUrl().toString());
        case Target.Webhook w -> {
          s.add(w.url().toString());
          if (w.url().getRawPath() != null && w.url().getRawPath().length() > 1) {
            s.add(w.url().getRawPath());
          }
          s.add(w.bearerToken());
        }
      }
      if (r.target() instanceof Target.Slack sl && sl.webhookUrl().getRawPath() != null) {
        s.add(sl.webhookUrl().getRawPath());
      }
    }
    s.add(next.openSearch().password());
    s.remove(null);
    secrets = Set.copyOf(s);
    cfg = next;
    pruneRoutes();
    LOG.info(
        "alert router configured: {} routes {}, dedup window {}, rate limit {}/min burst {}",
        cfg.routes().size(),
        cfg.routes().stream().map(r -> r.name() + "=" + r.target()).toList(),
        cfg.dedupWindow(),
        cfg.rateLimit().perMinute(),
        cfg.rateLimit().burst());
  }

  private void load() throws IOException, InterruptedException {
    StateStore.Loaded l = store.load();
    groups = new Groups();
    heldBack.clear();
    heldBack.putAll(l.heldBack());
    savedPoll = l.poll();
    cursor = l.cursor() == null ? null : new HashMap<>(l.cursor());
    List<String> finished = new ArrayList<>();
    for (Group g : l.groups()) {
      if (!groups.restore(g, savedPoll)) {
        finished.add(g.id());
      }
    }
    store.delete(finished);
    loaded = true;
    LOG.info(
        "alert router state loaded: poll {}, {} shards in the cursor, {} open and {} closing groups",
        savedPoll,
        cursor == null ? "no" : cursor.size(),
        groups.open.size(),
        groups.closing.size());
  }

  /** Groups first, then the cursor: see {@link StateStore}. */
  private void save(Map<String, Long> nextCursor) throws IOException, InterruptedException {
    List<Group> dirty = new ArrayList<>();
    for (Group g : groups.open.values()) {
      if (g.dirty) {
        dirty.add(g);
      }
    }
    List<String> done = new ArrayList<>();
    for (Group g : groups.closing.values()) {
      if (g.dirty) {
        dirty.add(g);
      }
      if (g.state == Group.State.DONE) {
        done.add(g.id());
      }
    }
    Duration request = cfg.timing().requestTimeout();
    lease.ensure(request);
    store.saveGroups(dirty);
    afterGroupsSaved.accept(dirty);
    lease.ensure(request);
    store.saveCursor(poll, nextCursor, heldBack);
    for (Group g : dirty) {
      g.dirty = false;
    }
    savedPoll = poll;
    cursor = nextCursor;
    store.delete(done);
    groups.closing.values().removeIf(g -> g.state == Group.State.DONE);
  }

  private void notifyOpen(Set<String> down) throws IOException, InterruptedException {
    for (Group g : groups.open.values()) {
      for (RouteConfig r : cfg.routes()) {
        if (r.target() instanceof Target.Slack
            || !r.matches(g.ruleName, g.severity)
            || down.contains(r.name())) {
          continue;
        }
        Group.Progress p = g.progress(r.name());
        if (!p.opened) {
          open(r, g, p, down);
        }
      }
    }
  }

  private void notifyClose(Set<String> down) throws IOException, InterruptedException {
    for (Group g : groups.closing.values()) {
      if (g.state != Group.State.CLOSING) {
        continue;
      }
      boolean done = true;
      for (RouteConfig r : cfg.routes()) {
        Group.Progress p = g.progress(r.name());
        if (p.closed) {
          continue;
        }
        if (down.contains(r.name())) {
          done = false;
          continue;
        }
        boolean matches = r.matches(g.ruleName, g.severity);
        if (r.target() instanceof Target.Slack sl) {
          if (!matches) {
            p.closed = true;
          } else if (!bucket(r).tryTake()) {
            p.closed = true;
            p.suppressed = true;
            holdBack(r, g);
          } else {
            Notifier.Outcome o =
                send(r, sl.webhookUrl(), null, Payloads.slack(g, held(r.name())).toString());
            if (!settle(r, o, down)) {
              bucket(r).refund();
              done = false;
              continue;
            }
            p.closed = true;
          }
        } else {
          if (matches && !p.opened) {
            open(r, g, p, down);
            if (!p.opened) {
              done = false;
              continue;
            }
          }
          if (!p.triggered) {
            p.closed = true;
          } else {
            Notifier.Outcome o =
                switch (r.target()) {
                  case Target.PagerDuty pd ->
                      send(
                          r,
                          pd.eventsUrl(),
                          null,
                          Payloads.pagerDutyResolve(pd.routingKey(), g).toString());
                  case Target.Webhook w ->
                      send(
                          r,
                          w.url(),
                          w.bearerToken(),
                          Payloads.webhook("resolve", r.name(), g, held(r.name())).toString());
                  case Target.Slack s -> throw new IllegalStateException("handled above");
                };
            if (!settle(r, o, down)) {
              done = false;
              continue;
            }
            p.closed = true;
          }
        }
        g.touch(poll);
      }
      if (done) {
        g.touch(poll);
        g.state = Group.State.DONE;
      }
    }
  }

  /** Sends the open notification (PagerDuty trigger, webhook trigger) of one route. */
  private void open(RouteConfig r, Group g, Group.Progress p, Set<String> down)
      throws IOException, InterruptedException {
    if (!bucket(r).tryTake()) {
      p.opened = true;
      p.suppressed = true;
      g.touch(poll);
      holdBack(r, g);
      return;
    }
    Notifier.Outcome o =
        switch (r.target()) {
          case Target.PagerDuty pd ->
              send(
                  r,
                  pd.eventsUrl(),
                  null,
                  Payloads.pagerDutyTrigger(pd.routingKey(), g, held(r.name())).toString());
          case Target.Webhook w ->
              send(
                  r,
                  w.url(),
                  w.bearerToken(),
                  Payloads.webhook("trigger", r.name(), g, held(r.name())).toString());
          case Target.Slack s -> throw new IllegalStateException("Slack has no open notification");
        };
    if (!settle(r, o, down)) {
      bucket(r).refund();
      return;
    }
    p.opened = true;
    p.triggered = o == Notifier.Outcome.DELIVERED;
    g.touch(poll);
  }

  /** Sends while this router holds the lease with at least a request's timeout of it left. */
  private Notifier.Outcome send(RouteConfig r, URI url, String token, String body)
      throws IOException, InterruptedException {
    beforeSend.accept(body);
    Duration request = cfg.timing().requestTimeout();
    return notifier.post(r.name(), url, token, body, secrets, () -> lease.ensure(request));
  }

  /**
   * Counts the outcome; true when it is final (delivered or refused). A route that still fails
   * after its retries is skipped for the rest of this poll.
   */
  private boolean settle(RouteConfig r, Notifier.Outcome o, Set<String> down) {
    String target = targetName(r);
    switch (o) {
      case DELIVERED -> {
        metrics.notification(r.name(), target, RouterMetrics.SENT);
        heldBack.remove(r.name());
        return true;
      }
      case REJECTED -> {
        metrics.notification(r.name(), target, RouterMetrics.FAILED);
        return true;
      }
      default -> {
        metrics.notification(r.name(), target, RouterMetrics.FAILED);
        down.add(r.name());
        return false;
      }
    }
  }

  private void holdBack(RouteConfig r, Group g) {
    long[] h = heldBack.computeIfAbsent(r.name(), k -> new long[2]);
    h[0]++;
    h[1] += g.count;
    metrics.notification(r.name(), targetName(r), RouterMetrics.RATE_LIMITED);
    LOG.warn(
        "route {} rate limit ({}/min, burst {}): held back the notification of {} alert(s) of"
            + " {} (key {}); it is reported in the route's next message",
        r.name(),
        cfg.rateLimit().perMinute(),
        cfg.rateLimit().burst(),
        g.count,
        g.ruleName,
        g.key);
  }

  private Payloads.HeldBack held(String route) {
    long[] h = heldBack.get(route);
    return h == null ? Payloads.HeldBack.NONE : new Payloads.HeldBack(h[0], h[1]);
  }

  private TokenBucket bucket(RouteConfig r) {
    return buckets.computeIfAbsent(
        r.name(),
        k -> new TokenBucket(cfg.rateLimit().perMinute(), cfg.rateLimit().burst(), nanoClock));
  }

  private static String targetName(RouteConfig r) {
    return switch (r.target()) {
      case Target.PagerDuty pd -> "pagerduty";
      case Target.Slack s -> "slack";
      case Target.Webhook w -> "webhook";
    };
  }

  private String scrub(Exception e) {
    return e.getClass().getSimpleName()
        + ": "
        + Redact.scrub(String.valueOf(e.getMessage()), secrets);
  }

  /** Drops held-back counters and buckets of routes no longer configured. */
  private void pruneRoutes() {
    Set<String> names = new HashSet<>();
    cfg.routes().forEach(r -> names.add(r.name()));
    for (Iterator<String> it = heldBack.keySet().iterator(); it.hasNext(); ) {
      if (!names.contains(it.next())) {
        it.remove();
      }
    }
    buckets.keySet().retainAll(names);
  }
}
