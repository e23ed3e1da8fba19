package dev.vigil.sensor.analyzer;

import dev.vigil.sensor.flow.ConnRecord;

/**
 * Where the analyzers hand their facts: one sink per log, and the per-connection facts for the
 * detectors ({@link FactSink}).
 */
public record AnalyzerSinks(SslSink ssl, DnsSink dns, HttpSink http, FactSink facts) {
  public static final AnalyzerSinks NONE =
      new AnalyzerSinks(SslSink.NONE, DnsSink.NONE, HttpSink.NONE, FactSink.NONE);

  public AnalyzerSinks(SslSink ssl, DnsSink dns, HttpSink http) {
    this(ssl, dns, http, FactSink.NONE);
  }

  public static AnalyzerSinks ssl(SslSink ssl) {
    return new AnalyzerSinks(ssl, DnsSink.NONE, HttpSink.NONE, FactSink.NONE);
  }

  /**
   * These sinks, then {@code next}'s: each fact goes to both, this one's first (the logs before the
   * detectors). The {@code NONE} sinks are skipped, so joining costs nothing per fact when a side
   * has nothing to receive.
   */
  public AnalyzerSinks and(AnalyzerSinks next) {
    return new AnalyzerSinks(
        both(ssl, next.ssl), both(dns, next.dns), both(http, next.http), both(facts, next.facts));
  }

  private static SslSink both(SslSink a, SslSink b) {
    if (b == SslSink.NONE) {
      return a;
    }
    if (a == SslSink.NONE) {
      return b;
    }
    return (s, c) -> {
      a.onSsl(s, c);
      b.onSsl(s, c);
    };
  }

  private static DnsSink both(DnsSink a, DnsSink b) {
    if (b == DnsSink.NONE) {
      return a;
    }
    if (a == DnsSink.NONE) {
      return b;
    }
    return (t, c) -> {
      a.onDns(t, c);
      b.onDns(t, c);
    };
  }

  private static HttpSink both(HttpSink a, HttpSink b) {
    if (b == HttpSink.NONE) {
      return a;
    }
    if (a == HttpSink.NONE) {
      return b;
    }
    return (t, c) -> {
      a.onHttp(t, c);
      b.onHttp(t, c);
    };
  }

  private static FactSink both(FactSink a, FactSink b) {
    if (b == FactSink.NONE) {
      return a;
    }
    if (a == FactSink.NONE) {
      return b;
    }
    return new FactSink() {
      @Override
      public void onConnection(int flow, ConnRecord conn) {
        a.onConnection(flow, conn);
        b.onConnection(flow, conn);
      }

      @Override
      public void onClientHello(int flow, ConnRecord conn, SslSession ssl) {
        a.onClientHello(flow, conn, ssl);
        b.onClientHello(flow, conn, ssl);
      }

      @Override
      public void onServerHello(int flow, ConnRecord conn, SslSession ssl) {
        a.onServerHello(flow, conn, ssl);
        b.onServerHello(flow, conn, ssl);
      }

      @Override
      public void onStratum(int flow, ConnRecord conn, StratumSession stratum) {
        a.onStratum(flow, conn, stratum);
        b.onStratum(flow, conn, stratum);
      }

      @Override
      public void onRetire(int flow) {
        a.onRetire(flow);
        b.onRetire(flow);
      }

      @Override
      public long stateBytes() {
        return a.stateBytes() + b.stateBytes();
      }
    };
  }
}
