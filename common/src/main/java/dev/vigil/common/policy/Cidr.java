package dev.vigil.common.policy;

import java.net.InetAddress;

/**
 * An IPv4 or IPv6 prefix, held as 128 bits ({@code hi}, {@code lo}) with IPv4 as IPv4-mapped IPv6
 * ({@code ::ffff:a.b.c.d}, prefix length + 96): the form the sensor keeps addresses in, so a match
 * is two masked compares with no allocation. An IPv4-mapped IPv6 address therefore matches its IPv4
 * prefixes.
 *
 * @param hi the upper 64 bits of the (masked) network address
 * @param lo the lower 64 bits of the (masked) network address
 * @param bits prefix length over 128 bits (an IPv4 /24 is 120)
 * @param text the prefix as written
 */
public record Cidr(long hi, long lo, int bits, String text) {

  /** {@code lo} of an IPv4-mapped address: {@code 0x0000ffff} then the 32 IPv4 bits. */
  public static final long V4_MAPPED_LO_PREFIX = 0x0000ffff00000000L;

  /**
   * Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a bare address (a host prefix). Host bits
   * set beyond the prefix are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}). No host names.
   */
  public static Cidr parse(String s) {
    if (s == null) {
      throw new IllegalArgumentException("not an IP prefix: null");
    }
    String t = s.strip();
    int slash = t.indexOf('/');
    String host = slash < 0 ? t : t.substring(0, slash);
    byte[] a = address(host, s);
    int max = a.length * 8;
    int bits;
    if (slash < 0) {
      bits = max;
    } else {
      String len = t.substring(slash + 1);
      if (!len.matches("[0-9]{1,3}")) {
        throw new IllegalArgumentException("bad prefix length in " + s);
      }
      bits = Integer.parseInt(len);
      if (bits > max) {
        throw new IllegalArgumentException("prefix length out of range in " + s);
      }
    }
    long[] hl = hiLo(a);
    int b128 = a.length == 4 ? bits + 96 : bits;
    return new Cidr(hl[0] & mask(b128, 0), hl[1] & mask(b128, 1), b128, t);
  }

  /** An address literal (IPv4 dotted quad or IPv6), never resolved as a name. */
  static byte[] address(String host, String whole) {
    if (host.isEmpty() || !host.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an IP prefix (no host names): " + whole);
    }
    if (host.indexOf(':') < 0 && !host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw new IllegalArgumentException("not an IP prefix: " + whole);
    }
    try {
      return InetAddress.ofLiteral(host).getAddress();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an IP prefix: " + whole, e);
    }
  }

  /** A 4- or 16-byte address as 128 bits, IPv4 mapped into IPv6. */
  public static long[] hiLo(byte[] a) {
    if (a.length == 4) {
      long v4 =
          ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
      return new long[] {0, V4_MAPPED_LO_PREFIX | v4};
    }
    if (a.length != 16) {
      throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + a.length);
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (a[i] & 0xffL);
      lo = (lo << 8) | (a[i + 8] & 0xffL);
    }
    return new long[] {hi, lo};
  }

  /** The address literal (IPv4 dotted quad or IPv6) as 128 bits. */
  public static long[] hiLo(String literal) {
    return hiLo(address(literal.strip(), literal));
  }

  /** The mask of the upper ({@code word} 0) or lower (1) 64 bits for a 128-bit prefix length. */
  static long mask(int bits, int word) {
    int b = word == 0 ? bits : bits - 64;
    if (b <= 0) {
      return 0;
    }
    if (b >= 64) {
      return -1L;
    }
    return -1L << (64 - b);
  }

  public boolean contains(long addrHi, long addrLo) {
    return (addrHi & mask(bits, 0)) == hi && (addrLo & mask(bits, 1)) == lo;
  }

  /** A 4- or 16-byte address. */
  public boolean contains(byte[] address) {
    long[] a = hiLo(address);
    return contains(a[0], a[1]);
  }

  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  /** Whether this is an IPv4 prefix (inside {@code ::ffff:0:0/96}). */
  public boolean isV4() {
    return bits >= 96 && hi == 0 && (lo & 0xffffffff00000000L) == V4_MAPPED_LO_PREFIX;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.bits == bits && c.hi == hi && c.lo == lo;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hi * 31 + lo) * 131 + bits;
  }
}
