package dev.vigil.sensor.decode;

/**
 * 802.1Q / 802.1ad tag, as it follows the TPID (0x8100, 0x88a8, 0x9100) that announced it.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | PCP |D|        VLAN id        |      next ethertype (2)       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Vlan {
  private Vlan() {}

  public static final int TCI_OFFSET = 0;
  public static final int TYPE_OFFSET = 2;
  public static final int HEADER_LENGTH = 4;

  public static int vlanId(byte[] b, int off) {
    return Bytes.u16(b, off + TCI_OFFSET) & 0x0fff;
  }

  public static int nextType(byte[] b, int off) {
    return Bytes.u16(b, off + TYPE_OFFSET);
  }
}
