package dev.vigil.sensor.decode;

/**
 * Walks one captured frame from its link-layer header to the innermost IP packet's transport
 * header, removing VLAN tags, MPLS labels and tunnels (IP-in-IP, GRE, ERSPAN, VXLAN, Geneve) on the
 * way. Each layer checks its bounds before reading, counts a named weird and returns false on bad
 * input. Nothing allocates and nothing throws.
 *
 * <p>Lengths: {@code end} is the end of the captured bytes. A frame cut by the capture snap length
 * ({@code capLen < wireLen}) may carry IP length fields that point past {@code end}; that is normal
 * and the length fields are trusted for accounting. Otherwise an IP length past the captured bytes
 * is a {@code truncated_IP} weird and the packet is dropped.
 */
public final class Decoder {
  /** Maximum nested encapsulations. */
  public static final int MAX_DEPTH = 4;

  public static final int PROTO_ICMP = 1;
  public static final int PROTO_IPIP = 4;
  public static final int PROTO_TCP = 6;
  public static final int PROTO_UDP = 17;
  public static final int PROTO_IPV6 = 41;
  public static final int PROTO_GRE = 47;
  public static final int PROTO_ICMPV6 = 58;

  private final Weirds weirds;

  /** All IPv4/IPv6 fragments seen. */
  public long fragments;

  /** Fragments past the first: no transport header; the flow table attributes their bytes. */
  public long fragmentsNotFirst;

  /** Frames that were not IP (ARP, LLC, ...): not malformed, just not ours. */
  public long nonIp;

  private boolean snapTruncated;
  private PacketInfo p;

  public Decoder(Weirds weirds) {
    this.weirds = weirds;
  }

  public Weirds weirds() {
    return weirds;
  }

  /**
   * Decodes one frame into {@code out}. Returns true when {@code out} describes an IP packet with a
   * usable transport header (or an IP protocol without ports).
   */
  public boolean decode(
      int linkType, byte[] b, int off, int capLen, int wireLen, long tsNanos, PacketInfo out) {
    out.reset();
    out.tsNanos = tsNanos;
    out.capLen = capLen;
    out.wireLen = wireLen;
    if (capLen <= 0 || off < 0 || off + capLen > b.length) {
      weirds.inc(Weirds.EMPTY_PACKET);
      return false;
    }
    this.p = out;
    this.snapTruncated = capLen < wireLen;
    int end = off + capLen;
    return switch (linkType) {
      case LinkTypes.ETHERNET -> ethernet(b, off, end, 0);
      case LinkTypes.RAW, LinkTypes.RAW_BSD, LinkTypes.RAW_OPENBSD -> rawIp(b, off, end, 0);
      case LinkTypes.IPV4 -> ipv4(b, off, end, 0);
      case LinkTypes.IPV6 -> ipv6(b, off, end, 0);
      case LinkTypes.LINUX_SLL -> sll(b, off, end);
      case LinkTypes.LINUX_SLL2 -> sll2(b, off, end);
      case LinkTypes.NULL -> loopback(b, off, end, false);
      case LinkTypes.LOOP -> loopback(b, off, end, true);
      case LinkTypes.PPP -> ppp(b, off, end, 0);
      default -> {
        weirds.inc(Weirds.UNKNOWN_LINK_TYPE);
        yield false;
      }
    };
  }

  // ---- link layers ----------------------------------------------------------------------

  private boolean ethernet(byte[] b, int off, int end, int depth) {
    if (end - off < Ethernet.HEADER_LENGTH) {
      weirds.inc(Weirds.TRUNCATED_LINK_HEADER);
      return false;
    }
    int type = Ethernet.etherType(b, off);
    if (type < Ethernet.MIN_ETHERTYPE) {
      nonIp++; // 802.3 length + LLC/SNAP
      return false;
    }
    return etherType(type, b, off + Ethernet.HEADER_LENGTH, end, depth);
  }

