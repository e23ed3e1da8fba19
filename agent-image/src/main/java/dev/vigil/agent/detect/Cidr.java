package dev.vigil.agent.detect;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 prefix; IPv4-mapped IPv6 addresses match their IPv4 prefixes. */
public record Cidr(byte[] prefix, int bits, String text) {

  public static Cidr parse(String s) {
    String t = s.trim();
    int slash = t.indexOf('/');
    String host = slash < 0 ? t : t.substring(0, slash);
    if (!host.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an IP prefix (no host names): " + s);
    }
    byte[] addr;
    try {
      addr = InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP prefix: " + s, e);
    }
    int max = addr.length * 8;
    int bits = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
    if (bits < 0 || bits > max) {
      throw new IllegalArgumentException("prefix length out of range in " + s);
    }
    return new Cidr(addr, bits, t);
  }

  public boolean contains(byte[] address) {
    byte[] a = unmap(address);
    if (a.length != prefix.length) {
      return false;
    }
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != prefix[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[full] & mask) == (prefix[full] & mask);
  }

  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  static byte[] unmap(byte[] a) {
    if (a.length == 16) {
      for (int i = 0; i < 10; i++) {
        if (a[i] != 0) {
          return a;
        }
      }
      if (a[10] == (byte) 0xff && a[11] == (byte) 0xff) {
        return new byte[] {a[12], a[13], a[14], a[15]};
      }
    }
    return a;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.bits == bits && java.util.Arrays.equals(c.prefix, prefix);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(prefix) * 31 + bits;
  }
}
