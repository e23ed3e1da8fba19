package dev.vigil.sensor.bench;

import dev.vigil.sensor.capture.CaptureFiles;
import dev.vigil.sensor.capture.CaptureReader;
import dev.vigil.sensor.decode.Weirds;
import dev.vigil.sensor.flow.FlowConfig;
import dev.vigil.sensor.pipeline.Pipeline;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Packet-path cost without I/O: loads a capture into memory, then runs decode + flow tracking over
 * it several times (normal and bypassed), printing ns/packet per round. {@code InMemoryBench
 * <file.pcap> [rounds]}.
 */
public final class InMemoryBench {
  private InMemoryBench() {}

  public static void main(String[] args) throws IOException {
    List<byte[]> frames = new ArrayList<>();
    List<Long> tss = new ArrayList<>();
    try (CaptureReader r = CaptureFiles.open(Path.of(args[0]), new Weirds())) {
      while (r.next(
          (lt, ifi, ts, b, off, cap, wire) -> {
            frames.add(Arrays.copyOfRange(b, off, off + cap));
            tss.add(ts);
          })) {
        // load
      }
    }
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    byte[][] data = frames.toArray(byte[][]::new);
    long[] ts = tss.stream().mapToLong(Long::longValue).toArray();
    steadyState(data, ts);
    for (String mode : List.of("normal", "bypass")) {
      for (int round = 0; round < rounds; round++) {
        FlowConfig cfg =
            mode.equals("bypass") ? FlowConfig.defaults().withBypass(0, 4) : FlowConfig.defaults();
        long[] logged = new long[1];
        Pipeline p = new Pipeline(cfg, rec -> logged[0]++);
        long t0 = System.nanoTime();
        for (int i = 0; i < data.length; i++) {
          p.onPacket(1, 0, ts[i], data[i], 0, data[i].length, data[i].length);
        }
        p.finish();
        long ns = System.nanoTime() - t0;
        System.out.printf(
            "%s round %d: %.1f ns/packet (%.2f Mpps), %d conns%n",
            mode, round, (double) ns / data.length, data.length * 1e3 / ns, logged[0]);
      }
    }
  }

  /**
   * Allocation on the packet path once the flows exist: the trace twice through one pipeline with
   * timeouts longer than the trace, the second pass measured with the thread's allocation counter.
   */
  private static void steadyState(byte[][] data, long[] ts) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long day = 86_400 * FlowConfig.SECOND;
    FlowConfig cfg = FlowConfig.defaults().withTimeouts(day, day, day, 0);
    long[] logged = new long[1];
    Pipeline p = new Pipeline(cfg, rec -> logged[0]++);
    for (int i = 0; i < data.length; i++) {
      p.onPacket(1, 0, ts[i], data[i], 0, data[i].length, data[i].length);
    }
    long tid = Thread.currentThread().threadId();
    long before = threads.getThreadAllocatedBytes(tid);
    long logBefore = logged[0];
    for (int i = 0; i < data.length; i++) {
      p.onPacket(1, 0, ts[i], data[i], 0, data[i].length, data[i].length);
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    System.out.printf(
        "steady state: %d bytes allocated over %d packets = %.4f bytes/packet"
            + " (%d new conns during the pass by port reuse, %.0f bytes each: per-connection results)%n",
        allocated,
        data.length,
        (double) allocated / data.length,
        logged[0] - logBefore,
        (double) allocated / Math.max(1, logged[0] - logBefore));
  }
}