  private boolean etherType(int type, byte[] b, int off, int end, int depth) {
    int tags = 0;
    while (type == EtherTypes.VLAN || type == EtherTypes.QINQ || type == EtherTypes.QINQ_OLD) {
      if (end - off < Vlan.HEADER_LENGTH || ++tags > 8) {
        weirds.inc(Weirds.TRUNCATED_VLAN);
        return false;
      }
      int id = Vlan.vlanId(b, off);
      if (p.vlan < 0) {
        p.vlan = id;
      } else if (p.innerVlan < 0) {
        p.innerVlan = id;
      }
      type = Vlan.nextType(b, off);
      off += Vlan.HEADER_LENGTH;
    }
    return switch (type) {
      case EtherTypes.IPV4 -> ipv4(b, off, end, depth);
      case EtherTypes.IPV6 -> ipv6(b, off, end, depth);
      case EtherTypes.MPLS_UNICAST, EtherTypes.MPLS_MULTICAST -> mpls(b, off, end, depth);
      case EtherTypes.PPP -> ppp(b, off, end, depth);
      case EtherTypes.ARP -> {
        nonIp++;
        yield false;
      }
      default -> {
        nonIp++;
        weirds.inc(Weirds.NON_IP_PACKET);
        yield false;
      }
    };
  }

  /**
   * Linux cooked capture v1: packet type (2), ARPHRD (2), address length (2), address (8), protocol
   * (2) at offset 14.
   */
  private boolean sll(byte[] b, int off, int end) {
    if (end - off < 16) {
      weirds.inc(Weirds.TRUNCATED_LINK_HEADER);
      return false;
    }
    return etherType(Bytes.u16(b, off + 14), b, off + 16, end, 0);
  }

  /**
   * Linux cooked capture v2: protocol (2) at offset 0, reserved (2), interface index (4), ARPHRD
   * (2), packet type (1), address length (1), address (8); 20 bytes.
   */
  private boolean sll2(byte[] b, int off, int end) {
    if (end - off < 20) {
      weirds.inc(Weirds.TRUNCATED_LINK_HEADER);
      return false;
    }
    return etherType(Bytes.u16(b, off), b, off + 20, end, 0);
  }

  /** BSD loopback: 4-byte address family, host byte order (NULL) or big-endian (LOOP). */
  private boolean loopback(byte[] b, int off, int end, boolean bigEndian) {
    if (end - off < 4) {
      weirds.inc(Weirds.TRUNCATED_LINK_HEADER);
      return false;
    }
    int family = Bytes.i32(b, off);
    if (!bigEndian && (family & 0xffff) == 0) {
      family = Integer.reverseBytes(family); // written little-endian by the capturing host
    }
    return switch (family) {
      case 2 -> ipv4(b, off + 4, end, 0); // AF_INET everywhere
      case 10, 24, 28, 30 ->
          ipv6(b, off + 4, end, 0); // AF_INET6: Linux, NetBSD/OpenBSD, FreeBSD, macOS
      default -> {
        nonIp++;
        weirds.inc(Weirds.NON_IP_PACKET);
        yield false;
      }
    };
  }

  /** PPP: optional 0xff 0x03 address/control, then a 1- or 2-byte protocol (RFC 1661). */
  private boolean ppp(byte[] b, int off, int end, int depth) {
    if (end - off >= 2 && (b[off] & 0xff) == 0xff && b[off + 1] == 0x03) {
      off += 2;
    }
    if (end - off < 1) {
      weirds.inc(Weirds.TRUNCATED_LINK_HEADER);
      return false;
    }
    int proto;
    if ((b[off] & 0x01) != 0) { // protocol field compressed to one byte
      proto = b[off] & 0xff;
      off += 1;
    } else {
      if (end - off < 2) {
        weirds.inc(Weirds.TRUNCATED_LINK_HEADER);
        return false;
      }
      proto = Bytes.u16(b, off);
      off += 2;
    }
    return switch (proto) {
      case 0x21 -> ipv4(b, off, end, depth);
      case 0x57 -> ipv6(b, off, end, depth);
      case 0x281 -> mpls(b, off, end, depth);
      default -> {
        nonIp++;
        weirds.inc(Weirds.NON_IP_PACKET);
        yield false;
      }
    };
  }

  private boolean rawIp(byte[] b, int off, int end, int depth) {
    if (end - off < 1) {
      weirds.inc(Weirds.TRUNCATED_IP);
      return false;
    }
    int version = (b[off] & 0xf0) >>> 4;
    if (version == 4) {
      return ipv4(b, off, end, depth);
    }
    if (version == 6) {
      return ipv6(b, off, end, depth);
    }
    weirds.inc(Weirds.BAD_IP_VERSION);
    return false;
  }

