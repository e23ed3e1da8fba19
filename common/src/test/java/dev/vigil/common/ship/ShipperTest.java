package dev.vigil.common.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.schema.DataClass;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipper with OpenSearch unreachable: bounds and accounting, no node needed. */
class ShipperTest {
  @TempDir Path data;

  private static URI closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }

  private static Doc doc(int i) {
    return Doc.of(DataClass.DNS, 1_700_000_000_000L + i, "{\"n\":" + i + "}");
  }

  @Test
  void whenQueueAndSpoolAreFullTheNewestIsRefusedAndEveryAcceptedRecordIsKeptInOrder()
      throws IOException {
    URI down = closedPort();
    long oneRecord = Spool.encode(doc(0)).remaining();
    ShipperConfig cfg =
        ShipperConfig.defaults(() -> down, data)
            .withQueue(10, 5, Duration.ofMillis(5))
            .withSpool(oneRecord * 40, oneRecord * 8)
            .withBackoff(Duration.ofMillis(20), Duration.ofMillis(50))
            .withCloseTimeout(Duration.ofMillis(200));
    List<Integer> accepted = new ArrayList<>();
    int refused = 0;
    ShipperMetrics m;
    try (Shipper s = new Shipper(cfg)) {
      m = s.metrics();
      for (int i = 0; i < 200; i++) {
        Shipper.Offer o = s.offer(doc(i));
        if (o == Shipper.Offer.REFUSED) {
          refused++;
        } else {
          accepted.add(i);
        }
      }
    }
    assertThat(refused).isPositive();
    assertThat(m.refused.get()).isEqualTo(refused);
    assertThat(m.shipped.get()).isZero();
    assertThat(accepted).hasSizeGreaterThanOrEqualTo(40).startsWith(0, 1, 2, 3, 4);

    // Everything accepted is on disk after close, in offer order.
    List<Integer> spooled = new ArrayList<>();
    try (Spool spool = new Spool(cfg.spoolDir(), Long.MAX_VALUE, 1 << 20, new ShipperMetrics())) {
      while (!spool.isEmpty()) {
        Spool.Batch b = spool.read(1000, Long.MAX_VALUE);
        b.docs().forEach(d -> spooled.add((int) (d.epochMillis() - 1_700_000_000_000L)));
        spool.commit(b);
      }
    }
    assertThat(spooled).isEqualTo(accepted);
  }

  @Test
  void offersAfterCloseAreRefusedNotLost() throws IOException {
    URI down = closedPort();
    Shipper s = new Shipper(ShipperConfig.defaults(() -> down, data));
    s.close();
    assertThat(s.offer(doc(1))).isEqualTo(Shipper.Offer.REFUSED);
    assertThat(s.metrics().refused.get()).isEqualTo(1);
  }

  @Test
  void multiLineJsonIsRejectedAtTheDoor() {
    assertThatThrownBy(() -> Doc.of(DataClass.CONN, 0, "{\"a\":\n1}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void contentIdsAreDeterministicAndClassScoped() {
    assertThat(Doc.of(DataClass.CONN, 1, "{\"x\":1}").id())
        .isEqualTo(Doc.of(DataClass.CONN, 2, "{\"x\":1}").id())
        .isNotEqualTo(Doc.of(DataClass.DNS, 1, "{\"x\":1}").id())
        .isNotEqualTo(Doc.of(DataClass.CONN, 1, "{\"x\":2}").id())
        .hasSize(32);
  }
}
