package dev.vigil.sensor.decode;

/**
 * GRE header (RFC 2784/2890; version 1 is PPTP's enhanced GRE, RFC 2637).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |C| |K|S|        Reserved0    |A|Ver|   Protocol Type (2)       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   Checksum (if C)             |       Reserved1 (if C)        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Key (if K)                                |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Sequence Number (if S)                    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Acknowledgment (if A, version 1 only)     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Gre {
  private Gre() {}

  public static final int BASE_LENGTH = 4;
  public static final int PROTOCOL_OFFSET = 2;
  public static final int FLAG_C = 0x8000;
  public static final int FLAG_K = 0x2000;
  public static final int FLAG_S = 0x1000;
  public static final int FLAG_A = 0x0080;
  public static final int VERSION_MASK = 0x0007;

  /** Header length implied by the flags of {@code version}. */
  public static int headerLength(int flags) {
    int len = BASE_LENGTH;
    if ((flags & FLAG_C) != 0) {
      len += 4;
    }
    if ((flags & FLAG_K) != 0) {
      len += 4;
    }
    if ((flags & FLAG_S) != 0) {
      len += 4;
    }
    if ((flags & VERSION_MASK) == 1 && (flags & FLAG_A) != 0) {
      len += 4;
    }
    return len;
  }
}