  private boolean mpls(byte[] b, int off, int end, int depth) {
    for (int i = 0; ; i++) {
      if (end - off < Mpls.ENTRY_LENGTH || i >= Mpls.MAX_LABELS) {
        weirds.inc(Weirds.TRUNCATED_MPLS);
        return false;
      }
      boolean bottom = Mpls.bottomOfStack(b, off);
      off += Mpls.ENTRY_LENGTH;
      if (bottom) {
        break;
      }
    }
    if (end - off < 1) {
      weirds.inc(Weirds.TRUNCATED_MPLS);
      return false;
    }
    int nibble = (b[off] & 0xf0) >>> 4;
    if (nibble == 4 || nibble == 6) {
      return rawIp(b, off, end, depth);
    }
    if (nibble == 0 && end - off >= Mpls.CONTROL_WORD_LENGTH) {
      return tunnelEthernet(b, off + Mpls.CONTROL_WORD_LENGTH, end, depth);
    }
    weirds.inc(Weirds.MPLS_UNKNOWN_PAYLOAD);
    return false;
  }

  // ---- IP ----------------------------------------------------------------------------------

  private boolean ipv4(byte[] b, int off, int end, int depth) {
    int avail = end - off;
    if (avail < Ipv4.MIN_HEADER_LENGTH) {
      weirds.inc(Weirds.TRUNCATED_IP);
      return false;
    }
    if (Ipv4.version(b, off) != 4) {
      weirds.inc(Weirds.BAD_IP_VERSION);
      return false;
    }
    int hl = Ipv4.headerLength(b, off);
    if (hl < Ipv4.MIN_HEADER_LENGTH) {
      weirds.inc(Weirds.BAD_IP_HEADER_LEN);
      return false;
    }
    if (hl > avail) {
      weirds.inc(Weirds.TRUNCATED_IP);
      return false;
    }
    int total = Ipv4.totalLength(b, off);
    if (total < hl) {
      weirds.inc(Weirds.IP_TOTAL_LEN_TOO_SMALL);
      return false;
    }
    if (total > avail && !snapTruncated) {
      weirds.inc(Weirds.TRUNCATED_IP);
      return false;
    }
    int ipEnd = Math.min(end, off + total); // drop Ethernet padding
    p.ipVersion = 4;
    p.srcHi = PacketInfo.V4_MAPPED_HI;
    p.srcLo = PacketInfo.V4_MAPPED_LO_PREFIX | (Ipv4.src(b, off) & 0xffffffffL);
    p.dstHi = PacketInfo.V4_MAPPED_HI;
    p.dstLo = PacketInfo.V4_MAPPED_LO_PREFIX | (Ipv4.dst(b, off) & 0xffffffffL);
    p.ipLength = total;
    int proto = Ipv4.protocol(b, off);
    p.proto = proto;
    int fo = Ipv4.flagsAndOffset(b, off);
    p.firstFragment = false;
    if ((fo & (Ipv4.FLAG_MF | Ipv4.OFFSET_MASK)) != 0) {
      fragments++;
      p.fragmentId = Bytes.u16(b, off + Ipv4.ID_OFFSET);
      if ((fo & Ipv4.OFFSET_MASK) != 0) {
        fragmentsNotFirst++;
        p.laterFragment = true;
        p.ipLength = total - hl;
        return true;
      }
      p.firstFragment = true;
    }
    return transport(proto, b, off + hl, ipEnd, total - hl, depth);
  }

