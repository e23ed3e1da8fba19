package dev.vigil.sensor.testutil;

import static dev.vigil.sensor.testutil.Frames.*;
import static dev.vigil.sensor.testutil.TcpConv.*;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The traces behind the conn.log baselines; each exercises one area with known content. */
public final class Scenarios {
  private Scenarios() {}

  public static Map<String, Supplier<Trace>> all() {
    Map<String, Supplier<Trace>> m = new LinkedHashMap<>();
    m.put("tcp_states", Scenarios::tcpStates);
    m.put("udp_icmp", Scenarios::udpIcmp);
    m.put("vlan", Scenarios::vlan);
    m.put("tunnels", Scenarios::tunnels);
    m.put("ipv6", Scenarios::ipv6Trace);
    m.put("fragments", Scenarios::fragments);
    m.put("elephant", Scenarios::elephant);
    m.put("timeouts", Scenarios::timeouts);
    m.put("services", Scenarios::services);
    m.put("dns", AnalyzerScenarios::dns);
    m.put("http", AnalyzerScenarios::http);
    m.put("tls_tunnels", AnalyzerScenarios::tlsTunnels);
    m.put("getwork", AnalyzerScenarios::getwork);
    return m;
  }

  static final String C = "10.0.0.1";
  static final String S = "10.0.0.2";

  /** One connection per Zeek conn_state, each on its own client port. */
  public static Trace tcpStates() {
    Trace t = new Trace();
    Wrap w = Wrap.ethernetV4();
    // SF: ShADadFf
    new TcpConv(t, w, C, 40001, S, 80).fullExchange(100, 1000);
    // REJ: SYN answered by RST-ACK
    new TcpConv(t, w, C, 40002, S, 81).c(10, SYN, NONE).s(50, RSTACK, NONE);
    // S0: SYN and its retransmission, no answer
    new TcpConv(t, w, C, 40003, S, 82).c(10, SYN, NONE);
    new TcpConv(t, w, C, 40003, S, 82).c(1_000_000, SYN, NONE);
    // S1: handshake only
    new TcpConv(t, w, C, 40004, S, 83).c(10, SYN, NONE).s(50, SYNACK, NONE).c(50, ACK, NONE);
    // RSTO: established, data, originator aborts
    new TcpConv(t, w, C, 40005, S, 84)
        .c(10, SYN, NONE)
        .s(50, SYNACK, NONE)
        .c(50, ACK, NONE)
        .c(10, PSH, payload(20, 0))
        .c(10, RST, NONE);
    // RSTR: established, data, responder aborts
    new TcpConv(t, w, C, 40006, S, 85)
        .c(10, SYN, NONE)
        .s(50, SYNACK, NONE)
        .c(50, ACK, NONE)
        .c(10, PSH, payload(30, 0))
        .s(10, RSTACK, NONE);
    // RSTOS0: SYN then originator RST, no SYN-ACK
    new TcpConv(t, w, C, 40007, S, 86).c(10, SYN, NONE).c(100, RST, NONE);
    // SH: SYN then originator FIN
    new TcpConv(t, w, C, 40008, S, 87).c(10, SYN, NONE).c(100, FIN, NONE);
    // S2: established, originator FIN only
    new TcpConv(t, w, C, 40009, S, 88)
        .c(10, SYN, NONE)
        .s(50, SYNACK, NONE)
        .c(50, ACK, NONE)
        .c(50, FIN, NONE);
    // S3: established, responder FIN only
    new TcpConv(t, w, C, 40010, S, 89)
        .c(10, SYN, NONE)
        .s(50, SYNACK, NONE)
        .c(50, ACK, NONE)
        .s(50, FIN, NONE);
    // OTH: midstream data both ways, no SYN
    new TcpConv(t, w, C, 40011, S, 90).c(10, PSH, payload(40, 0)).s(10, PSH, payload(60, 0));
    // RSTRH: midstream originator data, responder RST
    new TcpConv(t, w, C, 40012, S, 91).c(10, PSH, payload(40, 0)).s(10, RST, NONE);
    // SHR: midstream originator data, responder FIN
    new TcpConv(t, w, C, 40013, S, 92).c(10, PSH, payload(40, 0)).s(10, FIN, NONE);
    // Flipped: first packet seen is the SYN-ACK (history starts with ^)
    new TcpConv(t, w, C, 40014, S, 93)
        .s(10, SYNACK, NONE)
        .c(50, ACK, NONE)
        .c(10, PSH, payload(10, 0))
        .s(10, ACK, NONE);
    // Gap and retransmission: 100 bytes, 50 missed, 100 bytes, the last 100 again
    TcpConv g = new TcpConv(t, w, C, 40015, S, 94);
    g.c(10, SYN, NONE).s(50, SYNACK, NONE).c(50, ACK, NONE);
    g.c(10, PSH, payload(100, 0)).cSkip(10, 50, payload(100, 1)).cRetransmit(10, payload(100, 1));
    g.c(10, FIN, NONE).s(10, FIN, NONE).c(10, ACK, NONE);
    // Zero window from the responder
    TcpConv z = new TcpConv(t, w, C, 40016, S, 95);
    z.c(10, SYN, NONE).s(50, SYNACK, NONE).c(50, ACK, NONE).c(10, PSH, payload(10, 0));
    t.add(10, w.frame(S, C, 6, tcp(95, 40016, 1, 1, ACK, 0, NONE)));
    // Port reuse: a fresh SYN after a finished connection starts a new one
    new TcpConv(t, w, C, 40017, S, 96).fullExchange(10, 20);
    new TcpConv(t, w, C, 40017, S, 96).c(100, SYN, NONE).s(50, RSTACK, NONE);
    return t;
  }

