package dev.vigil.sensor.analyzer;

/**
 * What the Stratum analysis of one connection found: the fact "this client speaks a mining
 * protocol", with the first mining method and, when the client sent them within the analyzed
 * prefix, its login (worker or wallet) and miner agent. Held by the connection's stream slot and
 * reused by the slot's next connections (the detectors get it before the slot is released); strings
 * are built once per connection.
 */
public final class StratumSession {
  /** Time of the segment that completed the first mining message. */
  public long tsNanos;

  /** The first mining method, e.g. {@code mining.subscribe}, {@code login}. */
  public String method;

  /** Worker or wallet login ({@code mining.authorize}, xmrig {@code login}, eth), or null. */
  public String login;

  /** The miner's user agent ({@code mining.subscribe} or xmrig {@code agent}), or null. */
  public String agent;

  /** Which side is the miner (the client of the pool): true for the originator. */
  public boolean minerIsOrig;

  /** Handed to the detectors already. */
  boolean reported;

  void reset() {
    reported = false;
    tsNanos = 0;
    method = login = agent = null;
    minerIsOrig = true;
  }
}
