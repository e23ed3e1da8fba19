package dev.vigil.common.schema;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Community ID v1 flow hashing (corelight/community-id-spec): {@code "1:" + base64(sha1(seed[2] ‖
 * saddr ‖ daddr ‖ proto[1] ‖ 0[1] ‖ sport[2] ‖ dport[2]))}, integers in network byte order, the
 * endpoints ordered so both directions of a flow hash the same. Ports are hashed for TCP, UDP and
 * SCTP; for ICMP and ICMPv6 the type and code stand in for them, two-way message types (echo
 * request/reply, ...) mapping to their counterpart so request and reply agree, and one-way types
 * keeping the direction they were seen in. Other protocols hash addresses only.
 */
public final class CommunityId {
  public static final int ICMP = 1;
  public static final int TCP = 6;
  public static final int UDP = 17;
  public static final int ICMP6 = 58;
  public static final int SCTP = 132;

  private CommunityId() {}

  /** With the default seed 0. */
  public static String v1(
      InetAddress src, int srcPort, InetAddress dst, int dstPort, int protocol) {
    return v1(src, srcPort, dst, dstPort, protocol, 0);
  }

  /**
   * @param srcPort source port, or the ICMP type for ICMP/ICMPv6
   * @param dstPort destination port, or the ICMP code for ICMP/ICMPv6
   */
  public static String v1(
      InetAddress src, int srcPort, InetAddress dst, int dstPort, int protocol, int seed) {
    return v1(src.getAddress(), srcPort, dst.getAddress(), dstPort, protocol, seed);
  }

  /** Raw 4- or 16-byte addresses (both the same length). */
  public static String v1(
      byte[] saddr, int sport, byte[] daddr, int dport, int protocol, int seed) {
    if (saddr.length != daddr.length || (saddr.length != 4 && saddr.length != 16)) {
      throw new IllegalArgumentException("addresses must both be IPv4 or both IPv6");
    }
    if (seed < 0 || seed > 0xFFFF) {
      throw new IllegalArgumentException("seed must be 0..65535: " + seed);
    }
    boolean ports =
        protocol == TCP
            || protocol == UDP
            || protocol == SCTP
            || protocol == ICMP
            || protocol == ICMP6;
    boolean oneWay = false;
    if (protocol == ICMP || protocol == ICMP6) {
      int counterpart = protocol == ICMP ? icmp4Counterpart(sport) : icmp6Counterpart(sport);
      if (counterpart < 0) {
        oneWay = true; // (type, code) as they are, never reordered
      } else {
        dport = counterpart;
      }
    }
    int cmp = Arrays.compareUnsigned(saddr, daddr);
    boolean ordered = oneWay || cmp < 0 || (cmp == 0 && (!ports || sport <= dport));
    if (!ordered) {
      byte[] a = saddr;
      saddr = daddr;
      daddr = a;
      int p = sport;
      sport = dport;
      dport = p;
    }
    ByteBuffer buf = ByteBuffer.allocate(2 + 2 * saddr.length + 2 + (ports ? 4 : 0));
    buf.putShort((short) seed).put(saddr).put(daddr).put((byte) protocol).put((byte) 0);
    if (ports) {
      buf.putShort((short) sport).putShort((short) dport);
    }
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(buf.array());
      return "1:" + Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is a mandatory JDK algorithm", e);
    }
  }

  /** The reply type of a two-way ICMPv4 message type, or -1 if it is one-way. */
  static int icmp4Counterpart(int type) {
    return switch (type) {
      case 8 -> 0; // echo -> echo reply
      case 0 -> 8;
      case 13 -> 14; // timestamp
      case 14 -> 13;
      case 15 -> 16; // information
      case 16 -> 15;
      case 10 -> 9; // router solicitation -> advertisement
      case 9 -> 10;
      case 17 -> 18; // address mask
      case 18 -> 17;
      default -> -1;
    };
  }

  /** The reply type of a two-way ICMPv6 message type, or -1 if it is one-way. */
  static int icmp6Counterpart(int type) {
    return switch (type) {
      case 128 -> 129; // echo
      case 129 -> 128;
      case 133 -> 134; // router solicitation -> advertisement
      case 134 -> 133;
      case 135 -> 136; // neighbor solicitation -> advertisement
      case 136 -> 135;
      case 130 -> 131; // multicast listener query -> report
      case 131 -> 130;
      case 144 -> 145; // home agent address discovery
      case 145 -> 144;
      case 139 -> 140; // node information query -> response
      case 140 -> 139;
      default -> -1;
    };
  }
}
