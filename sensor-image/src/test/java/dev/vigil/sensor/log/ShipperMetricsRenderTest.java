package dev.vigil.sensor.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.ship.ShipperMetrics;
import org.junit.jupiter.api.Test;

class ShipperMetricsRenderTest {
  @Test
  void everyShipperCounterIsExportedWithTheVigilShipPrefix() {
    ShipperMetrics m = new ShipperMetrics();
    m.shipped.set(41);
    m.refused.set(3);
    m.spoolBytes.set(4096);
    StringBuilder b = new StringBuilder();
    Metrics.renderShipper(b, m.snapshot(), 7);
    String text = b.toString();
    for (String key : m.snapshot().keySet()) {
      assertThat(text).contains("\nvigil_ship_" + key + " ");
    }
    assertThat(text)
        .contains("# TYPE vigil_ship_shipped_total counter\nvigil_ship_shipped_total 41\n")
        .contains("vigil_ship_spool_full_refused_total 3\n")
        .contains("# TYPE vigil_ship_spool_bytes gauge\nvigil_ship_spool_bytes 4096\n")
        .contains("# TYPE vigil_ship_queue_depth gauge\nvigil_ship_queue_depth 7\n");
    // Prometheus text format: every sample line is "<name> <value>".
    for (String line : text.split("\n")) {
      assertThat(line).matches("# (HELP|TYPE) vigil_ship_\\w+ .+|vigil_ship_\\w+ \\d+");
    }
  }
}
