package dev.vigil.sensor.testutil;

import static dev.vigil.sensor.testutil.Frames.*;
import static dev.vigil.sensor.testutil.TcpConv.*;

import java.nio.charset.StandardCharsets;

/**
 * Traces for the DNS, HTTP, tunnelled-TLS and getwork baselines. Every connection has its own
 * client port so tests can name it; comments say what each one must produce.
 */
public final class AnalyzerScenarios {
  private AnalyzerScenarios() {}

  static final String C = "10.0.1.1";
  static final String R = "10.0.1.53";
  static final String S = "10.0.1.80";

  /**
   * DNS over UDP on port 53 and elsewhere, and over TCP: A with CNAME chain (compression), AAAA,
   * MX, TXT, NXDOMAIN with SOA authority, a truncated (TC) reply retried over TCP, a reply cut
   * short (weird, query logged unanswered), a pointer loop (weird), an unanswered query, and a
   * reply without its query.
   */
  public static Trace dns() {
    Trace t = new Trace();
    Wrap w = Wrap.ethernetV4();
    // 40001: A www.example.com -> CNAME web.example.com (pointer into the question) -> A x2
    DnsMsg q1 = new DnsMsg(0x1001, DnsMsg.QUERY_RD).question("www.Example.com", 1);
    DnsMsg r1 = new DnsMsg(0x1001, DnsMsg.RESPONSE).question("www.example.com", 1);
    int cnameAt = r1.offset() + 12; // owner pointer(2)+type+class+ttl+rdlen = 12
    r1.answerPtr(12, 5, 3600, DnsMsg.nameThenPtr("web", 16)); // web + ".example.com" at 16
    r1.answerPtr(cnameAt, 1, 60, DnsMsg.a("192.0.2.10"));
    r1.answerPtr(cnameAt, 1, 60, DnsMsg.a("192.0.2.11"));
    t.add(10, w.frame(C, R, 17, udp(40001, 53, q1.opt().bytes())));
    t.add(1500, w.frame(R, C, 17, udp(53, 40001, r1.bytes())));
    // 40002: AAAA, answer owner uncompressed
    t.add(
        10,
        w.frame(
            C,
            R,
            17,
            udp(40002, 53, new DnsMsg(0x2002, 0x100).question("v6.example.net", 28).bytes())));
    t.add(
        700,
        w.frame(
            R,
            C,
            17,
            udp(
                53,
                40002,
                new DnsMsg(0x2002, DnsMsg.RESPONSE)
                    .question("v6.example.net", 28)
                    .answer("v6.example.net", 28, 300, DnsMsg.a("2001:db8::1:0:0:53"))
                    .bytes())));
    // 40003: MX and TXT in one connection, two transactions in flight, replies out of order
    t.add(
        10,
        w.frame(
            C,
            R,
            17,
            udp(40003, 53, new DnsMsg(0x3003, 0x100).question("example.org", 15).bytes())));
    t.add(
        10,
        w.frame(
            C,
            R,
            17,
            udp(40003, 53, new DnsMsg(0x3004, 0x100).question("example.org", 16).bytes())));
    t.add(
        300,
        w.frame(
            R,
            C,
            17,
            udp(
                53,
                40003,
                new DnsMsg(0x3004, DnsMsg.RESPONSE)
                    .question("example.org", 16)
                    .answerPtr(12, 16, 120, DnsMsg.txt("v=spf1 -all", "hello \"world\""))
                    .bytes())));
    t.add(
        300,
        w.frame(
            R,
            C,
            17,
            udp(
                53,
                40003,
                new DnsMsg(0x3003, DnsMsg.RESPONSE)
                    .question("example.org", 15)
                    .answerPtr(12, 15, 900, DnsMsg.mx(10, DnsMsg.nameThenPtr("mail", 12)))
                    .bytes())));
    // 40004: NXDOMAIN with an SOA in the authority section, on port 5353 (content, not port)
    t.add(
        10,
        w.frame(
            C,
            R,
            17,
            udp(40004, 5300, new DnsMsg(0x4004, 0x100).question("nope.example.com", 1).bytes())));
    t.add(
        400,
        w.frame(
            R,
            C,
            17,
            udp(
                5300,
                40004,
                new DnsMsg(0x4004, 0x8183)
                    .question("nope.example.com", 1)
                    .authority(
                        17,
                        6,
                        900,
                        DnsMsg.soa(DnsMsg.name("ns1.example.com"), DnsMsg.name("h.example.com")))
                    .bytes())));
    // 40005: TC reply over UDP, then the same query over TCP (length-prefixed) answered
    t.add(
        10,
        w.frame(
            C,
            R,
            17,
            udp(40005, 53, new DnsMsg(0x5005, 0x100).question("big.example.com", 16).bytes())));
    t.add(
        300,
        w.frame(
            R,
            C,
            17,
            udp(53, 40005, new DnsMsg(0x5005, 0x8380).question("big.example.com", 16).bytes())));
    TcpConv tc = new TcpConv(t, w, C, 40006, R, 53);
    tc.c(10, SYN, NONE).s(10, SYNACK, NONE).c(10, ACK, NONE);
    tc.c(10, PSH, new DnsMsg(0x5006, 0x100).question("big.example.com", 16).tcp());
    byte[] big =
        new DnsMsg(0x5006, DnsMsg.RESPONSE)
            .question("big.example.com", 16)
            .answerPtr(12, 16, 60, DnsMsg.txt("a".repeat(200), "b".repeat(200)))
            .answerPtr(12, 16, 60, DnsMsg.txt("c".repeat(50)))
            .tcp();
    tc.sSplit(10, big, new int[] {1, 300}, 0, 1, 2);
    tc.c(10, FIN, NONE).s(10, FIN, NONE).c(10, ACK, NONE);
    // 40007: reply cut short inside its answer: DNS_truncated_msg, the query stays unanswered
    t.add(
        10,
        w.frame(
            C,
            R,
            17,
            udp(40007, 53, new DnsMsg(0x7007, 0x100).question("cut.example.com", 1).bytes())));
    byte[] cut =
        new DnsMsg(0x7007, DnsMsg.RESPONSE)
            .question("cut.example.com", 1)
            .answerPtr(12, 1, 60, DnsMsg.a("192.0.2.7"))
            .bytes();
    t.add(100, w.frame(R, C, 17, udp(53, 40007, java.util.Arrays.copyOf(cut, cut.length - 3))));
    // 40008: a reply whose answer name points at itself (loop): rejected, query unanswered
    t.add(
        10,
        w.frame(
            C,
            R,
            17,
            udp(40008, 53, new DnsMsg(0x8008, 0x100).question("loop.example.com", 1).bytes())));
    DnsMsg loop = new DnsMsg(0x8008, DnsMsg.RESPONSE).question("loop.example.com", 1);
    int self = loop.offset();
    loop.answerPtr(self, 1, 60, DnsMsg.a("192.0.2.8"));
    t.add(100, w.frame(R, C, 17, udp(53, 40008, loop.bytes())));
    // 40009: a query nobody answers (logged at the connection's end, no rtt/rcode)
    t.add(
        10,
        w.frame(
            C,
            R,
            17,
            udp(40009, 53, new DnsMsg(0x9009, 0x100).question("silent.example", 1).bytes())));
    // 40010: a reply without a query (capture started late): logged, dns_unmatched_reply
    t.add(
        10,
        w.frame(
            R,
            C,
            17,
            udp(
                53,
                40010,
                new DnsMsg(0xa00a, DnsMsg.RESPONSE | DnsMsg.AA)
                    .question("late.example", 1)
                    .answerPtr(12, 1, 5, DnsMsg.a("192.0.2.99"))
                    .bytes())));
    // 40011: not DNS on port 53 (random payload): no dns.log line, no service
    t.add(10, w.frame(C, R, 17, udp(40011, 53, payload(40, 5))));
    return t;
  }

