package dev.vigil.sensor.analyzer;

import dev.vigil.sensor.flow.ConnRecord;

/**
 * Receives one TLS session per connection, once: when its handshake analysis ends (the ServerHello
 * parsed and the client's ChangeCipherSpec or data seen, the prefix full, a bypass), or when the
 * connection is reported before that. The session is reused afterwards: copy what you keep.
 */
@FunctionalInterface
public interface SslSink {
  /** {@code conn}: the connection's identity (uid, endpoints); copy what you keep. */
  void onSsl(SslSession session, ConnRecord conn);

  SslSink NONE = (s, c) -> {};
}
