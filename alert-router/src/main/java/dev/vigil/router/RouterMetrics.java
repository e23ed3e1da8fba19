package dev.vigil.router;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The router's Micrometer meters ({@code vigil_router_*} in Prometheus), with getters for tests and
 * status.
 *
 * <ul>
 *   <li>{@code vigil.router.alerts.read}: alerts read from OpenSearch (a replay after a restart
 *       counts again here but not in any group)
 *   <li>{@code vigil.router.groups.opened} / {@code .resolved}: dedup groups opened and closed
 *       after a quiet window
 *   <li>{@code vigil.router.notifications{route,target,outcome}}: outcome {@code sent}, {@code
 *       failed} (a failed attempt round; it is tried again unless the receiver refused it) or
 *       {@code rate_limited} (held back and reported in the route's next message)
 *   <li>{@code vigil.router.polls.failed}: polls that failed and are repeated from saved state
 *   <li>{@code vigil.router.groups.open} and {@code vigil.router.last.poll.age.seconds}: gauges (a
 *       standby router does not poll, so its age grows)
 *   <li>{@code vigil.router.lease.held}: 1 while this router holds the pipeline's lease and routes,
 *       0 while it stands by
 * </ul>
 */
public final class RouterMetrics {
  public static final String SENT = "sent";
  public static final String FAILED = "failed";
  public static final String RATE_LIMITED = "rate_limited";

  private final MeterRegistry registry;
  private final Tags tags;
  private final Counter alertsRead;
  private final Counter groupsOpened;
  private final Counter groupsResolved;
  private final Counter pollsFailed;
  private final AtomicLong openGroups = new AtomicLong();
  private final AtomicLong cursorMillis = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean leaseHeld =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final Map<String, Counter> notifications = new ConcurrentHashMap<>();

  /** {@code tags} go on every meter, e.g. {@code alertpipeline=<namespace>/<name>}. */
  RouterMetrics(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
    alertsRead =
        Counter.builder("vigil.router.alerts.read")
            .description("Alerts read from OpenSearch")
            .tags(tags)
            .register(registry);
    groupsOpened =
        Counter.builder("vigil.router.groups.opened")
            .description("Dedup groups opened")
            .tags(tags)
            .register(registry);
    groupsResolved =
        Counter.builder("vigil.router.groups.resolved")
            .description("Dedup groups closed after a quiet window")
            .tags(tags)
            .register(registry);
    pollsFailed =
        Counter.builder("vigil.router.polls.failed")
            .description("Polls that failed and are repeated from saved state")
            .tags(tags)
            .register(registry);
    Gauge.builder("vigil.router.groups.open", openGroups, AtomicLong::get)
        .description("Dedup groups open now")
        .tags(tags)
        .register(registry);
    Gauge.builder(
            "vigil.router.last.poll.age.seconds",
            cursorMillis,
            c -> c.get() == 0 ? 0 : (System.currentTimeMillis() - c.get()) / 1000.0)
        .description("Seconds since the last completed poll")
        .tags(tags)
        .register(registry);
    Gauge.builder("vigil.router.lease.held", leaseHeld, h -> h.get() ? 1 : 0)
        .description("1 while this router holds the pipeline's lease and routes, 0 on standby")
        .tags(tags)
        .register(registry);
  }

  void alertsRead(long n) {
    alertsRead.increment(n);
  }

  void groupsOpened(long n) {
    groupsOpened.increment(n);
  }

  void groupsResolved(long n) {
    groupsResolved.increment(n);
  }

  void pollFailed() {
    pollsFailed.increment();
  }

  void lease(boolean held) {
    leaseHeld.set(held);
  }

  public boolean leaseHeld() {
    return leaseHeld.get();
  }

  void state(long open, long cursor) {
    openGroups.set(open);
    cursorMillis.set(cursor);
  }

  /**
   * Registers a route's notification counters at zero, so that a dashboard sees every configured
   * route (and an alert on failures has a series) before its first notification.
   */
  void route(String route, String target) {
    for (String outcome : List.of(SENT, FAILED, RATE_LIMITED)) {
      counter(route, target, outcome);
    }
  }

  void notification(String route, String target, String outcome) {
    counter(route, target, outcome).increment();
  }

  private Counter counter(String route, String target, String outcome) {
    return notifications.computeIfAbsent(
        route + "\u0000" + target + "\u0000" + outcome,
        k ->
            Counter.builder("vigil.router.notifications")
                .description("Notifications by route and outcome")
                .tags(tags)
                .tag("route", route)
                .tag("target", target)
                .tag("outcome", outcome)
                .register(registry));
  }

  public long alertsRead() {
    return (long) alertsRead.count();
  }

  public long groupsOpened() {
    return (long) groupsOpened.count();
  }

  public long groupsResolved() {
    return (long) groupsResolved.count();
  }

  public long pollsFailed() {
    return (long) pollsFailed.count();
  }

  public long openGroups() {
    return openGroups.get();
  }

  /** Notifications of {@code route} with {@code outcome} ({@link #SENT}, ...), any target. */
  public long notifications(String route, String outcome) {
    long n = 0;
    for (Map.Entry<String, Counter> e : notifications.entrySet()) {
      String[] parts = e.getKey().split("\u0000");
      if (parts[0].equals(route) && parts[2].equals(outcome)) {
        n += (long) e.getValue().count();
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return "RouterMetrics[alertsRead="
        + alertsRead()
        + ", groupsOpened="
        + groupsOpened()
        + ", groupsResolved="
        + groupsResolved()
        + ", pollsFailed="
        + pollsFailed()
        + ", openGroups="
        + openGroups()
        + ", notifications="
        + notifications.keySet().stream()
            .map(k -> k.replace('\u0000', '/') + "=" + (long) notifications.get(k).count())
            .sorted()
            .toList()
        + "]";
  }
}
