package dev.vigil.sensor.testutil;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Builds frames byte by byte, independently of the decoder under test, with correct IPv4 header
 * checksums. Every method returns a fresh array: test code, allocation is fine here.
 */
public final class Frames {
  private Frames() {}

  public static final int TCP_FIN = 0x01;
  public static final int TCP_SYN = 0x02;
  public static final int TCP_RST = 0x04;
  public static final int TCP_PSH = 0x08;
  public static final int TCP_ACK = 0x10;

  public static byte[] addr(String ip) {
    try {
      return InetAddress.getByName(ip).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  public static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  public static byte[] u16(int v) {
    return bytes(v >>> 8, v);
  }

  public static byte[] u32(int v) {
    return bytes(v >>> 24, v >>> 16, v >>> 8, v);
  }

  public static byte[] payload(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + (i + seed) % 26);
    }
    return b;
  }

  // ---- L2 ----

  public static final byte[] MAC_A = bytes(0x02, 0, 0, 0, 0, 0x0a);
  public static final byte[] MAC_B = bytes(0x02, 0, 0, 0, 0, 0x0b);

  public static byte[] ethernet(int etherType, byte[] payload) {
    return concat(MAC_B, MAC_A, u16(etherType), payload);
  }

  /** Ethernet with 802.1Q tags, outermost first: {@code tags[i] = {tpid, vid}}. */
  public static byte[] ethernetVlan(int etherType, byte[] payload, int[]... tags) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(MAC_B);
    out.writeBytes(MAC_A);
    for (int[] t : tags) {
      out.writeBytes(u16(t[0]));
      out.writeBytes(u16(t[1] & 0x0fff));
    }
    out.writeBytes(u16(etherType));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  public static byte[] mpls(byte[] payload, int... labels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < labels.length; i++) {
      boolean bottom = i == labels.length - 1;
      out.writeBytes(u32((labels[i] << 12) | (bottom ? 0x100 : 0) | 64));
    }
    out.writeBytes(payload);
    return out.toByteArray();
  }

  public static byte[] sll(int protocol, byte[] payload) {
    return concat(u16(0), u16(1), u16(6), MAC_A, bytes(0, 0), u16(protocol), payload);
  }

  public static byte[] sll2(int protocol, byte[] payload) {
    return concat(u16(protocol), u16(0), u32(2), u16(1), bytes(0, 6), MAC_A, bytes(0, 0), payload);
  }

  /** BSD loopback header with the family in little-endian (as written on x86). */
  public static byte[] nullLoopback(int family, byte[] payload) {
    return concat(bytes(family, family >>> 8, family >>> 16, family >>> 24), payload);
  }

  public static byte[] ppp(int protocol, byte[] payload) {
    return concat(bytes(0xff, 0x03), u16(protocol), payload);
  }

  // ---- IP ----

  public static byte[] ipv4(String src, String dst, int proto, byte[] payload) {
    return ipv4(src, dst, proto, payload, 1, 0, false);
  }

  /** IPv4 with identification, fragment offset (in 8-byte units) and MF flag. */
  public static byte[] ipv4(
      String src, String dst, int proto, byte[] payload, int id, int fragOffset, boolean mf) {
    ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length));
    b.putShort((short) id).putShort((short) ((mf ? 0x2000 : 0) | fragOffset));
    b.put((byte) 64).put((byte) proto).putShort((short) 0);
    b.put(addr(src)).put(addr(dst));
    byte[] h = b.array();
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += ((h[i] & 0xff) << 8) | (h[i + 1] & 0xff);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    int cks = ~sum & 0xffff;
    h[10] = (byte) (cks >>> 8);
    h[11] = (byte) cks;
    System.arraycopy(payload, 0, h, 20, payload.length);
    return h;
  }

  /** IPv6; {@code ext} are already-built extension headers whose first byte chains on. */
  public static byte[] ipv6(String src, String dst, int nextHeader, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
    b.putInt(0x60000000).putShort((short) payload.length).put((byte) nextHeader).put((byte) 64);
    b.put(addr(src)).put(addr(dst)).put(payload);
    return b.array();
  }

  /** Generic IPv6 extension header (hop-by-hop, routing, dest opts), padded to 8 bytes. */
  public static byte[] ipv6Ext(int nextHeader, int units) {
    byte[] h = new byte[(units + 1) * 8];
    h[0] = (byte) nextHeader;
    h[1] = (byte) units;
    if (h.length > 2) {
      h[2] = 1; // PadN option
      h[3] = (byte) (h.length - 4);
    }
    return h;
  }

  public static byte[] ipv6Fragment(int nextHeader, int offsetUnits, boolean more, int id) {
    return concat(bytes(nextHeader, 0), u16((offsetUnits << 3) | (more ? 1 : 0)), u32(id));
  }

  // ---- L4 ----

  public static byte[] tcp(int sport, int dport, int seq, int ack, int flags, byte[] data) {
    return tcp(sport, dport, seq, ack, flags, 65535, data);
  }

  public static byte[] tcp(
      int sport, int dport, int seq, int ack, int flags, int win, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(20 + data.length);
    b.putShort((short) sport).putShort((short) dport).putInt(seq).putInt(ack);
    b.put((byte) 0x50)
        .put((byte) flags)
        .putShort((short) win)
        .putShort((short) 0)
        .putShort((short) 0);
    b.put(data);
    return b.array();
  }

  public static byte[] udp(int sport, int dport, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + data.length);
    b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + data.length));
    b.putShort((short) 0).put(data);
    return b.array();
  }

  public static byte[] icmp(int type, int code, int id, int seq, byte[] data) {
    return concat(bytes(type, code, 0, 0), u16(id), u16(seq), data);
  }

  // ---- tunnels ----

  public static byte[] gre(int protocol, byte[] payload) {
    return concat(u16(0), u16(protocol), payload);
  }

  public static byte[] greKeySeq(int protocol, int key, int seq, byte[] payload) {
    return concat(u16(0x3000), u16(protocol), u32(key), u32(seq), payload);
  }

  public static byte[] erspan2(int session, byte[] frame) {
    return concat(u16(0x1000 | 0), u16(session & 0x3ff), u32(0), frame);
  }

  public static byte[] erspan3(int session, boolean subheader, byte[] frame) {
    byte[] h =
        concat(u16(0x2000), u16(session & 0x3ff), u32(12345), u16(0), u16(subheader ? 1 : 0));
    return subheader ? concat(h, new byte[8], frame) : concat(h, frame);
  }

  public static byte[] vxlan(int vni, byte[] frame) {
    return concat(bytes(0x08, 0, 0, 0), u32(vni << 8), frame);
  }

  public static byte[] geneve(int vni, int protocol, int optionWords, byte[] payload) {
    byte[] opts = new byte[optionWords * 4];
    return concat(bytes(optionWords & 0x3f, 0), u16(protocol), u32(vni << 8), opts, payload);
  }
}