  public static Trace udpIcmp() {
    Trace t = new Trace();
    Wrap w = Wrap.ethernetV4();
    // request/response: SF, Dd
    t.add(10, w.frame(C, "10.0.0.53", 17, udp(33333, 53, payload(40, 0))));
    t.add(800, w.frame("10.0.0.53", C, 17, udp(53, 33333, payload(120, 1))));
    // one-way: S0
    t.add(10, w.frame(C, "10.0.0.99", 17, udp(5000, 514, payload(200, 0))));
    t.add(10, w.frame(C, "10.0.0.99", 17, udp(5000, 514, payload(300, 0))));
    // zero-length UDP payload
    t.add(10, w.frame(C, "10.0.0.98", 17, udp(5001, 9, NONE)));
    // ICMP echo request/reply pairs share one connection
    for (int i = 0; i < 3; i++) {
      t.add(1000, w.frame(C, S, 1, icmp(8, 0, 77, i, payload(56, i))));
      t.add(200, w.frame(S, C, 1, icmp(0, 0, 77, i, payload(56, i))));
    }
    // destination unreachable (one-way): orig_p = type, resp_p = code
    t.add(10, w.frame("10.0.0.254", C, 1, icmp(3, 3, 0, 0, payload(28, 0))));
    // ICMPv6 echo
    Wrap w6 = Wrap.ethernetV6();
    t.add(10, w6.frame("2001:db8::1", "2001:db8::2", 58, icmp(128, 0, 5, 1, payload(16, 0))));
    t.add(10, w6.frame("2001:db8::2", "2001:db8::1", 58, icmp(129, 0, 5, 1, payload(16, 0))));
    // a protocol without ports (SCTP, 132): unknown_transport
    t.add(10, w.frame(C, S, 132, payload(48, 0)));
    // ARP: not IP, no flow
    t.add(10, ethernet(0x0806, payload(28, 0)));
    return t;
  }

