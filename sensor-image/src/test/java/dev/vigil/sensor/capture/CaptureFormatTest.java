package dev.vigil.sensor.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.vigil.sensor.decode.Weirds;
import dev.vigil.sensor.testutil.Frames;
import dev.vigil.sensor.testutil.PcapWriter;
import dev.vigil.sensor.testutil.Scenarios;
import dev.vigil.sensor.testutil.SensorRun;
import dev.vigil.sensor.testutil.Trace;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFormatTest {
  @TempDir Path dir;

  record Rec(int linkType, int ifIndex, long ts, byte[] data, int wireLen) {}

  static List<Rec> readAll(Path file, Weirds weirds) throws IOException {
    List<Rec> out = new ArrayList<>();
    try (CaptureReader r = CaptureFiles.open(file, weirds)) {
      while (r.next(
          (lt, ifi, ts, buf, off, cap, wire) ->
              out.add(new Rec(lt, ifi, ts, Arrays.copyOfRange(buf, off, off + cap), wire)))) {
        // collect
      }
    }
    return out;
  }

  static void assertSameFrames(List<Rec> got, Trace t, int[] linkTypes) {
    assertThat(got).hasSize(t.frames().size());
    for (int i = 0; i < got.size(); i++) {
      Trace.Frame f = t.frames().get(i);
      assertThat(got.get(i).data()).isEqualTo(f.data());
      assertThat(got.get(i).wireLen()).isEqualTo(f.wireLen());
      assertThat(got.get(i).ts()).isEqualTo(f.tsNanos());
      assertThat(got.get(i).ifIndex()).isEqualTo(f.ifIndex());
      assertThat(got.get(i).linkType()).isEqualTo(linkTypes[f.ifIndex()]);
    }
  }

  @Test
  void pcapInBothByteOrdersAndResolutions() throws Exception {
    Trace t = Scenarios.tcpStates();
    t.addTruncated(
        10,
        Frames.ethernet(
            0x0800, Frames.ipv4("1.2.3.4", "5.6.7.8", 17, Frames.udp(1, 2, new byte[500]))),
        64);
    for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
      for (boolean nanos : List.of(false, true)) {
        Path f =
            PcapWriter.write(
                dir.resolve("t-" + order + nanos + ".cap"), PcapWriter.pcap(t, order, nanos));
        Weirds w = new Weirds();
        assertSameFrames(readAll(f, w), t, new int[] {1});
        assertThat(w.total()).isZero();
      }
    }
  }

  @Test
  void nanosecondTimestampsSurvive() throws Exception {
    Trace t = new Trace();
    byte[] frame =
        Frames.ethernet(
            0x0800, Frames.ipv4("1.2.3.4", "5.6.7.8", 17, Frames.udp(1, 2, new byte[5])));
    t.add(new Trace.Frame(Trace.T0 + 123_456_789L, 1, 0, frame, frame.length));
    Path f =
        PcapWriter.write(dir.resolve("n.pcap"), PcapWriter.pcap(t, ByteOrder.BIG_ENDIAN, true));
    assertThat(readAll(f, new Weirds()).get(0).ts()).isEqualTo(Trace.T0 + 123_456_789L);
  }

  @Test
  void pcapngWithSeveralInterfacesAndLinkTypes() throws Exception {
    Trace t = new Trace();
    byte[] ip =
        Frames.ipv4("10.0.0.1", "10.0.0.2", 17, Frames.udp(1000, 2000, Frames.payload(10, 0)));
    t.add(new Trace.Frame(Trace.T0 + 1_000, 1, 0, Frames.ethernet(0x0800, ip), 14 + ip.length));
    t.add(new Trace.Frame(Trace.T0 + 2_001, 101, 1, ip, ip.length)); // ns interface
    t.add(new Trace.Frame(Trace.T0 + 3_000, 113, 2, Frames.sll(0x0800, ip), 16 + ip.length));
    t.add(new Trace.Frame(Trace.T0 + 4_000, 1, 0, Frames.ethernet(0x0800, ip), 14 + ip.length));
    int[] lts = {1, 101, 113};
    for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
      Path f =
          PcapWriter.write(dir.resolve("t-" + order + ".pcapng"), PcapWriter.pcapng(t, order, lts));
      Weirds w = new Weirds();
      assertSameFrames(readAll(f, w), t, lts);
      assertThat(w.total()).isZero();
      SensorRun r = SensorRun.run(f, dir.resolve("logs-" + order));
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      assertThat(r.conns()).hasSize(1);
      assertThat(r.conns().get(0).get("orig_pkts").asInt()).isEqualTo(4);
    }
  }

  @Test
  void formatIsDetectedByMagicNotName() throws Exception {
    Trace t = Scenarios.udpIcmp();
    Path a =
        PcapWriter.write(dir.resolve("x.pcapng"), PcapWriter.pcap(t, ByteOrder.BIG_ENDIAN, true));
    Path b =
        PcapWriter.write(
            dir.resolve("y.pcap"), PcapWriter.pcapng(t, ByteOrder.LITTLE_ENDIAN, new int[] {1}));
    SensorRun ra = SensorRun.run(a, dir.resolve("la"));
    SensorRun rb = SensorRun.run(b, dir.resolve("lb"));
    assertThat(ra.exitCode()).isZero();
    assertThat(rb.exitCode()).isZero();
    assertThat(ra.connLog()).isEqualTo(rb.connLog()).isNotEmpty();
  }

  @Test
  void unreadableInputExitsNonZeroWithAMessage() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pcap"), "this is not a capture file");
    SensorRun r = SensorRun.run(junk, dir.resolve("l1"));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("unknown capture format");
    SensorRun missing = SensorRun.run(dir.resolve("nope.pcap"), dir.resolve("l2"));
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("no such file");
    Path empty = Files.write(dir.resolve("empty.pcap"), new byte[0]);
    assertThat(SensorRun.run(empty, dir.resolve("l3")).stderr()).contains("empty");
    byte[] badLink =
        PcapWriter.pcap(
            new Trace().linkType(147).add(1, new byte[20]), ByteOrder.LITTLE_ENDIAN, false);
    SensorRun bl =
        SensorRun.run(PcapWriter.write(dir.resolve("bl.pcap"), badLink), dir.resolve("l4"));
    assertThat(bl.exitCode()).isEqualTo(1);
    assertThat(bl.stderr()).contains("unsupported link type 147");
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    var err = new java.io.ByteArrayOutputStream();
    var ps = new java.io.PrintStream(err, true);
    assertThat(dev.vigil.sensor.cli.Main.run(new String[] {"--read"}, ps, ps)).isEqualTo(2);
    assertThat(dev.vigil.sensor.cli.Main.run(new String[] {"--bogus"}, ps, ps)).isEqualTo(2);
    assertThat(dev.vigil.sensor.cli.Main.run(new String[] {"--read", "x"}, ps, ps)).isEqualTo(2);
    assertThat(
            dev.vigil.sensor.cli.Main.run(
                new String[] {"--read", "x", "--logs", "y", "--bypass-bytes", "-1"}, ps, ps))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("--logs <dir> is required")
        .contains("unknown option --bogus");
  }

  /** Cutting a capture file anywhere ends it cleanly or fails as a format error, never worse. */
  @Test
  void truncatedAndCorruptedFilesNeverThrowUnchecked() throws Exception {
    Trace t = Scenarios.vlan();
    List<byte[]> files =
        List.of(
            PcapWriter.pcap(t, ByteOrder.LITTLE_ENDIAN, false),
            PcapWriter.pcapng(t, ByteOrder.BIG_ENDIAN, new int[] {1}));
    SplittableRandom rnd = new SplittableRandom(3);
    int cleanEnds = 0;
    int formatErrors = 0;
    for (byte[] whole : files) {
      for (int len = 0; len <= whole.length; len += 3) {
        byte[] cut = Arrays.copyOf(whole, len);
        for (int mutate = 0; mutate < 2; mutate++) {
          if (mutate == 1 && len > 0) {
            cut[rnd.nextInt(len)] = (byte) rnd.nextInt(256);
          }
          Path f = PcapWriter.write(dir.resolve("cut.bin"), cut);
          Weirds w = new Weirds();
          try {
            readAll(f, w);
            cleanEnds++;
          } catch (CaptureFormatException | java.io.EOFException e) {
            formatErrors++;
          }
        }
      }
    }
    assertThat(cleanEnds).isPositive();
    assertThat(formatErrors).isPositive();
  }

  @Test
  void aFileCutInsideItsLastRecordCountsAWeird() throws Exception {
    Trace t = Scenarios.udpIcmp();
    byte[] whole = PcapWriter.pcap(t, ByteOrder.LITTLE_ENDIAN, false);
    Path f = PcapWriter.write(dir.resolve("cut.pcap"), Arrays.copyOf(whole, whole.length - 5));
    Weirds w = new Weirds();
    assertThat(readAll(f, w)).hasSize(t.frames().size() - 1);
    assertThat(w.get(Weirds.BAD_CAPTURE_RECORD)).isEqualTo(1);
    assertThatCode(() -> SensorRun.run(f, dir.resolve("l"))).doesNotThrowAnyException();
  }
}
