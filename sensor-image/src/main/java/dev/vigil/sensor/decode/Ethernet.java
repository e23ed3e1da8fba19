package dev.vigil.sensor.decode;

/**
 * Ethernet II header.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   destination MAC (6 bytes)                   |
 *  +                               +-------------------------------+
 *  |                               |                               |
 *  +-------------------------------+                               +
 *  |                     source MAC (6 bytes)                      |
 *  +-------------------------------+-------------------------------+
 *  |   ethertype / length (12)     |
 *  +-------------------------------+
 * </pre>
 *
 * A value below 0x0600 at offset 12 is an 802.3 length (LLC follows), not an ethertype.
 */
public final class Ethernet {
  private Ethernet() {}

  public static final int DST_OFFSET = 0;
  public static final int SRC_OFFSET = 6;
  public static final int TYPE_OFFSET = 12;
  public static final int HEADER_LENGTH = 14;
  public static final int MIN_ETHERTYPE = 0x0600;

  public static int etherType(byte[] b, int off) {
    return Bytes.u16(b, off + TYPE_OFFSET);
  }
}
