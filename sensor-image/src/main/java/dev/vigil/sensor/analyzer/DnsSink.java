package dev.vigil.sensor.analyzer;

import dev.vigil.sensor.flow.ConnRecord;

/**
 * Receives DNS transactions (query, answers) as they complete: the dns.log writer, and detectors
 * (DGA, DNS tunnelling, threat-intel domains) wired in later.
 */
@FunctionalInterface
public interface DnsSink {
  /** {@code conn}: the connection's identity (uid, endpoints); reused, copy what you keep. */
  void onDns(DnsTransaction t, ConnRecord conn);

  DnsSink NONE = (t, c) -> {};
}
