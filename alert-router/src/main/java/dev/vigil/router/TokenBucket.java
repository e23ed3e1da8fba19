package dev.vigil.router;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code perMinute} a minute. Not thread
 * safe (the router uses it from its one thread).
 */
final class TokenBucket {
  private final double capacity;
  private final double perNano;
  private final LongSupplier nanoClock;
  private double tokens;
  private long last;

  TokenBucket(int perMinute, int burst, LongSupplier nanoClock) {
    this.capacity = burst;
    this.perNano = perMinute / 60e9;
    this.nanoClock = nanoClock;
    this.tokens = burst;
    this.last = nanoClock.getAsLong();
  }

  /** Takes one token if there is one. */
  boolean tryTake() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Gives back a token taken for a notification that could not be delivered. */
  void refund() {
    tokens = Math.min(capacity, tokens + 1);
  }

  double available() {
    refill();
    return tokens;
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    long elapsed = now - last;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * perNano);
      last = now;
    }
  }
}
