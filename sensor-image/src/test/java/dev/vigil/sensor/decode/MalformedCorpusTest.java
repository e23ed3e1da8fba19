package dev.vigil.sensor.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sensor.flow.FlowConfig;
import dev.vigil.sensor.pipeline.Pipeline;
import dev.vigil.sensor.testutil.Scenarios;
import dev.vigil.sensor.testutil.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Malformed and truncated input: every scenario frame cut at every length, random bytes on every
 * link type, and random mutations of valid frames. Nothing may throw; cuts must be counted.
 */
class MalformedCorpusTest {
  static final int[] LINK_TYPES = {0, 1, 9, 12, 14, 101, 108, 113, 228, 229, 276, 147};

  static List<byte[]> validFrames() {
    List<byte[]> frames = new ArrayList<>();
    Weirds w = new Weirds();
    Decoder d = new Decoder(w);
    PacketInfo p = new PacketInfo();
    for (var s : Scenarios.all().values()) {
      for (Trace.Frame f : s.get().frames()) {
        if (d.decode(1, f.data(), 0, f.data().length, f.data().length, 0, p)) {
          frames.add(f.data());
        }
      }
    }
    assertThat(w.total()).as("scenario frames decode cleanly").isZero();
    return frames;
  }

  @Test
  void everyTruncationOfEveryFrameIsAWeirdNeverAnException() {
    List<byte[]> frames = validFrames();
    assertThat(frames).hasSizeGreaterThan(300);
    Weirds weirds = new Weirds();
    Decoder d = new Decoder(weirds);
    PacketInfo p = new PacketInfo();
    SplittableRandom rnd = new SplittableRandom(1);
    long cuts = 0;
    for (byte[] frame : frames) {
      // garbage after the cut: the decoder must stop at capLen, not at the array's end
      byte[] buf = new byte[frame.length + 64];
      for (int len = 0; len < frame.length; len++) {
        rnd.nextBytes(buf);
        System.arraycopy(frame, 0, buf, 0, len);
        long before = weirds.total();
        boolean ok = d.decode(1, buf, 0, len, len, 0, p);
        assertThat(ok).as("frame cut at %d of %d decoded", len, frame.length).isFalse();
        assertThat(weirds.total())
            .as("frame cut at %d of %d counted no weird", len, frame.length)
            .isGreaterThan(before);
        cuts++;
      }
    }
    assertThat(cuts).isGreaterThan(10_000);
    assertThat(weirds.get(Weirds.TRUNCATED_IP)).isPositive();
    assertThat(weirds.get(Weirds.TRUNCATED_LINK_HEADER)).isPositive();
    assertThat(weirds.get(Weirds.TRUNCATED_IPV6)).isPositive();
    assertThat(weirds.get(Weirds.EMPTY_PACKET)).isPositive();
  }

  @Test
  void snapLengthCutsAreNotMalformedWhileHeadersFit() {
    Weirds weirds = new Weirds();
    Decoder d = new Decoder(weirds);
    PacketInfo p = new PacketInfo();
    for (byte[] frame : validFrames()) {
      for (int len = 0; len < frame.length; len++) {
        d.decode(1, frame, 0, len, frame.length, 0, p); // must not throw
      }
    }
    // A TCP frame cut right after its headers still decodes, with lengths from the headers.
    byte[] tcp =
        dev.vigil.sensor.testutil.Frames.ethernet(
            0x0800,
            dev.vigil.sensor.testutil.Frames.ipv4(
                "1.1.1.1",
                "2.2.2.2",
                6,
                dev.vigil.sensor.testutil.Frames.tcp(1, 2, 3, 4, 0x18, new byte[1000])));
    long before = weirds.total();
    assertThat(d.decode(1, tcp, 0, 54, tcp.length, 0, p)).isTrue();
    assertThat(weirds.total()).isEqualTo(before);
    assertThat(p.payloadLength).isEqualTo(1000);
    assertThat(p.ipLength).isEqualTo(1040);
  }

