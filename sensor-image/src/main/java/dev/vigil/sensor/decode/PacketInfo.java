package dev.vigil.sensor.decode;

/**
 * What the decoder learned about the innermost IP packet of one frame. One instance per worker,
 * overwritten for every packet: never retain it past the callback.
 *
 * <p>Addresses are 128-bit (hi, lo) pairs; IPv4 is stored IPv4-mapped ({@code ::ffff:a.b.c.d}), so
 * one flow key layout serves both families.
 */
public final class PacketInfo {
  public static final long V4_MAPPED_HI = 0L;
  public static final long V4_MAPPED_LO_PREFIX = 0x0000ffff00000000L;

  public long tsNanos;
  public int capLen;
  public int wireLen;

  /** 4 or 6. */
  public int ipVersion;

  public long srcHi;
  public long srcLo;
  public long dstHi;
  public long dstLo;

  /** Transport protocol number of the innermost packet (after IPv6 extension headers). */
  public int proto;

  /** Bytes of the innermost IP packet as its length field says (header included). */
  public int ipLength;

  /** Outermost VLAN id, or -1. */
  public int vlan;

  /** Second VLAN id (QinQ), or -1. */
  public int innerVlan;

  public int srcPort;
  public int dstPort;

  /** ICMP type/code (when proto is ICMP or ICMPv6). */
  public int icmpType;

  public int icmpCode;

  public int tcpFlags;
  public int tcpSeq;
  public int tcpAck;
  public int tcpWindow;

  /** Transport payload length by the length fields (not what was captured). */
  public int payloadLength;

  /**
   * Offset in the frame buffer of the transport payload and how many of its bytes were captured.
   */
  public int payloadOffset;

  public int payloadCaptured;

  /** Encapsulations removed to reach this packet (0 = not tunnelled). */
  public int tunnelDepth;

  /** First fragment of a fragmented datagram. */
  public boolean firstFragment;

  /**
   * A later fragment: addresses, {@link #proto} and {@link #fragmentId} are set, {@link #ipLength}
   * holds the fragment's data bytes (what it adds to the reassembled datagram); there is no
   * transport header.
   */
  public boolean laterFragment;

  /** IPv4 identification or IPv6 fragment identification, for fragmented datagrams. */
  public int fragmentId;

  void reset() {
    ipVersion = 0;
    srcHi = srcLo = dstHi = dstLo = 0;
    proto = -1;
    ipLength = 0;
    vlan = -1;
    innerVlan = -1;
    srcPort = dstPort = 0;
    icmpType = icmpCode = 0;
    tcpFlags = tcpSeq = tcpAck = tcpWindow = 0;
    payloadLength = 0;
    payloadOffset = payloadCaptured = 0;
    tunnelDepth = 0;
    firstFragment = false;
    laterFragment = false;
    fragmentId = 0;
  }
}