  public static Trace vlan() {
    Trace t = new Trace();
    int[] v10 = {0x8100, 10};
    Wrap tag10 = (s, d, p, l4) -> ethernetVlan(0x0800, ipv4(s, d, p, l4), v10);
    new TcpConv(t, tag10, C, 41000, S, 443).fullExchange(50, 70);
    Wrap qinq =
        (s, d, p, l4) ->
            ethernetVlan(
                0x0800, ipv4(s, d, p, l4), new int[] {0x88a8, 100}, new int[] {0x8100, 200});
    t.add(10, qinq.frame(C, S, 17, udp(7000, 7001, payload(10, 0))));
    t.add(10, qinq.frame(S, C, 17, udp(7001, 7000, payload(12, 0))));
    // the same 5-tuple on VLAN 11 is a different connection
    Wrap tag11 = (s, d, p, l4) -> ethernetVlan(0x0800, ipv4(s, d, p, l4), new int[] {0x8100, 11});
    t.add(10, tag11.frame(C, S, 17, udp(7000, 7001, payload(10, 0))));
    t.add(10, Wrap.ethernetV4().frame(C, S, 17, udp(7000, 7001, payload(10, 0))));
    return t;
  }

  public static Trace tunnels() {
    Trace t = new Trace();
    String o1 = "192.168.1.1";
    String o2 = "192.168.1.2";
    // VXLAN: outer UDP 4789, inner Ethernet/IPv4/TCP
    Wrap vx =
        (s, d, p, l4) ->
            Wrap.ethernetV4()
                .frame(
                    o1, o2, 17, udp(49152, 4789, vxlan(42, Wrap.ethernetV4().frame(s, d, p, l4))));
    new TcpConv(t, vx, "172.16.0.1", 42000, "172.16.0.2", 22).fullExchange(30, 40);
    // GRE (plain, IPv4 inside)
    Wrap gre = (s, d, p, l4) -> Wrap.ethernetV4().frame(o1, o2, 47, gre(0x0800, ipv4(s, d, p, l4)));
    t.add(10, gre.frame("172.16.1.1", "172.16.1.2", 17, udp(1111, 2222, payload(33, 0))));
    t.add(10, gre.frame("172.16.1.2", "172.16.1.1", 17, udp(2222, 1111, payload(44, 0))));
    // GRE with key and sequence, transparent Ethernet bridging inside
    Wrap teb =
        (s, d, p, l4) ->
            Wrap.ethernetV4()
                .frame(o1, o2, 47, greKeySeq(0x6558, 7, 1, Wrap.ethernetV4().frame(s, d, p, l4)));
    t.add(10, teb.frame("172.16.2.1", "172.16.2.2", 17, udp(3333, 4444, payload(10, 0))));
    // ERSPAN type II (GRE with sequence number, 0x88be)
    Wrap e2 =
        (s, d, p, l4) ->
            Wrap.ethernetV4()
                .frame(
                    o1,
                    o2,
                    47,
                    greKeySeq(0x88be, 0, 5, erspan2(3, Wrap.ethernetV4().frame(s, d, p, l4))));
    new TcpConv(t, e2, "172.16.3.1", 43000, "172.16.3.2", 8080).fullExchange(11, 22);
    // ERSPAN type III with platform subheader, mirrored frame tagged VLAN 5
    Wrap e3 =
        (s, d, p, l4) ->
            Wrap.ethernetV4()
                .frame(
                    o1,
                    o2,
                    47,
                    concat(
                        u16(0x1000),
                        u16(0x22eb),
                        u32(9),
                        erspan3(
                            4,
                            true,
                            ethernetVlan(0x0800, ipv4(s, d, p, l4), new int[] {0x8100, 5}))));
    t.add(10, e3.frame("172.16.4.1", "172.16.4.2", 17, udp(5555, 6666, payload(7, 0))));
    // ERSPAN type I (0x88be without sequence number: no ERSPAN header)
    Wrap e1 =
        (s, d, p, l4) ->
            Wrap.ethernetV4().frame(o1, o2, 47, gre(0x88be, Wrap.ethernetV4().frame(s, d, p, l4)));
    t.add(10, e1.frame("172.16.5.1", "172.16.5.2", 17, udp(1234, 4321, payload(9, 0))));
    // Geneve with one option word, Ethernet inside
    Wrap gv =
        (s, d, p, l4) ->
            Wrap.ethernetV4()
                .frame(
                    o1,
                    o2,
                    17,
                    udp(50000, 6081, geneve(99, 0x6558, 1, Wrap.ethernetV4().frame(s, d, p, l4))));
    t.add(10, gv.frame("172.16.6.1", "172.16.6.2", 17, udp(1000, 2000, payload(15, 0))));
    // MPLS, two labels, IPv4 inside
    Wrap mp = (s, d, p, l4) -> ethernet(0x8847, mpls(ipv4(s, d, p, l4), 100, 200));
    t.add(10, mp.frame("172.16.7.1", "172.16.7.2", 17, udp(1001, 2001, payload(5, 0))));
    // MPLS with pseudowire control word, Ethernet inside
    Wrap pw =
        (s, d, p, l4) ->
            ethernet(0x8847, mpls(concat(u32(0), Wrap.ethernetV4().frame(s, d, p, l4)), 300));
    t.add(10, pw.frame("172.16.8.1", "172.16.8.2", 17, udp(1002, 2002, payload(6, 0))));
    // IP-in-IP and 6in4
    t.add(
        10,
        Wrap.ethernetV4()
            .frame(
                o1, o2, 4, ipv4("172.16.9.1", "172.16.9.2", 17, udp(1003, 2003, payload(8, 0)))));
    t.add(
        10,
        Wrap.ethernetV4()
            .frame(
                o1,
                o2,
                41,
                ipv6("2001:db8:9::1", "2001:db8:9::2", 17, udp(1004, 2004, payload(9, 0)))));
    return t;
  }

