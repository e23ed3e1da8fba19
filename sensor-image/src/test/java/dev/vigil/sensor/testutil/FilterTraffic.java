package dev.vigil.sensor.testutil;

import static dev.vigil.sensor.testutil.Frames.*;

/**
 * Traffic for the capture-filter tests: untagged TCP and UDP, UDP on VLANs 100, 200 and 300, TCP on
 * VLAN 100; 20 connections of each kind (10 of VLAN-100 TCP), two frames per UDP flow and three per
 * TCP connection (the third carries 1200 bytes, for snap-length cuts).
 */
public final class FilterTraffic {
  public static final int FLOWS = 20;

  private FilterTraffic() {}

  public static Trace generate() {
    Trace t = new Trace();
    for (int i = 0; i < FLOWS; i++) {
      tcp(t, i, -1);
      udp(t, i, -1);
      udp(t, i, 100);
      udp(t, i, 200);
      udp(t, i, 300);
      if (i < FLOWS / 2) {
        tcp(t, i, 100);
      }
    }
    return t;
  }

  private static byte[] frame(byte[] ip, int vlan) {
    return vlan < 0 ? ethernet(0x0800, ip) : ethernetVlan(0x0800, ip, new int[] {0x8100, vlan});
  }

  private static void udp(Trace t, int i, int vlan) {
    String a = "10.1." + (vlan < 0 ? 0 : vlan / 100) + "." + (i + 1);
    t.add(100, frame(ipv4(a, "10.2.0.2", 17, Frames.udp(5000 + i, 53, payload(300, i))), vlan));
    t.add(100, frame(ipv4("10.2.0.2", a, 17, Frames.udp(53, 5000 + i, payload(400, i))), vlan));
  }

  private static void tcp(Trace t, int i, int vlan) {
    String a = "10.3." + (vlan < 0 ? 0 : vlan / 100) + "." + (i + 1);
    int sp = 40000 + i;
    t.add(
        100,
        frame(ipv4(a, "10.4.0.1", 6, Frames.tcp(sp, 443, 1000, 0, TCP_SYN, new byte[0])), vlan));
    t.add(
        100,
        frame(
            ipv4("10.4.0.1", a, 6, Frames.tcp(443, sp, 5000, 1001, TCP_SYN | TCP_ACK, new byte[0])),
            vlan));
    t.add(
        100,
        frame(
            ipv4(a, "10.4.0.1", 6, Frames.tcp(sp, 443, 1001, 5001, TCP_ACK, payload(1200, i))),
            vlan));
  }
}
