package dev.vigil.sensor.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sensor.decode.Decoder;
import dev.vigil.sensor.decode.PacketInfo;
import dev.vigil.sensor.decode.Weirds;
import dev.vigil.sensor.flow.FlowConfig;
import dev.vigil.sensor.log.DnsLogWriter;
import dev.vigil.sensor.log.HttpLogWriter;
import dev.vigil.sensor.log.SslLogWriter;
import dev.vigil.sensor.pipeline.Pipeline;
import dev.vigil.sensor.testutil.AnalyzerScenarios;
import dev.vigil.sensor.testutil.DnsMsg;
import dev.vigil.sensor.testutil.Trace;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The DNS, HTTP, STARTTLS/CONNECT/SOCKS and getwork analyzers on truncated and garbage input: every
 * cut of every DNS message, payload bytes mutated (headers kept valid so the bytes reach the
 * analyzers), payloads cut short, and random payloads in DNS and HTTP connections, through the
 * whole pipeline with the real log writers. Nothing may throw; malformed DNS must count weirds.
 */
class AnalyzerMalformedTest {

  static List<Trace> scenarios() {
    return List.of(
        AnalyzerScenarios.dns(),
        AnalyzerScenarios.http(),
        AnalyzerScenarios.tlsTunnels(),
        AnalyzerScenarios.getwork());
  }

  @Test
  void everyCutOfADnsMessageIsAWeirdNeverAnException() {
    DnsMsg m = new DnsMsg(7, DnsMsg.RESPONSE).question("www.example.com", 1);
    int cname = m.offset() + 12;
    m.answerPtr(12, 5, 60, DnsMsg.nameThenPtr("web", 16));
    m.answerPtr(cname, 1, 60, DnsMsg.a("192.0.2.1"));
    m.answerPtr(12, 16, 60, DnsMsg.txt("a", "bc"));
    m.answerPtr(12, 15, 60, DnsMsg.mx(5, DnsMsg.nameThenPtr("mx", 12)));
    m.answerPtr(12, 28, 60, DnsMsg.a("2001:db8::1"));
    byte[] msg = m.opt().bytes();
    Weirds weirds = new Weirds();
    DnsParser p = new DnsParser(weirds);
    assertThat(p.parse(msg, 0, msg.length, true)).isEqualTo(DnsParser.OK);
    assertThat(p.answerCount).isEqualTo(5);
    byte[] buf = new byte[msg.length + 32];
    SplittableRandom rnd = new SplittableRandom(3);
    for (int len = 0; len < msg.length; len++) {
      rnd.nextBytes(buf); // garbage after the cut must not be read
      System.arraycopy(msg, 0, buf, 0, len);
      long before = weirds.total();
      assertThat(p.parse(buf, 0, len, false)).as("cut at %d", len).isEqualTo(DnsParser.MALFORMED);
      assertThat(weirds.total()).as("cut at %d counted", len).isGreaterThan(before);
      assertThat(p.parse(buf, 0, len, true))
          .as("strict, cut at %d", len)
          .isNotEqualTo(DnsParser.OK);
    }
    // 200 000 random mutations: any result, no exception
    for (int i = 0; i < 200_000; i++) {
      byte[] x = msg.clone();
      for (int k = 1 + rnd.nextInt(6); k > 0; k--) {
        x[rnd.nextInt(x.length)] = (byte) rnd.nextInt(256);
      }
      p.parse(x, 0, x.length, (i & 1) == 0);
    }
    // a question whose name is a pointer to itself, after a chain of backward pointers
    byte[] chain = new byte[12 + 2 * 300];
    chain[5] = 1; // one question
    for (int i = 0; i < 300; i++) {
      int at = 12 + 2 * i;
      int to = i == 0 ? 12 : at - 2;
      chain[at] = (byte) (0xc0 | (to >>> 8));
      chain[at + 1] = (byte) to;
    }
    byte[] q = new byte[chain.length + 4];
    System.arraycopy(chain, 0, q, 0, chain.length);
    long before = weirds.total();
    p.parse(q, 0, q.length, false);
    assertThat(weirds.total()).isGreaterThan(before);
  }

  @Test
  void namesTooLongAndBadLabelTypesAreWeirds() {
    Weirds weirds = new Weirds();
    DnsParser p = new DnsParser(weirds);
    // 5 labels of 63 bytes: 320 bytes, over the 255 limit
    String label = "a".repeat(63);
    byte[] longName =
        new DnsMsg(1, 0x100)
            .question(String.join(".", label, label, label, label, label), 1)
            .bytes();
    assertThat(p.parse(longName, 0, longName.length, false)).isEqualTo(DnsParser.MALFORMED);
    assertThat(weirds.get(Weirds.DNS_NAME_TOO_LONG)).isEqualTo(1);
    assertThat(p.parse(longName, 0, longName.length, true)).isNotEqualTo(DnsParser.OK);
    // a label length byte 0x41 (type 0b01, extended labels): not a name we read
    byte[] bad = new DnsMsg(2, 0x100).question("ok.example", 1).bytes();
    bad[12] = 0x41;
    assertThat(p.parse(bad, 0, bad.length, false)).isEqualTo(DnsParser.MALFORMED);
    assertThat(weirds.get(Weirds.DNS_BAD_LABEL_TYPE)).isEqualTo(1);
    // a header alone with a question count: truncated
    byte[] header = java.util.Arrays.copyOf(bad, 12);
    assertThat(p.parse(header, 0, 12, false)).isEqualTo(DnsParser.MALFORMED);
    assertThat(weirds.get(Weirds.DNS_TRUNCATED_MSG)).isEqualTo(1);
    // shorter than a header
    assertThat(p.parse(header, 0, 11, false)).isEqualTo(DnsParser.MALFORMED);
    assertThat(weirds.get(Weirds.DNS_TRUNCATED_LEN_LT_HDR_LEN)).isEqualTo(1);
  }