  @Test
  void randomBytesOnEveryLinkTypeThroughTheWholePipeline() {
    Pipeline pipeline = new Pipeline(FlowConfig.defaults().withMaxFlows(512), r -> {});
    SplittableRandom rnd = new SplittableRandom(42);
    byte[] buf = new byte[256];
    long ts = Trace.T0;
    long unknownLinkNonEmpty = 0;
    for (int lt : LINK_TYPES) {
      for (int i = 0; i < 20_000; i++) {
        int len = rnd.nextInt(buf.length + 1);
        if (lt == 147 && len > 0) {
          unknownLinkNonEmpty++;
        }
        rnd.nextBytes(buf);
        // bias towards plausible headers so decoding goes deep
        if (len > 20 && rnd.nextBoolean()) {
          buf[12] = 0x08;
          buf[13] = 0;
          buf[14] = 0x45;
          buf[0] = (byte) (rnd.nextBoolean() ? 0x45 : 0x60);
        }
        ts += 1000;
        pipeline.onPacket(lt, 0, ts, buf, 0, len, len + rnd.nextInt(3));
      }
    }
    pipeline.finish();
    assertThat(pipeline.packets()).isEqualTo(LINK_TYPES.length * 20_000L);
    assertThat(pipeline.weirds().total()).isGreaterThan(pipeline.packets() / 2);
    assertThat(pipeline.weirds().get(Weirds.UNKNOWN_LINK_TYPE)).isEqualTo(unknownLinkNonEmpty);
  }

  @Test
  void randomMutationsOfValidFramesThroughTheWholePipeline() {
    List<byte[]> frames = validFrames();
    Pipeline pipeline = new Pipeline(FlowConfig.defaults().withMaxFlows(256), r -> {});
    SplittableRandom rnd = new SplittableRandom(7);
    long ts = Trace.T0;
    for (int round = 0; round < 100; round++) {
      for (byte[] f : frames) {
        byte[] m = f.clone();
        int flips = 1 + rnd.nextInt(4);
        for (int k = 0; k < flips; k++) {
          m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
        }
        ts += 10_000;
        pipeline.onPacket(1, 0, ts, m, 0, m.length, m.length);
      }
    }
    pipeline.finish();
    assertThat(pipeline.packets()).isEqualTo(100L * frames.size());
    assertThat(pipeline.weirds().total()).isPositive();
    assertThat(pipeline.decoded()).isPositive();
  }

  @Test
  void badOffsetsAndLengthsAreRejected() {
    Weirds weirds = new Weirds();
    Decoder d = new Decoder(weirds);
    PacketInfo p = new PacketInfo();
    byte[] b = new byte[64];
    assertThat(d.decode(1, b, 60, 10, 10, 0, p)).isFalse();
    assertThat(d.decode(1, b, -1, 10, 10, 0, p)).isFalse();
    assertThat(d.decode(1, b, 0, -5, 10, 0, p)).isFalse();
    assertThat(weirds.get(Weirds.EMPTY_PACKET)).isEqualTo(3);
  }

  @Test
  void deeplyNestedTunnelsStopAtTheDepthLimit() {
    byte[] inner =
        dev.vigil.sensor.testutil.Frames.ipv4(
            "9.9.9.1", "9.9.9.2", 17, dev.vigil.sensor.testutil.Frames.udp(1, 2, new byte[4]));
    for (int i = 0; i < 10; i++) {
      inner = dev.vigil.sensor.testutil.Frames.ipv4("8.8.8.1", "8.8.8.2", 4, inner);
    }
    byte[] frame = dev.vigil.sensor.testutil.Frames.ethernet(0x0800, inner);
    Weirds weirds = new Weirds();
    Decoder d = new Decoder(weirds);
    assertThat(d.decode(1, frame, 0, frame.length, frame.length, 0, new PacketInfo())).isFalse();
    assertThat(weirds.get(Weirds.EXCEEDED_TUNNEL_MAX_DEPTH)).isEqualTo(1);
  }
}
