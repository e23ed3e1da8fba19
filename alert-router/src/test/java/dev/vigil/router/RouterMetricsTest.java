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
}
