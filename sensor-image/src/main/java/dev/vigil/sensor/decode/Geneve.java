package dev.vigil.sensor.decode;

/**
 * Geneve header (RFC 8926), UDP port 6081.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type (2)    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |        Virtual Network Identifier (VNI)       |    Reserved   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Variable-Length Options (Opt Len * 4)      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Protocol type 0x6558 carries Ethernet; 0x0800/0x86dd carry IP directly.
 */
public final class Geneve {
  private Geneve() {}

  public static final int BASE_LENGTH = 8;
  public static final int PROTOCOL_OFFSET = 2;

  public static int version(byte[] b, int off) {
    return (b[off] & 0xc0) >>> 6;
  }

  public static int optionsLength(byte[] b, int off) {
    return (b[off] & 0x3f) * 4;
  }
}
