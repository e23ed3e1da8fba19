package dev.vigil.sensor.decode;

/**
 * ERSPAN headers carried in GRE; a mirrored Ethernet frame follows. Type I (GRE 0x88be without
 * sequence number) has no header at all.
 *
 * <pre>
 *  Type II (GRE protocol 0x88be, 8 bytes):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Ver=1|          VLAN         | COS | En|T|    Session ID     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      Reserved         |                  Index                |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  Type III (GRE protocol 0x22eb, 12 bytes, + 8 when O is set):
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Ver=2|          VLAN         | COS |BSO|T|    Session ID     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                          Timestamp                            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |             SGT               |P|    FT   |   Hw ID   |D|Gra|O|
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            Platform-specific subheader (8, if O)              |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Erspan {
  private Erspan() {}

  public static final int TYPE2_LENGTH = 8;
  public static final int TYPE3_LENGTH = 12;
  public static final int TYPE3_SUBHEADER_LENGTH = 8;
  public static final int VERSION_TYPE2 = 1;
  public static final int VERSION_TYPE3 = 2;

  public static int version(byte[] b, int off) {
    return (b[off] & 0xf0) >>> 4;
  }

  /** Type III: frame type (0 = Ethernet) from the word at offset 8. */
  public static int type3FrameType(byte[] b, int off) {
    return (Bytes.u16(b, off + 10) >>> 10) & 0x1f;
  }

  public static boolean type3HasSubheader(byte[] b, int off) {
    return (b[off + 11] & 0x01) != 0;
  }
}
