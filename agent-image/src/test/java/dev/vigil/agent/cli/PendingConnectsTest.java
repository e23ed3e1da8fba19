package dev.vigil.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.detect.Alert;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingConnectsTest {
  private static final long HOLD = 2_000;

  private static Alert alert(String dst) {
    return new Alert(
        Alert.CONNECT_BACK, "to " + dst, Map.of("src", "10.0.0.5", "sport", 0, "dst", dst));
  }

  @Test
  void theSocketsNextTransitionBringsTheSourcePort() throws Exception {
    PendingConnects p = new PendingConnects(HOLD);
    assertThat(p.hold(0xffff1L, alert("198.51.100.7"), 0)).isEmpty();
    assertThat(p.complete(0xffff2L, InetAddress.getByName("10.0.0.5"), 40000)).isEmpty();
    Alert done = p.complete(0xffff1L, InetAddress.getByName("10.0.0.5"), 40001).orElseThrow();
    assertThat(done.fields()).containsEntry("sport", 40001).containsEntry("dst", "198.51.100.7");
    assertThat(p.size()).isZero();
    assertThat(p.complete(0xffff1L, InetAddress.getByName("10.0.0.5"), 40001)).isEmpty();
  }

  @Test
  void anUnansweredSocketsAlertGoesOutAfterTheHoldWithoutAPort() {
    PendingConnects p = new PendingConnects(HOLD);
    p.hold(1, alert("198.51.100.1"), 0);
    p.hold(2, alert("198.51.100.2"), 1_000);
    assertThat(p.expire(1_999)).isEmpty();
    assertThat(p.expire(2_500)).extracting(Alert::msg).containsExactly("to 198.51.100.1");
    assertThat(p.expire(3_000)).extracting(Alert::msg).containsExactly("to 198.51.100.2");
    assertThat(p.size()).isZero();
  }

  @Test
  void aReusedSocketAddressReleasesTheOlderAlert() {
    PendingConnects p = new PendingConnects(HOLD);
    p.hold(1, alert("198.51.100.1"), 0);
    assertThat(p.hold(1, alert("198.51.100.2"), 10)).map(Alert::msg).contains("to 198.51.100.1");
    assertThat(p.expire(10_000)).extracting(Alert::msg).containsExactly("to 198.51.100.2");
  }

  @Test
  void stoppingReleasesEverythingHeld() {
    PendingConnects p = new PendingConnects(HOLD);
    p.hold(1, alert("198.51.100.1"), 0);
    p.hold(2, alert("198.51.100.2"), 1);
    assertThat(p.drain())
        .extracting(Alert::msg)
        .containsExactly("to 198.51.100.1", "to 198.51.100.2");
    assertThat(p.size()).isZero();
  }
}
