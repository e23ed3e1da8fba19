package dev.vigil.sensor.analyzer;

import dev.vigil.sensor.flow.ConnRecord;

/**
 * Receives HTTP request/response pairs as they complete: the http.log writer, and detectors (hosts,
 * URIs, user agents) wired in later.
 */
@FunctionalInterface
public interface HttpSink {
  /** {@code conn}: the connection's identity (uid, endpoints); reused, copy what you keep. */
  void onHttp(HttpTransaction t, ConnRecord conn);

  HttpSink NONE = (t, c) -> {};
}
