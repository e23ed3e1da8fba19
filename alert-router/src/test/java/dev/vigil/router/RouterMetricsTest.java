package dev.vigil.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class RouterMetricsTest {

  @Test
  void routersOfTwoPipelinesShareARegistryWithoutSharingCounts() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RouterMetrics a = new RouterMetrics(registry, Tags.of("alertpipeline", "ns/a"));
    RouterMetrics b = new RouterMetrics(registry, Tags.of("alertpipeline", "ns/b"));
    a.notification("page", "pagerduty", RouterMetrics.SENT);
    a.notification("page", "pagerduty", RouterMetrics.RATE_LIMITED);
    b.alertsRead(5);
    b.state(3, System.currentTimeMillis());

    assertThat(a.alertsRead()).isZero();
    assertThat(b.alertsRead()).isEqualTo(5);
    assertThat(a.notifications("page", RouterMetrics.SENT)).isEqualTo(1);
    assertThat(a.notifications("page", RouterMetrics.FAILED)).isZero();
    assertThat(
            registry
                .get("vigil.router.notifications")
                .tags("alertpipeline", "ns/a", "route", "page", "outcome", "rate_limited")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(
            registry.get("vigil.router.groups.open").tags("alertpipeline", "ns/b").gauge().value())
        .isEqualTo(3.0);
    assertThat(
            registry.get("vigil.router.groups.open").tags("alertpipeline", "ns/a").gauge().value())
        .isZero();
  }

  @Test
  void aConfiguredRouteHasItsCountersAtZeroBeforeItsFirstNotification() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RouterMetrics m = new RouterMetrics(registry, Tags.of("alertpipeline", "ns/a"));
    m.route("chat", "slack");
    for (String outcome :
        new String[] {RouterMetrics.SENT, RouterMetrics.FAILED, RouterMetrics.RATE_LIMITED}) {
      assertThat(
              registry
                  .get("vigil.router.notifications")
                  .tags("route", "chat", "target", "slack", "outcome", outcome)
                  .counter()
                  .count())
          .isZero();
    }
    m.route("chat", "slack");
    m.notification("chat", "slack", RouterMetrics.SENT);
    assertThat(m.notifications("chat", RouterMetrics.SENT)).isEqualTo(1);
    assertThat(registry.find("vigil.router.notifications").counters()).hasSize(3);
    assertThat(registry.get("vigil.router.lease.held").gauge().value()).isZero();
  }
}
