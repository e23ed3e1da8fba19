package dev.vigil.sensor.analyzer;

/** Where the analyzers hand their facts: one sink per log (and, later, the detectors). */
public record AnalyzerSinks(SslSink ssl, DnsSink dns, HttpSink http) {
  public static final AnalyzerSinks NONE =
      new AnalyzerSinks(SslSink.NONE, DnsSink.NONE, HttpSink.NONE);

  public static AnalyzerSinks ssl(SslSink ssl) {
    return new AnalyzerSinks(ssl, DnsSink.NONE, HttpSink.NONE);
  }
}
