package dev.vigil.sensor.analyzer;

import dev.vigil.sensor.flow.ConnRecord;

/**
 * Receives each fact the analyzers learn about a connection as soon as it is known: the detectors'
 * input. Every fact is delivered at most once per connection (a long connection split by the active
 * timeout is one connection here), on the worker's thread, with the connection's identity in {@code
 * conn} (uid, endpoints, protocol, start; copy what you keep). {@link #onRetire} says the flow id
 * is free and the next fact on it belongs to a new connection.
 */
public interface FactSink {
  /** The connection's first packet (addresses, ports, protocol). */
  default void onConnection(int flow, ConnRecord conn) {}

  /** The client's hello was parsed: {@code ssl} has its JA3, JA4 and SNI (or {@code sslv2}). */
  default void onClientHello(int flow, ConnRecord conn, SslSession ssl) {}

  /** The server's hello was parsed: {@code ssl} has its JA3S (and the client's facts). */
  default void onServerHello(int flow, ConnRecord conn, SslSession ssl) {}

  /**
   * A Stratum client: the analyzer identified it and either saw its login or stopped waiting for
   * one ({@link Analyzers} says when); {@code stratum.login} is null in the second case.
   */
  default void onStratum(int flow, ConnRecord conn, StratumSession stratum) {}

  /** The connection ended: {@code flow} will be reused. */
  default void onRetire(int flow) {}

  /** Bytes of per-flow state this sink keeps (counted with the flow state), 0 by default. */
  default long stateBytes() {
    return 0;
  }

  FactSink NONE = new FactSink() {};
}
