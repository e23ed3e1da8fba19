package dev.vigil.sensor.analyzer;

import dev.vigil.sensor.flow.ConnRecord;

/** Receives one TLS session per connection when the connection is reported. */
@FunctionalInterface
public interface SslSink {
  /** {@code conn}: the connection being reported (uid, endpoints); copy what you keep. */
  void onSsl(SslSession session, ConnRecord conn);

  SslSink NONE = (s, c) -> {};
}
