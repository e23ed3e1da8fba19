package dev.vigil.sensor.bench;

import dev.vigil.sensor.decode.Weirds;
import dev.vigil.sensor.testutil.TlsHellos;
import dev.vigil.sensor.tls.HelloParser;
import dev.vigil.sensor.tls.Ja3;
import dev.vigil.sensor.tls.Ja4;
import dev.vigil.sensor.tls.ReferenceFingerprints;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * JMH: JA3 + JA4 of one ClientHello (the browserleaks Chrome hello of {@link TlsHellos#chrome}:
 * GREASE, SNI, ALPN, 19 extensions, 16 ciphers, one TLS record), parsed from the record each time.
 * Three ways, in the same run:
 *
 * <ul>
 *   <li>{@code production}: {@link HelloParser} + {@link Ja3#compute} + {@link Ja4#compute} into
 *       their reused buffers (the per-hello work of the packet path);
 *   <li>{@code productionStrings}: the same, plus the two {@code String}s the analyzer keeps for
 *       ssl.log ({@link Ja3#hash}, {@link Ja4#fingerprint}), once per TLS connection;
 *   <li>{@code parseOnly}, {@code ja3Only}, {@code ja4Only}: the three parts of {@code production};
 *   <li>{@code reference}: the peer, the textbook way ({@link ReferenceFingerprints}: ByteBuffer
 *       parse into boxed lists, String joins, sorted hex Strings, a new MessageDigest per hash).
 * </ul>
 *
 * <p>{@link #main} runs them with {@code -prof gc} and prints ns/op, B/op (gc.alloc.rate.norm) and
 * the reference/production ratio: {@code sensor-image/bench/ja34-bench.sh} (part of {@code make
 * bench}). Arguments: forks, warmup iterations, measurement iterations (1 s each); default 1 3 5.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Ja34Bench {
  byte[] record;
  HelloParser parser;
  Ja3 ja3;
  Ja4 ja4;

  @Setup
  public void setup() {
    record = TlsHellos.chrome().record();
    parser = new HelloParser(new Weirds(), 16384);
    ja3 = new Ja3();
    ja4 = new Ja4();
    if (parser.parse(record, record.length, true, HelloParser.TYPE_CLIENT_HELLO)
        != HelloParser.HELLO) {
      throw new IllegalStateException("the benchmark hello does not parse");
    }
    String prod =
        ja3.compute(parser.client).hash() + " " + ja4.compute(parser.client).fingerprint();
    ReferenceFingerprints.Hello h = ReferenceFingerprints.parse(record);
    String ref = ReferenceFingerprints.ja3(h) + " " + ReferenceFingerprints.ja4(h);
    if (!prod.equals("98487aa16281980e7d1120d399efb6a4 t13d1516h2_8daaf6152771_d8a2da3f94cd")
        || !prod.equals(ref)) {
      throw new IllegalStateException("fingerprints differ: " + prod + " vs " + ref);
    }
  }

  @Benchmark
  public void production(Blackhole bh) {
    bh.consume(parser.parse(record, record.length, true, HelloParser.TYPE_CLIENT_HELLO));
    bh.consume(ja3.compute(parser.client));
    bh.consume(ja4.compute(parser.client));
  }

  @Benchmark
  public void productionStrings(Blackhole bh) {
    parser.parse(record, record.length, true, HelloParser.TYPE_CLIENT_HELLO);
    bh.consume(ja3.compute(parser.client).hash());
    bh.consume(ja4.compute(parser.client).fingerprint());
  }

  /** The parts of {@code production}, to see where its time goes. */
  @Benchmark
  public int parseOnly() {
    return parser.parse(record, record.length, true, HelloParser.TYPE_CLIENT_HELLO);
  }

  @Benchmark
  public Ja3 ja3Only() {
    return ja3.compute(parser.client);
  }

  @Benchmark
  public Ja4 ja4Only() {
    return ja4.compute(parser.client);
  }

  @Benchmark
  public void reference(Blackhole bh) {
    ReferenceFingerprints.Hello h = ReferenceFingerprints.parse(record);
    bh.consume(ReferenceFingerprints.ja3(h));
    bh.consume(ReferenceFingerprints.ja4(h));
  }

  public static void main(String[] args) throws RunnerException {
    int forks = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Options opts =
        new OptionsBuilder()
            .include(Ja34Bench.class.getName() + "\\.")
            .forks(forks)
            .warmupIterations(warmups)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(iterations)
            .measurementTime(TimeValue.seconds(1))
            .addProfiler(GCProfiler.class)
            .build();
    Collection<RunResult> results = new Runner(opts).run();
    double prodNs = 0;
    double refNs = 0;
    System.out.println();
    System.out.println("JA3+JA4 per ClientHello (Chrome hello, parse included):");
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      Result<?> time = r.getPrimaryResult();
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      System.out.printf(
          Locale.ROOT,
          "  %-18s %8.1f ± %.1f ns/op  %7.1f B/op%n",
          name,
          time.getScore(),
          time.getScoreError(),
          alloc == null ? Double.NaN : alloc.getScore());
      if (name.equals("production")) {
        prodNs = time.getScore();
      } else if (name.equals("reference")) {
        refNs = time.getScore();
      }
    }
    System.out.printf(Locale.ROOT, "ratio reference / production (ns/op): %.1f%n", refNs / prodNs);
    // The same two by this thread's CPU clock (JMH's scores are wall clock, which a shared
    // machine inflates): the best of 5 rounds, after the JIT has compiled both.
    Ja34Bench b = new Ja34Bench();
    b.setup();
    Blackhole bh =
        new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is"
                + " dangerous.");
    double prodCpu = Double.MAX_VALUE;
    double refCpu = Double.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      prodCpu = Math.min(prodCpu, cpuNanosPerOp(() -> b.production(bh), 400_000));
      refCpu = Math.min(refCpu, cpuNanosPerOp(() -> b.reference(bh), 40_000));
    }
    System.out.printf(
        Locale.ROOT,
        "thread CPU time: production %.0f ns/op, reference %.0f ns/op, ratio %.1f%n",
        prodCpu,
        refCpu,
        refCpu / prodCpu);
    double parseCpu = Double.MAX_VALUE;
    double ja3Cpu = Double.MAX_VALUE;
    double ja4Cpu = Double.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      parseCpu = Math.min(parseCpu, cpuNanosPerOp(() -> bh.consume(b.parseOnly()), 400_000));
      ja3Cpu = Math.min(ja3Cpu, cpuNanosPerOp(() -> bh.consume(b.ja3Only()), 400_000));
      ja4Cpu = Math.min(ja4Cpu, cpuNanosPerOp(() -> bh.consume(b.ja4Only()), 400_000));
    }
    System.out.printf(
        Locale.ROOT,
        "thread CPU time of the parts: parse %.0f, JA3 %.0f, JA4 %.0f ns/op%n",
        parseCpu,
        ja3Cpu,
        ja4Cpu);
  }

  private static double cpuNanosPerOp(Runnable op, int n) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long t0 = mx.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) {
      op.run();
    }
    return (mx.getCurrentThreadCpuTime() - t0) / (double) n;
  }
}
