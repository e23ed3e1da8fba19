package dev.vigil.sensor.decode;

/** LINKTYPE_ values (tcpdump.org/linktypes.html) of the capture interfaces we decode. */
public final class LinkTypes {
  private LinkTypes() {}

  /** BSD loopback: 4-byte address family in the capturing host's byte order. */
  public static final int NULL = 0;

  public static final int ETHERNET = 1;

  /** PPP, optionally with HDLC-like 0xFF 0x03 address/control bytes. */
  public static final int PPP = 9;

  /** DLT_RAW on most BSDs (12) and OpenBSD (14); the IP version nibble decides. */
  public static final int RAW_BSD = 12;

  public static final int RAW_OPENBSD = 14;
  public static final int RAW = 101;
  public static final int LINUX_SLL = 113;

  /** OpenBSD loopback: like NULL but the family is always big-endian. */
  public static final int LOOP = 108;

  public static final int IPV4 = 228;
  public static final int IPV6 = 229;
  public static final int LINUX_SLL2 = 276;

  public static boolean supported(int linkType) {
    return switch (linkType) {
      case NULL,
          ETHERNET,
          PPP,
          RAW_BSD,
          RAW_OPENBSD,
          RAW,
          LINUX_SLL,
          LOOP,
          IPV4,
          IPV6,
          LINUX_SLL2 ->
          true;
      default -> false;
    };
  }
}