  /**
   * HTTP/1.x: GET with Host/Referer/User-Agent, POST with a body, three pipelined requests in one
   * segment answered in order, a conditional GET answered 304, a chunked response split across
   * segments, HEAD (Content-Length but no body), a 100-continue, HTTP on a non-HTTP port, a large
   * body past the stream prefix, and a response body up to the connection's end.
   */
  public static Trace http() {
    Trace t = new Trace();
    Wrap w = Wrap.ethernetV4();
    TcpConv a = open(t, w, 41001, 80);
    a.c(
        10,
        PSH,
        ascii(
            "GET /index.html?q=1 HTTP/1.1\r\nHost: www.example.com:8080\r\n"
                + "Referer: http://ref.example/\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n"));
    a.s(
        500,
        PSH,
        ascii(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 12\r\n\r\n<html></html"));
    close(a);

    TcpConv p = open(t, w, 41002, 80);
    p.c(
        10,
        PSH,
        ascii(
            "POST /api/v1/items HTTP/1.1\r\nHost: api.example.com\r\nContent-Length: 27\r\n"
                + "Content-Type: application/json\r\n\r\n{\"name\":\"x\",\"value\":123456}"));
    p.s(500, PSH, ascii("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"));
    close(p);

    TcpConv pl = open(t, w, 41003, 8080);
    pl.c(
        10,
        PSH,
        ascii(
            "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /c HTTP/1.1\r\nHost: h\r\n\r\n"));
    pl.s(
        300,
        PSH,
        ascii(
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nA"
                + "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nBB"));
    pl.s(10, PSH, ascii("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nCCC"));
    close(pl);

    TcpConv nm = open(t, w, 41004, 80);
    nm.c(
        10,
        PSH,
        ascii(
            "GET /logo.png HTTP/1.1\r\nHost: img.example.com\r\n"
                + "If-None-Match: \"abc\"\r\n\r\n"));
    nm.s(200, PSH, ascii("HTTP/1.1 304 Not Modified\r\nETag: \"abc\"\r\n\r\n"));
    // same connection: HEAD with a Content-Length and no body, then a chunked response
    nm.c(10, PSH, ascii("HEAD /big HTTP/1.1\r\nHost: img.example.com\r\n\r\n"));
    nm.s(200, PSH, ascii("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"));
    nm.c(10, PSH, ascii("GET /chunked HTTP/1.1\r\nHost: img.example.com\r\n\r\n"));
    byte[] chunked =
        ascii(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n1a; ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: 1\r\n\r\n");
    nm.sSplit(10, chunked, new int[] {40, 60, 75}, 0, 1, 2, 3);
    close(nm);

    TcpConv cont = open(t, w, 41005, 80);
    cont.c(
        10,
        PSH,
        ascii(
            "PUT /upload HTTP/1.1\r\nHost: up.example.com\r\nContent-Length: 10\r\n"
                + "Expect: 100-continue\r\n\r\n"));
    cont.s(100, PSH, ascii("HTTP/1.1 100 Continue\r\n\r\n"));
    cont.c(10, PSH, ascii("0123456789"));
    cont.s(100, PSH, ascii("HTTP/1.1 204 No Content\r\n\r\n"));
    close(cont);

    // HTTP on port 22 (content decides) with a 20000-byte response body, past the 8 KB prefix
    TcpConv big = open(t, w, 41006, 22);
    big.c(10, PSH, ascii("GET /file.bin HTTP/1.0\r\nHost: files.example.com\r\n\r\n"));
    big.s(100, PSH, ascii("HTTP/1.0 200 OK\r\nContent-Length: 20000\r\n\r\n"));
    for (int i = 0; i < 20; i++) {
      big.s(10, PSH, payload(1000, i));
    }
    // and a second request after it in the same connection
    big.c(10, PSH, ascii("GET /second HTTP/1.0\r\nHost: files.example.com\r\n\r\n"));
    big.s(10, PSH, ascii("HTTP/1.0 200 OK\r\n\r\nuntil the end"));
    close(big);

    // a request line without HTTP/1.x: not HTTP
    TcpConv no = open(t, w, 41007, 80);
    no.c(10, PSH, ascii("GET / FOO\r\n\r\n"));
    close(no);
    return t;
  }

  /**
   * TLS found after a plaintext start: SMTP STARTTLS, IMAP STARTTLS, POP3 STLS, FTP AUTH TLS, an
   * HTTP CONNECT tunnel, a SOCKS5 tunnel (no auth, IPv4), a SOCKS5 tunnel with username/password
   * and a domain name, a refused STARTTLS (no TLS) and a refused CONNECT (407).
   */
  public static Trace tlsTunnels() {
    Trace t = new Trace();
    Wrap w = Wrap.ethernetV4();
    byte[] ch = TlsHellos.chrome().record();
    byte[] sh =
        TlsHellos.record(
            22, TlsHellos.serverHello(0x0303, 0x1301, new int[] {0x002b}, new byte[][] {{3, 4}}));

    TcpConv smtp = open(t, w, 42001, 25);
    smtp.s(10, PSH, ascii("220 mx.example.com ESMTP Postfix\r\n"));
    smtp.c(10, PSH, ascii("EHLO client.example\r\n"));
    smtp.s(10, PSH, ascii("250-mx.example.com\r\n250-PIPELINING\r\n250 STARTTLS\r\n"));
    smtp.c(10, PSH, ascii("STARTTLS\r\n"));
    smtp.s(10, PSH, ascii("220 2.0.0 Ready to start TLS\r\n"));
    smtp.c(10, PSH, ch).s(10, PSH, sh).c(10, PSH, TlsHellos.CHANGE_CIPHER_SPEC);
    close(smtp);

    TcpConv imap = open(t, w, 42002, 143);
    imap.s(10, PSH, ascii("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n"));
    imap.c(10, PSH, ascii("a001 STARTTLS\r\n"));
    imap.s(10, PSH, ascii("a001 OK Begin TLS negotiation now\r\n"));
    imap.c(10, PSH, ch).s(10, PSH, sh);
    close(imap);

    TcpConv pop = open(t, w, 42003, 110);
    pop.s(10, PSH, ascii("+OK POP3 ready\r\n"));
    pop.c(10, PSH, ascii("STLS\r\n"));
    pop.s(10, PSH, ascii("+OK Begin TLS\r\n"));
    // hello split in two segments, the second sent first
    pop.cSplit(10, ch, new int[] {150}, 1, 0);
    pop.s(10, PSH, sh);
    close(pop);

    TcpConv ftp = open(t, w, 42004, 21);
    ftp.s(10, PSH, ascii("220 (vsFTPd 3.0.3)\r\n"));
    ftp.c(10, PSH, ascii("AUTH TLS\r\n"));
    ftp.s(10, PSH, ascii("234 Proceed with negotiation.\r\n"));
    ftp.c(10, PSH, ch).s(10, PSH, sh);
    close(ftp);

    TcpConv connect = open(t, w, 42005, 3128);
    connect.c(
        10,
        PSH,
        ascii(
            "CONNECT tls.browserleaks.com:443 HTTP/1.1\r\n"
                + "Host: tls.browserleaks.com:443\r\nUser-Agent: curl/8.0\r\n\r\n"));
    connect.s(10, PSH, ascii("HTTP/1.1 200 Connection established\r\n\r\n"));
    connect.c(10, PSH, ch).s(10, PSH, sh);
    close(connect);

    TcpConv socks = open(t, w, 42006, 1080);
    socks.c(10, PSH, bytes(5, 1, 0));
    socks.s(10, PSH, bytes(5, 0));
    socks.c(10, PSH, bytes(5, 1, 0, 1, 93, 184, 216, 34, 1, 187));
    socks.s(10, PSH, bytes(5, 0, 0, 1, 10, 0, 1, 80, 0x9c, 0x40));
    socks.c(10, PSH, ch).s(10, PSH, sh);
    close(socks);

    TcpConv socksAuth = open(t, w, 42007, 1080);
    socksAuth.c(10, PSH, bytes(5, 2, 0, 2));
    socksAuth.s(10, PSH, bytes(5, 2));
    socksAuth.c(10, PSH, concat(bytes(1, 4), ascii("user"), bytes(4), ascii("pass")));
    socksAuth.s(10, PSH, bytes(1, 0));
    // request and hello in one segment (an optimistic client)
    byte[] host = ascii("tls.browserleaks.com");
    byte[] req = concat(bytes(5, 1, 0, 3, host.length), host, bytes(1, 187));
    socksAuth.c(10, PSH, req);
    socksAuth.s(10, PSH, bytes(5, 0, 0, 1, 0, 0, 0, 0, 0, 0));
    socksAuth.c(10, PSH, ch).s(10, PSH, sh);
    close(socksAuth);

    TcpConv refused = open(t, w, 42008, 25);
    refused.s(10, PSH, ascii("220 mx.example.com ESMTP\r\n"));
    refused.c(10, PSH, ascii("STARTTLS\r\n"));
    refused.s(10, PSH, ascii("454 TLS not available\r\n"));
    refused.c(10, PSH, ascii("QUIT\r\n"));
    close(refused);

    TcpConv denied = open(t, w, 42009, 3128);
    denied.c(10, PSH, ascii("CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n"));
    denied.s(
        10, PSH, ascii("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"));
    close(denied);
    return t;
  }

  /**
   * Mining over HTTP JSON-RPC (getwork, getblocktemplate, submitblock in a chunked body) against
   * ordinary JSON-RPC over HTTP: an Ethereum node's eth_blockNumber, a wallet's getbalance, and a
   * web API whose body mentions getwork outside the method.
   */
  public static Trace getwork() {
    Trace t = new Trace();
    Wrap w = Wrap.ethernetV4();
    post(t, w, 43001, 8332, "{\"method\":\"getwork\",\"params\":[],\"id\":0}", false);
    post(
        t,
        w,
        43002,
        8332,
        "{\"id\":1,\"method\": \"getblocktemplate\",\"params\":[{\"rules\":[\"segwit\"]}]}",
        false);
    post(
        t,
        w,
        43003,
        80,
        "{\"jsonrpc\":\"1.0\",\"method\":\"submitblock\",\"params\":[\"00\"]}",
        true);
    post(
        t,
        w,
        43004,
        8545,
        "{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[],\"id\":1}",
        false);
    post(t, w, 43005, 8332, "{\"method\":\"getbalance\",\"params\":[],\"id\":2}", false);
    post(t, w, 43006, 80, "{\"method\":\"search\",\"params\":{\"q\":\"getwork\"}}", false);
    return t;
  }

  private static void post(Trace t, Wrap w, int cport, int sport, String body, boolean chunked) {
    TcpConv c = open(t, w, cport, sport);
    byte[] b = ascii(body);
    String head =
        "POST / HTTP/1.1\r\nHost: node.example:"
            + sport
            + "\r\nUser-Agent: miner/1.0\r\n"
            + "Content-Type: application/json\r\n";
    if (chunked) {
      c.c(
          10,
          PSH,
          ascii(
              head
                  + "Transfer-Encoding: chunked\r\n\r\n"
                  + Integer.toHexString(b.length)
                  + "\r\n"
                  + body
                  + "\r\n0\r\n\r\n"));
    } else {
      c.c(10, PSH, ascii(head + "Content-Length: " + b.length + "\r\n\r\n" + body));
    }
    c.s(
        100,
        PSH,
        ascii(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"
                + "{\"result\":null}"));
    close(c);
  }

  private static TcpConv open(Trace t, Wrap w, int cport, int sport) {
    TcpConv c = new TcpConv(t, w, C, cport, S, sport);
    c.c(10, SYN, NONE).s(10, SYNACK, NONE).c(10, ACK, NONE);
    return c;
  }

  private static void close(TcpConv c) {
    c.c(1000, FIN, NONE).s(10, FIN, NONE).c(10, ACK, NONE);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