  private boolean ipv6(byte[] b, int off, int end, int depth) {
    int avail = end - off;
    if (avail < Ipv6.HEADER_LENGTH) {
      weirds.inc(Weirds.TRUNCATED_IPV6);
      return false;
    }
    if (((b[off] & 0xf0) >>> 4) != 6) {
      weirds.inc(Weirds.BAD_IP_VERSION);
      return false;
    }
    int payloadLen = Ipv6.payloadLength(b, off);
    if (Ipv6.HEADER_LENGTH + payloadLen > avail && !snapTruncated) {
      weirds.inc(Weirds.TRUNCATED_IPV6);
      return false;
    }
    int ipEnd = Math.min(end, off + Ipv6.HEADER_LENGTH + payloadLen);
    p.ipVersion = 6;
    p.srcHi = Bytes.i64(b, off + Ipv6.SRC_OFFSET);
    p.srcLo = Bytes.i64(b, off + Ipv6.SRC_OFFSET + 8);
    p.dstHi = Bytes.i64(b, off + Ipv6.DST_OFFSET);
    p.dstLo = Bytes.i64(b, off + Ipv6.DST_OFFSET + 8);
    p.ipLength = Ipv6.HEADER_LENGTH + payloadLen;
    p.firstFragment = false;
    int nh = Ipv6.nextHeader(b, off);
    int pos = off + Ipv6.HEADER_LENGTH;
    int remaining = payloadLen; // by the length fields
    for (int i = 0; ; i++) {
      if (i > Ipv6.MAX_EXT_HEADERS) {
        weirds.inc(Weirds.TOO_MANY_IPV6_EXT_HEADERS);
        return false;
      }
      int extLen;
      if (Ipv6.isGenericExt(nh)) {
        if (ipEnd - pos < 2) {
          weirds.inc(Weirds.TRUNCATED_IPV6_EXT_HEADER);
          return false;
        }
        extLen = (Bytes.u8(b, pos + 1) + 1) * 8;
      } else if (nh == Ipv6.EXT_AH) {
        if (ipEnd - pos < 2) {
          weirds.inc(Weirds.TRUNCATED_IPV6_EXT_HEADER);
          return false;
        }
        extLen = (Bytes.u8(b, pos + 1) + 2) * 4;
      } else if (nh == Ipv6.EXT_FRAGMENT) {
        if (ipEnd - pos < Ipv6.FRAGMENT_HEADER_LENGTH) {
          weirds.inc(Weirds.TRUNCATED_IPV6_FRAGMENT);
          return false;
        }
        int fo = Bytes.u16(b, pos + 2);
        fragments++;
        p.fragmentId = Bytes.i32(b, pos + 4);
        if ((fo & 0xfff8) != 0) {
          if (remaining < Ipv6.FRAGMENT_HEADER_LENGTH) {
            weirds.inc(Weirds.TRUNCATED_IPV6_FRAGMENT);
            return false;
          }
          fragmentsNotFirst++;
          p.laterFragment = true;
          p.proto = Bytes.u8(b, pos);
          p.ipLength = remaining - Ipv6.FRAGMENT_HEADER_LENGTH;
          return true;
        }
        p.firstFragment = true;
        extLen = Ipv6.FRAGMENT_HEADER_LENGTH;
      } else {
        break;
      }
      if (extLen > ipEnd - pos || extLen > remaining) {
        weirds.inc(Weirds.TRUNCATED_IPV6_EXT_HEADER);
        return false;
      }
      nh = Bytes.u8(b, pos);
      pos += extLen;
      remaining -= extLen;
    }
    p.proto = nh;
    return transport(nh, b, pos, ipEnd, remaining, depth);
  }

  // ---- transport and tunnels ---------------------------------------------------------------

