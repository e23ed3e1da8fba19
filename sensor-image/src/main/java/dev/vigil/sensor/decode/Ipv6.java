package dev.vigil.sensor.decode;

/**
 * IPv6 fixed header (RFC 8200) and the extension headers the decoder walks.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version| Traffic Class |           Flow Label                  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Payload Length (4)    |  Next Header  |   Hop Limit   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Source Address (8, 16 bytes)               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Destination Address (24, 16 bytes)            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  Generic extension header (hop-by-hop 0, routing 43, destination options 60, mobility 135,
 *  HIP 139, shim6 140): next header (1), length in 8-octet units not counting the first (1), ...
 *  Authentication header (51): next header (1), length in 4-octet units minus 2 (1), ...
 *  Fragment header (44), 8 bytes:
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         Identification                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv6 {
  private Ipv6() {}

  public static final int HEADER_LENGTH = 40;
  public static final int PAYLOAD_LENGTH_OFFSET = 4;
  public static final int NEXT_HEADER_OFFSET = 6;
  public static final int SRC_OFFSET = 8;
  public static final int DST_OFFSET = 24;
  public static final int FRAGMENT_HEADER_LENGTH = 8;
  public static final int MAX_EXT_HEADERS = 16;

  public static final int EXT_HOP_BY_HOP = 0;
  public static final int EXT_ROUTING = 43;
  public static final int EXT_FRAGMENT = 44;
  public static final int EXT_AH = 51;
  public static final int EXT_NO_NEXT = 59;
  public static final int EXT_DEST_OPTS = 60;
  public static final int EXT_MOBILITY = 135;
  public static final int EXT_HIP = 139;
  public static final int EXT_SHIM6 = 140;

  public static boolean isGenericExt(int nh) {
    return nh == EXT_HOP_BY_HOP
        || nh == EXT_ROUTING
        || nh == EXT_DEST_OPTS
        || nh == EXT_MOBILITY
        || nh == EXT_HIP
        || nh == EXT_SHIM6;
  }

  public static int payloadLength(byte[] b, int off) {
    return Bytes.u16(b, off + PAYLOAD_LENGTH_OFFSET);
  }

  public static int nextHeader(byte[] b, int off) {
    return Bytes.u8(b, off + NEXT_HEADER_OFFSET);
  }
}
