package dev.vigil.sensor.decode;

/**
 * IPv4 header (RFC 791).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version|  IHL  |Type of Service|          Total Length         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Identification        |Flags|      Fragment Offset    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Time to Live |    Protocol   |         Header Checksum       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       Source Address (12)                     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Destination Address (16)                   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Options (IHL > 5)                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv4 {
  private Ipv4() {}

  public static final int MIN_HEADER_LENGTH = 20;
  public static final int TOTAL_LENGTH_OFFSET = 2;
  public static final int ID_OFFSET = 4;
  public static final int FRAG_OFFSET = 6;
  public static final int PROTOCOL_OFFSET = 9;
  public static final int SRC_OFFSET = 12;
  public static final int DST_OFFSET = 16;

  /** More-fragments flag in the 16-bit flags/offset word. */
  public static final int FLAG_MF = 0x2000;

  public static final int OFFSET_MASK = 0x1fff;

  public static int version(byte[] b, int off) {
    return (b[off] & 0xf0) >>> 4;
  }

  public static int headerLength(byte[] b, int off) {
    return (b[off] & 0x0f) * 4;
  }

  public static int totalLength(byte[] b, int off) {
    return Bytes.u16(b, off + TOTAL_LENGTH_OFFSET);
  }

  public static int flagsAndOffset(byte[] b, int off) {
    return Bytes.u16(b, off + FRAG_OFFSET);
  }

  public static int protocol(byte[] b, int off) {
    return Bytes.u8(b, off + PROTOCOL_OFFSET);
  }

  public static int src(byte[] b, int off) {
    return Bytes.i32(b, off + SRC_OFFSET);
  }

  public static int dst(byte[] b, int off) {
    return Bytes.i32(b, off + DST_OFFSET);
  }
}
