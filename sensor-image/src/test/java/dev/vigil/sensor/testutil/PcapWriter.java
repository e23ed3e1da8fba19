package dev.vigil.sensor.testutil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a {@link Trace} as pcap (either byte order, micro or nano) or pcapng. */
public final class PcapWriter {
  private PcapWriter() {}

  public static byte[] pcap(Trace t, ByteOrder order, boolean nanos) {
    List<Trace.Frame> frames = t.frames();
    int linkType = frames.isEmpty() ? 1 : frames.get(0).linkType();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer h = ByteBuffer.allocate(24).order(order);
    h.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4);
    h.putInt(0).putInt(0).putInt(262144).putInt(linkType);
    out.writeBytes(h.array());
    for (Trace.Frame f : frames) {
      ByteBuffer r = ByteBuffer.allocate(16).order(order);
      long sec = f.tsNanos() / 1_000_000_000L;
      long frac = f.tsNanos() % 1_000_000_000L;
      r.putInt((int) sec).putInt((int) (nanos ? frac : frac / 1000));
      r.putInt(f.data().length).putInt(f.wireLen());
      out.writeBytes(r.array());
      out.writeBytes(f.data());
    }
    return out.toByteArray();
  }

  /**
   * pcapng with one IDB per distinct (ifIndex, linkType) in the trace, microsecond resolution on
   * even interfaces and nanosecond ({@code if_tsresol} = 9) on odd ones, EPBs for packets.
   */
  public static byte[] pcapng(Trace t, ByteOrder order, int[] ifLinkTypes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // SHB
    ByteBuffer shb = ByteBuffer.allocate(28).order(order);
    shb.putInt(0x0a0d0d0a).putInt(28).putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0);
    shb.putLong(-1L).putInt(28);
    out.writeBytes(shb.array());
    for (int i = 0; i < ifLinkTypes.length; i++) {
      boolean nano = (i & 1) == 1;
      int len = 20 + (nano ? 8 + 4 : 4);
      ByteBuffer idb = ByteBuffer.allocate(len).order(order);
      idb.putInt(1).putInt(len).putShort((short) ifLinkTypes[i]).putShort((short) 0).putInt(0);
      if (nano) {
        idb.putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3]);
      }
      idb.putShort((short) 0).putShort((short) 0); // opt_endofopt
      idb.putInt(len);
      out.writeBytes(idb.array());
    }
    // a block we must skip (Name Resolution, empty)
    ByteBuffer nrb = ByteBuffer.allocate(16).order(order);
    nrb.putInt(4).putInt(16).putInt(0).putInt(16);
    out.writeBytes(nrb.array());
    for (Trace.Frame f : t.frames()) {
      int pad = (4 - (f.data().length & 3)) & 3;
      int len = 32 + f.data().length + pad;
      boolean nano = (f.ifIndex() & 1) == 1;
      long ts = nano ? f.tsNanos() : f.tsNanos() / 1000L;
      ByteBuffer epb = ByteBuffer.allocate(len).order(order);
      epb.putInt(6).putInt(len).putInt(f.ifIndex());
      epb.putInt((int) (ts >>> 32)).putInt((int) ts);
      epb.putInt(f.data().length).putInt(f.wireLen()).put(f.data()).put(new byte[pad]).putInt(len);
      out.writeBytes(epb.array());
    }
    return out.toByteArray();
  }

  public static Path write(Path file, byte[] content) throws IOException {
    Files.write(file, content);
    return file;
  }
}
