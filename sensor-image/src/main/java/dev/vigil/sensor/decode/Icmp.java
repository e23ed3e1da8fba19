package dev.vigil.sensor.decode;

/**
 * ICMP (RFC 792) and ICMPv6 (RFC 4443) common header; the rest of the 8 bytes depends on type.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Type      |     Code      |          Checksum             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 type-specific (id/seq, unused, MTU, ...)      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Icmp {
  private Icmp() {}

  public static final int HEADER_LENGTH = 8;

  /**
   * The type answering {@code type} in a request/response pair (Zeek's ICMP "counterpart"), or -1
   * when the message is one-way. Request/response pairs share a connection.
   */
  public static int counterpart(int type, boolean v6) {
    if (!v6) {
      return switch (type) {
        case 8 -> 0;
        case 0 -> 8;
        case 13 -> 14;
        case 14 -> 13;
        case 15 -> 16;
        case 16 -> 15;
        case 17 -> 18;
        case 18 -> 17;
        case 10 -> 9;
        case 9 -> 10;
        default -> -1;
      };
    }
    return switch (type) {
      case 128 -> 129;
      case 129 -> 128;
      case 133 -> 134;
      case 134 -> 133;
      case 135 -> 136;
      case 136 -> 135;
      case 130 -> 131;
      case 131 -> 130;
      case 139 -> 140;
      case 140 -> 139;
      default -> -1;
    };
  }

  /** Whether {@code type} is the request (originator) side of its pair. */
  public static boolean isRequest(int type, boolean v6) {
    if (!v6) {
      return type == 8 || type == 13 || type == 15 || type == 17 || type == 10;
    }
    return type == 128 || type == 133 || type == 135 || type == 130 || type == 139;
  }
}