  /**
   * @param l4Len transport length by the IP length fields (may exceed {@code end - off} only when
   *     the frame was cut by the snap length)
   */
  private boolean transport(int proto, byte[] b, int off, int end, int l4Len, int depth) {
    int avail = end - off;
    switch (proto) {
      case PROTO_TCP -> {
        if (avail < Tcp.MIN_HEADER_LENGTH || l4Len < Tcp.MIN_HEADER_LENGTH) {
          weirds.inc(Weirds.TRUNCATED_TCP_HEADER);
          return false;
        }
        int hl = Tcp.headerLength(b, off);
        if (hl < Tcp.MIN_HEADER_LENGTH || hl > l4Len) {
          weirds.inc(Weirds.BAD_TCP_HEADER_LEN);
          return false;
        }
        if (hl > avail) {
          weirds.inc(Weirds.TRUNCATED_TCP_HEADER);
          return false;
        }
        p.srcPort = Bytes.u16(b, off);
        p.dstPort = Bytes.u16(b, off + 2);
        p.tcpSeq = Bytes.i32(b, off + Tcp.SEQ_OFFSET);
        p.tcpAck = Bytes.i32(b, off + Tcp.ACK_OFFSET);
        p.tcpFlags = Bytes.u8(b, off + Tcp.FLAGS_OFFSET);
        p.tcpWindow = Bytes.u16(b, off + Tcp.WINDOW_OFFSET);
        p.payloadLength = l4Len - hl;
        p.payloadOffset = off + hl;
        p.payloadCaptured = Math.max(0, Math.min(avail - hl, l4Len - hl));
        return true;
      }
      case PROTO_UDP -> {
        if (avail < Udp.HEADER_LENGTH || l4Len < Udp.HEADER_LENGTH) {
          weirds.inc(Weirds.TRUNCATED_UDP_HEADER);
          return false;
        }
        int udpLen = Bytes.u16(b, off + Udp.LENGTH_OFFSET);
        if (udpLen < Udp.HEADER_LENGTH || (udpLen > l4Len && !p.firstFragment)) {
          weirds.inc(Weirds.BAD_UDP_LENGTH);
          return false;
        }
        int sport = Bytes.u16(b, off);
        int dport = Bytes.u16(b, off + 2);
        int payloadOff = off + Udp.HEADER_LENGTH;
        int payloadEnd = Math.min(end, off + udpLen);
        if (!p.firstFragment && dport == Udp.PORT_VXLAN) {
          return vxlan(b, payloadOff, payloadEnd, depth);
        }
        if (!p.firstFragment && dport == Udp.PORT_GENEVE) {
          return geneve(b, payloadOff, payloadEnd, depth);
        }
        p.srcPort = sport;
        p.dstPort = dport;
        // A first fragment's UDP length is the whole datagram's, as after reassembly.
        p.payloadLength = (p.firstFragment ? udpLen : Math.min(udpLen, l4Len)) - Udp.HEADER_LENGTH;
        p.payloadOffset = payloadOff;
        p.payloadCaptured = Math.max(0, payloadEnd - payloadOff);
        return true;
      }
      case PROTO_ICMP, PROTO_ICMPV6 -> {
        if (avail < Icmp.HEADER_LENGTH || l4Len < Icmp.HEADER_LENGTH) {
          weirds.inc(Weirds.TRUNCATED_ICMP_HEADER);
          return false;
        }
        p.icmpType = Bytes.u8(b, off);
        p.icmpCode = Bytes.u8(b, off + 1);
        p.payloadLength = l4Len - Icmp.HEADER_LENGTH;
        p.payloadOffset = off + Icmp.HEADER_LENGTH;
        p.payloadCaptured = Math.max(0, avail - Icmp.HEADER_LENGTH);
        return true;
      }
      case PROTO_IPIP -> {
        return p.firstFragment ? accept(off, l4Len, avail) : inner(b, off, end, depth, 4);
      }
      case PROTO_IPV6 -> {
        return p.firstFragment ? accept(off, l4Len, avail) : inner(b, off, end, depth, 6);
      }
      case PROTO_GRE -> {
        return p.firstFragment ? accept(off, l4Len, avail) : gre(b, off, end, l4Len, depth);
      }
      default -> {
        return accept(off, l4Len, avail); // a flow without ports ("unknown_transport")
      }
    }
  }

  private boolean accept(int off, int l4Len, int avail) {
    p.payloadLength = l4Len;
    p.payloadOffset = off;
    p.payloadCaptured = Math.max(0, Math.min(avail, l4Len));
    return true;
  }

  private boolean deeper(int depth) {
    if (depth + 1 > MAX_DEPTH) {
      weirds.inc(Weirds.EXCEEDED_TUNNEL_MAX_DEPTH);
      return false;
    }
    p.tunnelDepth = depth + 1;
    return true;
  }

  private boolean inner(byte[] b, int off, int end, int depth, int version) {
    if (!deeper(depth)) {
      return false;
    }
    return version == 4 ? ipv4(b, off, end, depth + 1) : ipv6(b, off, end, depth + 1);
  }

  private boolean tunnelEthernet(byte[] b, int off, int end, int depth) {
    if (!deeper(depth)) {
      return false;
    }
    return ethernet(b, off, end, depth + 1);
  }

