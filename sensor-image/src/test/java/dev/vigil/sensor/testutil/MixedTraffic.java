package dev.vigil.sensor.testutil;

import static dev.vigil.sensor.testutil.Frames.*;
import static dev.vigil.sensor.testutil.TcpConv.*;

import java.util.SplittableRandom;

/**
 * A seeded mix of many connections: TCP exchanges of random sizes (some reset, some unanswered),
 * UDP request/response, ICMP echo, over plain Ethernet, 802.1Q, VXLAN, GRE and IPv6. Flows are
 * interleaved by starting one every few microseconds; all finish within the idle timeouts.
 */
public final class MixedTraffic {
  private MixedTraffic() {}

  public static Trace generate(int flows, long seed) {
    return generate(flows, seed, true);
  }

  /** {@code tunnels = false}: plain Ethernet, 802.1Q and IPv6 only (e.g. for fanout tests). */
  public static Trace generate(int flows, long seed, boolean tunnels) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Trace t = new Trace();
    for (int i = 0; i < flows; i++) {
      int a = 1 + (i % 250);
      int b = 1 + (i / 250) % 250;
      String c4 = "10." + (i % 7) + "." + b + "." + a;
      String s4 = "10.200." + (i % 13) + "." + (1 + rnd.nextInt(250));
      String c6 = "2001:db8:" + Integer.toHexString(i) + "::1";
      String s6 = "2001:db8:ffff::" + Integer.toHexString(1 + rnd.nextInt(4000));
      int encap = rnd.nextInt(10);
      if (!tunnels && (encap == 1 || encap == 2)) {
        encap = 9;
      }
      Wrap w;
      boolean v6 = false;
      switch (encap) {
        case 0 -> {
          int vid = 1 + rnd.nextInt(4000);
          w = (s, d, p, l4) -> ethernetVlan(0x0800, ipv4(s, d, p, l4), new int[] {0x8100, vid});
        }
        case 1 ->
            w =
                (s, d, p, l4) ->
                    Wrap.ethernetV4()
                        .frame(
                            "192.168.0.1",
                            "192.168.0.2",
                            17,
                            udp(
                                40000 + (s.hashCode() & 0xfff),
                                4789,
                                vxlan(7, Wrap.ethernetV4().frame(s, d, p, l4))));
        case 2 ->
            w =
                (s, d, p, l4) ->
                    Wrap.ethernetV4()
                        .frame("192.168.0.3", "192.168.0.4", 47, gre(0x0800, ipv4(s, d, p, l4)));
        case 3, 4 -> {
          w = Wrap.ethernetV6();
          v6 = true;
        }
        default -> w = Wrap.ethernetV4();
      }
      String c = v6 ? c6 : c4;
      String s = v6 ? s6 : s4;
      int cport = 1024 + rnd.nextInt(60000);
      int kind = rnd.nextInt(10);
      if (kind < 6) {
        TcpConv conv = new TcpConv(t, w, c, cport, s, 1 + rnd.nextInt(1000));
        conv.c(rnd.nextInt(50), SYN, NONE);
        if (kind == 5) {
          conv.s(rnd.nextInt(50), RSTACK, NONE);
          continue;
        }
        conv.s(rnd.nextInt(50), SYNACK, NONE).c(rnd.nextInt(50), ACK, NONE);
        int rounds = 1 + rnd.nextInt(5);
        for (int r = 0; r < rounds; r++) {
          conv.c(rnd.nextInt(100), PSH, payload(1 + rnd.nextInt(1400), r));
          conv.s(rnd.nextInt(100), PSH, payload(rnd.nextInt(1400), r));
        }
        if (rnd.nextInt(4) == 0) {
          conv.c(rnd.nextInt(50), RST, NONE);
        } else {
          conv.c(rnd.nextInt(50), FIN, NONE).s(rnd.nextInt(50), FIN, NONE).c(10, ACK, NONE);
        }
      } else if (kind < 9) {
        int n = 1 + rnd.nextInt(4);
        int sport = 53 + rnd.nextInt(2000);
        for (int r = 0; r < n; r++) {
          t.add(
              rnd.nextInt(100),
              w.frame(c, s, 17, udp(cport, sport, payload(1 + rnd.nextInt(1200), r))));
          if (rnd.nextBoolean()) {
            t.add(
                rnd.nextInt(100),
                w.frame(s, c, 17, udp(sport, cport, payload(1 + rnd.nextInt(1200), r))));
          }
        }
      } else {
        int n = 1 + rnd.nextInt(3);
        int proto = v6 ? 58 : 1;
        int req = v6 ? 128 : 8;
        int rep = v6 ? 129 : 0;
        for (int r = 0; r < n; r++) {
          t.add(rnd.nextInt(100), w.frame(c, s, proto, icmp(req, 0, i, r, payload(56, r))));
          t.add(rnd.nextInt(100), w.frame(s, c, proto, icmp(rep, 0, i, r, payload(56, r))));
        }
      }
    }
    return t;
  }
}