  @Test
  void mutatedAndCutPayloadsThroughTheWholePipeline() throws Exception {
    SplittableRandom rnd = new SplittableRandom(11);
    Decoder d = new Decoder(new Weirds());
    PacketInfo info = new PacketInfo();
    StringWriter dns = new StringWriter();
    StringWriter http = new StringWriter();
    StringWriter ssl = new StringWriter();
    long weirdsSeen = 0;
    long packets = 0;
    for (int round = 0; round < 60; round++) {
      Pipeline pipeline =
          new Pipeline(
              FlowConfig.defaults().withMaxFlows(256),
              r -> {},
              0,
              new AnalyzerSinks(
                  new SslLogWriter(ssl, 1), new DnsLogWriter(dns, 1), new HttpLogWriter(http, 1)));
      for (Trace t : scenarios()) {
        for (Trace.Frame f : t.frames()) {
          byte[] m = f.data().clone();
          int len = m.length;
          if (d.decode(1, m, 0, m.length, m.length, 0, info) && info.payloadCaptured > 0) {
            int po = info.payloadOffset;
            int pl = info.payloadCaptured;
            switch (rnd.nextInt(4)) {
              case 0 -> { // flip payload bytes
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                  m[po + rnd.nextInt(pl)] = (byte) rnd.nextInt(256);
                }
              }
              case 1 -> len = po + rnd.nextInt(pl); // capture cut inside the payload
              case 2 -> { // replace the payload with garbage
                for (int k = po; k < po + pl; k++) {
                  m[k] = (byte) rnd.nextInt(256);
                }
              }
              default -> {}
            }
          }
          pipeline.onPacket(1, 0, f.tsNanos() + round, m, 0, len, m.length);
          packets++;
        }
      }
      pipeline.finish();
      weirdsSeen += pipeline.weirds().total();
    }
    assertThat(packets).isGreaterThan(10_000);
    assertThat(weirdsSeen).isPositive();
    assertThat(dns.toString()).isNotEmpty();
    assertThat(http.toString()).isNotEmpty();
  }

  @Test
  void garbageSegmentsInsideHttpAndDnsConnections() {
    // valid starts, then random bytes of random lengths in both directions
    Weirds total = null;
    SplittableRandom rnd = new SplittableRandom(5);
    List<String> logged = new ArrayList<>();
    Pipeline pipeline =
        new Pipeline(
            FlowConfig.defaults().withMaxFlows(1024),
            r -> {},
            0,
            new AnalyzerSinks(
                SslSink.NONE, (t, c) -> logged.add(t.query()), (t, c) -> logged.add(t.uri())));
    Trace t = new Trace();
    var w = dev.vigil.sensor.testutil.Wrap.ethernetV4();
    for (int conn = 0; conn < 300; conn++) {
      var c = new dev.vigil.sensor.testutil.TcpConv(t, w, "10.9.0.1", 20000 + conn, "10.9.0.2", 80);
      c.c(10, dev.vigil.sensor.testutil.TcpConv.SYN, dev.vigil.sensor.testutil.TcpConv.NONE)
          .s(10, dev.vigil.sensor.testutil.TcpConv.SYNACK, dev.vigil.sensor.testutil.TcpConv.NONE);
      c.c(10, dev.vigil.sensor.testutil.TcpConv.PSH, "GET / HTTP/1.1\r\n".getBytes());
      for (int k = 0; k < 6; k++) {
        byte[] g = new byte[1 + rnd.nextInt(3000)];
        rnd.nextBytes(g);
        if (rnd.nextBoolean()) {
          c.c(10, dev.vigil.sensor.testutil.TcpConv.PSH, g);
        } else {
          c.s(10, dev.vigil.sensor.testutil.TcpConv.PSH, g);
        }
      }
      byte[] q = new DnsMsg(conn, 0x100).question("x" + conn + ".example", 1).bytes();
      t.add(
          10,
          w.frame(
              "10.9.0.1",
              "10.9.0.53",
              17,
              dev.vigil.sensor.testutil.Frames.udp(30000 + conn, 53, q)));
      byte[] g = new byte[rnd.nextInt(600)];
      rnd.nextBytes(g);
      if (g.length > 2) {
        g[0] = (byte) (conn >>> 8);
        g[1] = (byte) conn;
        g[2] = (byte) 0x81;
      }
      t.add(
          10,
          w.frame(
              "10.9.0.53",
              "10.9.0.1",
              17,
              dev.vigil.sensor.testutil.Frames.udp(53, 30000 + conn, g)));
    }
    for (Trace.Frame f : t.frames()) {
      pipeline.onPacket(1, 0, f.tsNanos(), f.data(), 0, f.data().length, f.data().length);
    }
    pipeline.finish();
    total = pipeline.weirds();
    assertThat(total.total()).isPositive();
    assertThat(logged).isNotEmpty(); // unanswered queries and unfinished requests still logged
  }
}
