package dev.vigil.sensor.analyzer;

import dev.vigil.sensor.flow.ConnRecord;

/**
 * Receives what the analyzers learned about a connection when the flow table reports it (before the
 * conn.log sink sees it): the detectors' input. Called once per report, also for active-timeout
 * parts of a long connection ({@code retiring} false) and for connections no analyzer recognised
 * (both facts null). One call at a time per worker.
 */
@FunctionalInterface
public interface FactSink {
  /**
   * @param flow the flow table slot: stable while the connection lives, reused after {@code
   *     retiring}
   * @param conn the connection (uid, endpoints, service); copy what you keep
   * @param ssl the TLS facts, or null
   * @param stratum the Stratum facts, or null
   */
  void onFacts(int flow, ConnRecord conn, SslSession ssl, StratumSession stratum, boolean retiring);

  FactSink NONE = (f, c, s, m, r) -> {};
}
