package dev.vigil.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  @Test
  void burstThenSustainedRate() {
    AtomicLong now = new AtomicLong(0);
    TokenBucket b = new TokenBucket(6, 3, now::get); // one token every 10 s
    assertThat(b.tryTake()).isTrue();
    assertThat(b.tryTake()).isTrue();
    assertThat(b.tryTake()).isTrue();
    assertThat(b.tryTake()).isFalse();
    now.addAndGet(9_999_000_000L);
    assertThat(b.tryTake()).isFalse();
    now.addAndGet(1_000_000L);
    assertThat(b.tryTake()).isTrue();
    assertThat(b.tryTake()).isFalse();
    now.addAndGet(3_600_000_000_000L); // an hour idle: refills to burst, not beyond
    assertThat(b.available()).isEqualTo(3.0);
  }

  @Test
  void refundGivesBackOneTokenUpToCapacity() {
    AtomicLong now = new AtomicLong(0);
    TokenBucket b = new TokenBucket(1, 1, now::get);
    assertThat(b.tryTake()).isTrue();
    assertThat(b.tryTake()).isFalse();
    b.refund();
    b.refund();
    assertThat(b.available()).isEqualTo(1.0);
  }
}
