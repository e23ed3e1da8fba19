package dev.vigil.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Retry policy against a loopback receiver; the sleeper records instead of sleeping. */
class NotifierTest {
  private static final Notifier.Permit ALWAYS = () -> {};

  private final List<Duration> slept = new ArrayList<>();
  private final Notifier notifier =
      new Notifier(
          HttpClient.newHttpClient(),
          new RouterConfig.Timing(
              Duration.ofSeconds(1),
              Duration.ofMillis(100),
              Duration.ofMillis(250),
              3,
              Duration.ofSeconds(30),
              Duration.ofSeconds(60)),
          slept::add);

  @Test
  void retriesServerErrorsAndThrottlingWithDoublingCappedBackoff() throws Exception {
    try (Receiver r = new Receiver(200, 503, 429)) {
      assertThat(notifier.post("x", r.url("/hook"), "tok", "{}", Set.of(), ALWAYS))
          .isEqualTo(Notifier.Outcome.DELIVERED);
      assertThat(r.requests())
          .extracting(Receiver.Request::answered)
          .containsExactly(503, 429, 200);
      assertThat(r.requests())
          .allSatisfy(q -> assertThat(q.authorization()).isEqualTo("Bearer tok"));
      assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }
  }

  @Test
  void givesUpForThisPollAfterItsAttempts() throws Exception {
    try (Receiver r = new Receiver(200, 500, 500, 500, 500)) {
      assertThat(notifier.post("x", r.url("/hook"), null, "{}", Set.of(), ALWAYS))
          .isEqualTo(Notifier.Outcome.RETRY_LATER);
      assertThat(r.requests()).hasSize(3);
      assertThat(r.requests().getFirst().authorization()).isNull();
      assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }
  }

  @Test
  void clientErrorIsFinalAtOnce() throws Exception {
    try (Receiver r = new Receiver(200, 400)) {
      assertThat(notifier.post("x", r.url("/hook"), null, "{}", Set.of(), ALWAYS))
          .isEqualTo(Notifier.Outcome.REJECTED);
      assertThat(r.requests()).hasSize(1);
      assertThat(slept).isEmpty();
    }
  }

  @Test
  void stopsBeforeAnAttemptItsPermitRefuses() throws Exception {
    try (Receiver r = new Receiver(200, 503)) {
      int[] asked = {0};
      Notifier.Permit lostAfterFirst =
          () -> {
            if (asked[0]++ > 0) {
              throw new RouterLease.LostException("fenced");
            }
          };
      assertThatThrownBy(
              () -> notifier.post("x", r.url("/hook"), null, "{}", Set.of(), lostAfterFirst))
          .isInstanceOf(RouterLease.LostException.class);
      assertThat(r.requests()).as("the retry after the 503 was not sent").hasSize(1);
    }
  }
}