  public static Trace ipv6Trace() {
    Trace t = new Trace();
    // TCP behind hop-by-hop, destination options and routing headers
    Wrap ext =
        (s, d, p, l4) ->
            ethernet(
                0x86dd, ipv6(s, d, 0, concat(ipv6Ext(60, 0), ipv6Ext(43, 1), ipv6Ext(p, 0), l4)));
    new TcpConv(t, ext, "2001:db8::10", 44000, "2001:db8::20", 443).fullExchange(64, 128);
    // Fragmented UDP: first fragment carries the header, the second does not
    byte[] dgram = udp(5353, 5353, payload(100, 0));
    byte[] first = java.util.Arrays.copyOfRange(dgram, 0, 56);
    byte[] second = java.util.Arrays.copyOfRange(dgram, 56, dgram.length);
    t.add(
        10,
        ethernet(
            0x86dd, ipv6("fe80::1", "ff02::fb", 44, concat(ipv6Fragment(17, 0, true, 9), first))));
    t.add(
        10,
        ethernet(
            0x86dd,
            ipv6("fe80::1", "ff02::fb", 44, concat(ipv6Fragment(17, 7, false, 9), second))));
    // ICMPv6 neighbour solicitation / advertisement pair
    t.add(
        10, Wrap.ethernetV6().frame("fe80::1", "fe80::2", 58, icmp(135, 0, 0, 0, payload(16, 0))));
    t.add(
        10, Wrap.ethernetV6().frame("fe80::2", "fe80::1", 58, icmp(136, 0, 0, 0, payload(16, 0))));
    return t;
  }

  public static Trace fragments() {
    Trace t = new Trace();
    byte[] dgram = udp(4000, 4001, payload(3000, 0));
    int off = 0;
    int id = 4242;
    while (off < dgram.length) {
      int n = Math.min(1480, dgram.length - off);
      boolean more = off + n < dgram.length;
      byte[] part = java.util.Arrays.copyOfRange(dgram, off, off + n);
      t.add(10, ethernet(0x0800, ipv4(C, S, 17, part, id, off / 8, more)));
      off += n;
    }
    new TcpConv(t, Wrap.ethernetV4(), C, 45000, S, 80).fullExchange(10, 10);
    return t;
  }