  /**
   * @param l4Len the GRE packet's length by the outer IP header (the outer packet is the flow when
   *     nothing is inside, e.g. a PPTP acknowledgement)
   */
  private boolean gre(byte[] b, int off, int end, int l4Len, int depth) {
    if (end - off < Gre.BASE_LENGTH) {
      weirds.inc(Weirds.TRUNCATED_GRE);
      return false;
    }
    int flags = Bytes.u16(b, off);
    int version = flags & Gre.VERSION_MASK;
    if (version > 1) {
      weirds.inc(Weirds.GRE_UNKNOWN_VERSION);
      return false;
    }
    int hl = Gre.headerLength(flags);
    if (end - off < hl) {
      weirds.inc(Weirds.TRUNCATED_GRE);
      return false;
    }
    int proto = Bytes.u16(b, off + Gre.PROTOCOL_OFFSET);
    int pos = off + hl;
    if (version == 1) {
      if (proto != EtherTypes.PPP) {
        weirds.inc(Weirds.GRE_UNKNOWN_PROTOCOL);
        return false;
      }
      if (end - pos == 0) {
        // PPTP keepalive / bare acknowledgement (or the inner frame cut by the snap length):
        // nothing inside, so the outer GRE packet is the flow, as an unknown transport is
        return accept(off, l4Len, end - off);
      }
      return deeper(depth) && ppp(b, pos, end, depth + 1);
    }
    switch (proto) {
      case EtherTypes.IPV4 -> {
        return inner(b, pos, end, depth, 4);
      }
      case EtherTypes.IPV6 -> {
        return inner(b, pos, end, depth, 6);
      }
      case EtherTypes.TEB -> {
        return tunnelEthernet(b, pos, end, depth);
      }
      case EtherTypes.MPLS_UNICAST, EtherTypes.MPLS_MULTICAST -> {
        return deeper(depth) && mpls(b, pos, end, depth + 1);
      }
      case EtherTypes.ERSPAN_II -> {
        if ((flags & Gre.FLAG_S) == 0) {
          return tunnelEthernet(b, pos, end, depth); // ERSPAN type I: no header
        }
        if (end - pos < Erspan.TYPE2_LENGTH) {
          weirds.inc(Weirds.TRUNCATED_ERSPAN);
          return false;
        }
        if (Erspan.version(b, pos) != Erspan.VERSION_TYPE2) {
          weirds.inc(Weirds.ERSPAN_BAD_VERSION);
          return false;
        }
        return tunnelEthernet(b, pos + Erspan.TYPE2_LENGTH, end, depth);
      }
      case EtherTypes.ERSPAN_III -> {
        if (end - pos < Erspan.TYPE3_LENGTH) {
          weirds.inc(Weirds.TRUNCATED_ERSPAN);
          return false;
        }
        if (Erspan.version(b, pos) != Erspan.VERSION_TYPE3 || Erspan.type3FrameType(b, pos) != 0) {
          weirds.inc(Weirds.ERSPAN_BAD_VERSION);
          return false;
        }
        int hl3 = Erspan.TYPE3_LENGTH;
        if (Erspan.type3HasSubheader(b, pos)) {
          hl3 += Erspan.TYPE3_SUBHEADER_LENGTH;
          if (end - pos < hl3) {
            weirds.inc(Weirds.TRUNCATED_ERSPAN);
            return false;
          }
        }
        return tunnelEthernet(b, pos + hl3, end, depth);
      }
      default -> {
        weirds.inc(Weirds.GRE_UNKNOWN_PROTOCOL);
        return false;
      }
    }
  }

  private boolean vxlan(byte[] b, int off, int end, int depth) {
    if (end - off < Vxlan.HEADER_LENGTH) {
      weirds.inc(Weirds.TRUNCATED_VXLAN);
      return false;
    }
    if ((b[off] & Vxlan.FLAG_I) == 0) {
      weirds.inc(Weirds.VXLAN_BAD_FLAGS);
      return false;
    }
    return tunnelEthernet(b, off + Vxlan.HEADER_LENGTH, end, depth);
  }

  private boolean geneve(byte[] b, int off, int end, int depth) {
    if (end - off < Geneve.BASE_LENGTH) {
      weirds.inc(Weirds.TRUNCATED_GENEVE);
      return false;
    }
    if (Geneve.version(b, off) != 0) {
      weirds.inc(Weirds.GENEVE_BAD_VERSION);
      return false;
    }
    int hl = Geneve.BASE_LENGTH + Geneve.optionsLength(b, off);
    if (end - off < hl) {
      weirds.inc(Weirds.TRUNCATED_GENEVE);
      return false;
    }
    int proto = Bytes.u16(b, off + Geneve.PROTOCOL_OFFSET);
    int pos = off + hl;
    return switch (proto) {
      case EtherTypes.TEB -> tunnelEthernet(b, pos, end, depth);
      case EtherTypes.IPV4 -> inner(b, pos, end, depth, 4);
      case EtherTypes.IPV6 -> inner(b, pos, end, depth, 6);
      default -> {
        weirds.inc(Weirds.GRE_UNKNOWN_PROTOCOL);
        yield false;
      }
    };
  }
}
