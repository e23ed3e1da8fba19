package dev.vigil.sensor.testutil;

/** Turns a transport segment into a full frame (addresses, IP version, encapsulation). */
@FunctionalInterface
public interface Wrap {
  byte[] frame(String src, String dst, int proto, byte[] l4);

  static Wrap ethernetV4() {
    return (s, d, p, l4) -> Frames.ethernet(0x0800, Frames.ipv4(s, d, p, l4));
  }

  static Wrap ethernetV6() {
    return (s, d, p, l4) -> Frames.ethernet(0x86dd, Frames.ipv6(s, d, p, l4));
  }

  /** Raw IP (no link header), version from the address. */
  static Wrap rawIp() {
    return (s, d, p, l4) -> s.contains(":") ? Frames.ipv6(s, d, p, l4) : Frames.ipv4(s, d, p, l4);
  }
}
