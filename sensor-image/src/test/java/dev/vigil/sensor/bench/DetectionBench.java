package dev.vigil.sensor.bench;

import dev.vigil.common.policy.CidrSet;
import dev.vigil.common.policy.PolicyDirectory;
import dev.vigil.sensor.analyzer.FactSink;
import dev.vigil.sensor.detect.Detection;
import dev.vigil.sensor.detect.DetectionStats;
import dev.vigil.sensor.detect.SensorPolicy;
import dev.vigil.sensor.flow.FlowConfig;
import dev.vigil.sensor.pipeline.Pipeline;
import dev.vigil.sensor.testutil.MixedTraffic;
import dev.vigil.sensor.testutil.Trace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What detection costs on the packet path: the same in-memory trace through the pipeline without
 * detectors (the peer) and with a policy of 100 000 trail addresses, 10 000 domains, a JA3/JA4
 * blocklist and connect-back, alternating, printing ns/packet and the ratio per round. {@code
 * DetectionBench [flows] [rounds]} (test classpath).
 */
public final class DetectionBench {
  private DetectionBench() {}

  public static void main(String[] args) throws Exception {
    int flows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<Trace.Frame> frames = MixedTraffic.generate(flows, 11).frames();
    byte[][] data = frames.stream().map(Trace.Frame::data).toArray(byte[][]::new);
    long[] ts = frames.stream().mapToLong(Trace.Frame::tsNanos).toArray();
    SensorPolicy policy = bigPolicy();
    long[] alerts = new long[1];
    double[] ratios = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      double off = run(data, ts, null, alerts);
      double on = run(data, ts, policy, alerts);
      ratios[round] = on / off;
      System.out.printf(
          "round %d: %d packets; without detection %.1f ns/packet, with %.1f ns/packet:"
              + " ratio %.3f (%d alerts)%n",
          round, data.length, off, on, on / off, alerts[0]);
      alerts[0] = 0;
    }
    java.util.Arrays.sort(ratios);
    System.out.printf(
        "median ratio with/without detection over %d rounds: %.3f%n", rounds, ratios[rounds / 2]);
  }

  static double run(byte[][] data, long[] ts, SensorPolicy policy, long[] alerts) {
    FlowConfig cfg = FlowConfig.defaults().withMaxFlows(1 << 16); // table setup stays small
    FactSink facts =
        policy == null
            ? FactSink.NONE
            : new Detection(
                cfg.maxFlows(),
                () -> policy,
                (a, j) -> alerts[0]++,
                new DetectionStats(),
                cfg.uidSeed(),
                "bench",
                null);
    long[] conns = new long[1];
    Pipeline p = new Pipeline(cfg, r -> conns[0]++, 0, (s, r) -> {}, facts);
    long t0 = System.nanoTime();
    for (int i = 0; i < data.length; i++) {
      p.onPacket(1, 0, ts[i], data[i], 0, data[i].length, data[i].length);
    }
    p.finish();
    return (double) (System.nanoTime() - t0) / data.length;
  }

  static SensorPolicy bigPolicy() throws Exception {
    StringBuilder t = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      t.append(i == 0 ? "" : ",")
          .append("{\"type\":\"ip\",\"value\":\"100.")
          .append(64 + (i >> 16))
          .append('.')
          .append((i >> 8) & 255)
          .append('.')
          .append(i & 255)
          .append("\",\"info\":\"bulk\"}");
    }
    for (int i = 0; i < 10_000; i++) {
      t.append(",{\"type\":\"domain\",\"value\":\"d").append(i).append(".example\"}");
    }
    String doc =
        """
        {"schema":1,"name":"bench","namespace":"b","generation":1,
         "spec":{"mode":"enforce",
           "tls":{"ja3":[{"value":"72a589da586844d7f0818ce684948eea","name":"x"}],
                  "ja4":[{"value":"t13d190900_9dc949149365_97f8aa674fd9","name":"y"}]},
           "connectBack":{"internalNetworks":["10.0.0.0/8"],"allowedDestinations":["0.0.0.0/0"]}},
         "trails":[%s]}
        """
            .formatted(t);
    Map<String, byte[]> files = new TreeMap<>();
    files.put("bench.json", doc.getBytes(StandardCharsets.UTF_8));
    return SensorPolicy.compile(
        PolicyDirectory.load(
            new PolicyDirectory.Snapshot(
                Path.of("bench"), files, PolicyDirectory.fingerprint(files))),
        CidrSet.empty());
  }
}
