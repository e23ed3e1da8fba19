package dev.vigil.sensor.analyzer;

import static dev.vigil.sensor.testutil.TcpConv.ACK;
import static dev.vigil.sensor.testutil.TcpConv.NONE;
import static dev.vigil.sensor.testutil.TcpConv.PSH;
import static dev.vigil.sensor.testutil.TcpConv.SYN;
import static dev.vigil.sensor.testutil.TcpConv.SYNACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.sensor.flow.FlowConfig;
import dev.vigil.sensor.pipeline.Pipeline;
import dev.vigil.sensor.testutil.Frames;
import dev.vigil.sensor.testutil.TcpConv;
import dev.vigil.sensor.testutil.Trace;
import dev.vigil.sensor.testutil.Wrap;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HTTP bodies past the stream prefix go from the segments straight to the parser: nothing is
 * allocated per packet (thread allocation counter, after warm-up). Strings are built per request
 * and response line, not per body segment.
 */
class AnalyzerAllocationTest {

  @Test
  void httpBodySegmentsPastThePrefixAllocateNothing() {
    var bean = ManagementFactory.getThreadMXBean();
    assumeTrue(
        bean instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported(),
        "per-thread allocation counter not available on this JVM");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    Trace t = new Trace();
    TcpConv c = new TcpConv(t, Wrap.ethernetV4(), "10.5.0.1", 40000, "10.5.0.2", 80);
    c.c(10, SYN, NONE).s(10, SYNACK, NONE).c(10, ACK, NONE);
    c.c(10, PSH, ascii("GET /big HTTP/1.1\r\nHost: dl.example\r\n\r\n"));
    c.s(10, PSH, ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n"));
    int segments = 60_000;
    byte[] body = Frames.payload(500, 1);
    for (int i = 0; i < segments; i++) {
      c.s(10, PSH, body);
    }
    List<Trace.Frame> frames = t.frames();
    int[] http = new int[1];
    Pipeline p =
        new Pipeline(
            FlowConfig.defaults().withBypass(0, 0),
            r -> {},
            0,
            new AnalyzerSinks(SslSink.NONE, DnsSink.NONE, (tx, conn) -> http[0]++));
    int half = frames.size() / 2;
    for (int i = 0; i < half; i++) {
      Trace.Frame f = frames.get(i);
      p.onPacket(1, 0, f.tsNanos(), f.data(), 0, f.data().length, f.data().length);
    }
    long tid = Thread.currentThread().threadId();
    long before = threads.getThreadAllocatedBytes(tid);
    for (int i = half; i < frames.size(); i++) {
      Trace.Frame f = frames.get(i);
      p.onPacket(1, 0, f.tsNanos(), f.data(), 0, f.data().length, f.data().length);
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    int measured = frames.size() - half;
    p.finish();
    assertThat(http[0]).isEqualTo(1); // the transaction was parsed (logged at the end)
    assertThat((double) allocated / measured)
        .as("bytes allocated per HTTP body packet (%d bytes, %d packets)", allocated, measured)
        .isLessThan(1.0);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
