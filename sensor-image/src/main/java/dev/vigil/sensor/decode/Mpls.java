package dev.vigil.sensor.decode;

/**
 * One MPLS label stack entry (RFC 3032). Entries repeat until the S (bottom of stack) bit; the
 * payload has no type field, so the first nibble after the stack decides: 4 IPv4, 6 IPv6, 0 a
 * pseudowire control word (RFC 4385) followed by Ethernet.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                Label                  | TC  |S|      TTL      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Mpls {
  private Mpls() {}

  public static final int ENTRY_LENGTH = 4;
  public static final int CONTROL_WORD_LENGTH = 4;
  public static final int MAX_LABELS = 16;

  public static boolean bottomOfStack(byte[] b, int off) {
    return (b[off + 2] & 0x01) != 0;
  }
}