  /** One big TCP transfer (200 x 1000 bytes) next to a small one. */
  public static Trace elephant() {
    Trace t = new Trace();
    TcpConv e = new TcpConv(t, Wrap.ethernetV4(), C, 46000, S, 5001);
    e.c(10, SYN, NONE).s(50, SYNACK, NONE).c(50, ACK, NONE);
    for (int i = 0; i < 200; i++) {
      e.c(5, PSH, payload(1000, i));
      if (i % 2 == 1) {
        e.s(5, ACK, NONE);
      }
    }
    e.c(10, FIN, NONE).s(10, FIN, NONE).c(10, ACK, NONE);
    new TcpConv(t, Wrap.ethernetV4(), C, 46001, S, 5002).fullExchange(5, 5);
    return t;
  }

  /** Idle timeouts by packet time: a UDP flow resumes after 61 s, a TCP one after 301 s. */
  public static Trace timeouts() {
    Trace t = new Trace();
    Wrap w = Wrap.ethernetV4();
    t.add(10, w.frame(C, S, 17, udp(6000, 6001, payload(10, 0))));
    t.add(61_000_000, w.frame(C, S, 17, udp(6000, 6001, payload(10, 0))));
    TcpConv a = new TcpConv(t, w, C, 47000, S, 7000);
    a.c(10, SYN, NONE).s(10, SYNACK, NONE).c(10, ACK, NONE);
    t.add(301_000_000, w.frame(C, S, 1, icmp(8, 0, 1, 1, NONE)));
    a.c(10, PSH, payload(10, 0));
    return t;
  }

  /**
   * Content-recognised services: TLS on 443 and on 80 (ClientHello split out of order), Stratum on
   * 3333, and JSON-RPC / HTTP that must stay without a service.
   */
  public static Trace services() {
    Trace t = new Trace();
    Wrap w = Wrap.ethernetV4();
    byte[] sh =
        TlsHellos.record(
            22, TlsHellos.serverHello(0x0303, 0x1301, new int[] {0x002b}, new byte[][] {{3, 4}}));
    TcpConv a = new TcpConv(t, w, C, 48000, S, 443);
    a.c(10, SYN, NONE).s(10, SYNACK, NONE).c(10, ACK, NONE);
    a.c(10, PSH, TlsHellos.chrome().record()).s(10, PSH, sh);
    a.c(10, PSH, TlsHellos.CHANGE_CIPHER_SPEC).c(1000, FIN, NONE).s(10, FIN, NONE).c(10, ACK, NONE);
    TcpConv b = new TcpConv(t, w, C, 48001, S, 80);
    b.c(10, SYN, NONE).s(10, SYNACK, NONE).c(10, ACK, NONE);
    b.cSplit(10, TlsHellos.chrome().record(), new int[] {100}, 1, 0).s(10, PSH, sh);
    b.c(1000, FIN, NONE).s(10, FIN, NONE).c(10, ACK, NONE);
    TcpConv m = new TcpConv(t, w, C, 48002, S, 3333);
    m.c(10, SYN, NONE).s(10, SYNACK, NONE).c(10, ACK, NONE);
    m.c(10, PSH, ascii("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n"));
    m.c(1000, FIN, NONE).s(10, FIN, NONE).c(10, ACK, NONE);
    TcpConv j = new TcpConv(t, w, C, 48003, S, 8545);
    j.c(10, SYN, NONE).s(10, SYNACK, NONE).c(10, ACK, NONE);
    j.c(10, PSH, ascii("{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"id\":1}\n"));
    j.c(1000, FIN, NONE).s(10, FIN, NONE).c(10, ACK, NONE);
    new TcpConv(t, w, C, 48004, S, 443).fullExchange(300, 2000);
    return t;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
