package dev.vigil.sensor.capture;

import dev.vigil.sensor.decode.Weirds;
import java.io.IOException;

/**
 * Classic libpcap file.
 *
 * <pre>
 *  File header (24 bytes, byte order given by the magic):
 *   0  magic        0xa1b2c3d4 (microseconds) or 0xa1b23c4d (nanoseconds)
 *   4  version      major (2), minor (2)
 *   8  thiszone     (4, ignored)
 *  12  sigfigs      (4, ignored)
 *  16  snaplen      (4)
 *  20  linktype     (4; low 16 bits = LINKTYPE_, upper bits FCS flags)
 *
 *  Record header (16 bytes), then incl_len bytes of frame:
 *   0  ts_sec       (4)
 *   4  ts_frac      (4, micro- or nanoseconds)
 *   8  incl_len     captured length (4)
 *  12  orig_len     length on the wire (4)
 * </pre>
 */
public final class PcapReader implements CaptureReader {
  public static final int MAGIC_MICRO = 0xa1b2c3d4;
  public static final int MAGIC_NANO = 0xa1b23c4d;
  static final int FILE_HEADER = 24;
  static final int RECORD_HEADER = 16;

  /** Larger records than this are corruption, not packets (Wireshark uses 256 KiB too). */
  static final int MAX_RECORD = 256 * 1024;

  private final InputBuffer in;
  private final Weirds weirds;
  private final boolean swapped;
  private final boolean nanos;
  private final int linkType;
  private final int snaplen;

  PcapReader(InputBuffer in, Weirds weirds) throws IOException {
    this.in = in;
    this.weirds = weirds;
    in.require(FILE_HEADER);
    byte[] b = in.buf();
    int p = in.pos();
    int magic = be32(b, p);
    swapped =
        magic == Integer.reverseBytes(MAGIC_MICRO) || magic == Integer.reverseBytes(MAGIC_NANO);
    int m = swapped ? Integer.reverseBytes(magic) : magic;
    if (m != MAGIC_MICRO && m != MAGIC_NANO) {
      throw new CaptureFormatException(
          "not a pcap file (magic 0x" + Integer.toHexString(magic) + ")");
    }
    nanos = m == MAGIC_NANO;
    snaplen = i32(b, p + 16);
    linkType = i32(b, p + 20) & 0xffff;
    in.skip(FILE_HEADER);
  }

  public int linkType() {
    return linkType;
  }

  private static int be32(byte[] b, int i) {
    return ((b[i] & 0xff) << 24)
        | ((b[i + 1] & 0xff) << 16)
        | ((b[i + 2] & 0xff) << 8)
        | (b[i + 3] & 0xff);
  }

  private int i32(byte[] b, int i) {
    int v = be32(b, i);
    return swapped ? Integer.reverseBytes(v) : v;
  }

  @Override
  public boolean next(PacketHandler handler) throws IOException {
    if (!in.ensure(RECORD_HEADER)) {
      if (in.available() > 0) {
        weirds.inc(Weirds.BAD_CAPTURE_RECORD); // file cut inside a record header
      }
      return false;
    }
    byte[] b = in.buf();
    int p = in.pos();
    long sec = i32(b, p) & 0xffffffffL;
    long frac = i32(b, p + 4) & 0xffffffffL;
    int incl = i32(b, p + 8);
    int orig = i32(b, p + 12);
    if (incl < 0 || incl > Math.max(MAX_RECORD, snaplen)) {
      throw new CaptureFormatException(
          "corrupt pcap record at offset "
              + in.offset()
              + ": captured length "
              + (incl & 0xffffffffL));
    }
    if (!in.ensure(RECORD_HEADER + incl)) {
      weirds.inc(Weirds.BAD_CAPTURE_RECORD); // file cut inside the last frame
      in.skip(in.available());
      return false;
    }
    b = in.buf();
    p = in.pos();
    if (orig < incl) {
      weirds.inc(Weirds.BAD_CAPTURE_RECORD);
      orig = incl;
    }
    long ts = sec * 1_000_000_000L + (nanos ? frac : frac * 1000L);
    in.skip(RECORD_HEADER + incl);
    handler.onPacket(linkType, 0, ts, b, p + RECORD_HEADER, incl, orig);
    return true;
  }

  @Override
  public String describe() {
    return "pcap ("
        + (nanos ? "nanosecond" : "microsecond")
        + ", "
        + (swapped ? "little-endian" : "big-endian")
        + ", linktype "
        + linkType
        + ")";
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
