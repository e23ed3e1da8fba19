package dev.vigil.sensor.detect;

import static dev.vigil.sensor.testutil.Frames.udp;
import static dev.vigil.sensor.testutil.TcpConv.PSH;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.sensor.testutil.DnsMsg;
import dev.vigil.sensor.testutil.SensorRun;
import dev.vigil.sensor.testutil.TcpConv;
import dev.vigil.sensor.testutil.Trace;
import dev.vigil.sensor.testutil.Wrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DNS and HTTP analyzers' facts reach the trail detector through the CLI: a pcap the test
 * writes with DNS queries and HTTP requests, a policy directory with domain and URL trails, and the
 * notice.log that comes out. Only the transactions on a trail alert; look-alike names, other paths
 * and innocent traffic do not.
 */
class DnsHttpTrailEndToEndTest {
  static final String C = "192.0.2.70";
  static final String RESOLVER = "192.0.2.53";
  static final String WEB = "198.51.100.80";

  static final String POLICY =
      """
      {"schema":1,"name":"intel","namespace":"vigil-system","generation":2,
       "spec":{"mode":"enforce","stratum":{"enabled":false},"connectBack":{"enabled":false}},
       "trails":[{"type":"domain","value":"pool.minexmr.example","info":"xmrig pool",
                  "source":"maltrail-static/xmrig.txt","severity":"high"},
                 {"type":"domain","value":"c2.badcdn.example","info":"phishing kit C2",
                  "source":"inline","severity":"critical"},
                 {"type":"domain","value":"cname-target.example","info":"sinkholed CDN",
                  "source":"inline","severity":"medium"},
                 {"type":"url","value":"http://payload.example/x86_64","info":"miner dropper",
                  "source":"inline","severity":"high"}]}
      """;

  static Trace trace() {
    Trace t = new Trace();
    Wrap w = Wrap.ethernetV4();
    // 40101: A query for a subdomain of a trail domain, answered
    DnsMsg q1 = new DnsMsg(0x0101, DnsMsg.QUERY_RD).question("eu1.Pool.MineXMR.example", 1);
    DnsMsg r1 =
        new DnsMsg(0x0101, DnsMsg.RESPONSE)
            .question("eu1.pool.minexmr.example", 1)
            .answer("eu1.pool.minexmr.example", 1, 60, DnsMsg.a("203.0.113.7"));
    t.add(10, w.frame(C, RESOLVER, 17, udp(40101, 53, q1.bytes())));
    t.add(900, w.frame(RESOLVER, C, 17, udp(53, 40101, r1.bytes())));
    // 40102: an innocent name whose answer is a CNAME to a trail domain
    DnsMsg q2 = new DnsMsg(0x0202, DnsMsg.QUERY_RD).question("www.innocent.example", 1);
    DnsMsg r2 =
        new DnsMsg(0x0202, DnsMsg.RESPONSE)
            .question("www.innocent.example", 1)
            .answer("www.innocent.example", 5, 300, DnsMsg.name("cname-target.example"));
    t.add(10, w.frame(C, RESOLVER, 17, udp(40102, 53, q2.bytes())));
    t.add(700, w.frame(RESOLVER, C, 17, udp(53, 40102, r2.bytes())));
    // 40103: a look-alike (not a subdomain): nothing
    DnsMsg q3 = new DnsMsg(0x0303, DnsMsg.QUERY_RD).question("notpool.minexmr.example.org", 1);
    t.add(10, w.frame(C, RESOLVER, 17, udp(40103, 53, q3.bytes())));
    t.add(
        700,
        w.frame(
            RESOLVER,
            C,
            17,
            udp(
                53,
                40103,
                new DnsMsg(0x0303, DnsMsg.RESPONSE)
                    .question("notpool.minexmr.example.org", 1)
                    .bytes())));
    // 41101: HTTP GET of the trail URL (query string ignored, Host with its port)
    TcpConv u = open(t, w, 41101);
    u.c(
        10,
        PSH,
        ascii(
            "GET /x86_64?arch=1 HTTP/1.1\r\nHost: payload.example:80\r\nUser-Agent: wget\r\n\r\n"));
    u.s(300, PSH, ascii("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nELF!"));
    close(u);
    // 41102: HTTP to a host under a trail domain, second request of a keep-alive connection
    TcpConv h = open(t, w, 41102);
    h.c(10, PSH, ascii("GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n"));
    h.s(300, PSH, ascii("HTTP/1.1 204 No Content\r\n\r\n"));
    h.c(10, PSH, ascii("GET /gate.php HTTP/1.1\r\nHost: login.c2.badcdn.example\r\n\r\n"));
    h.s(300, PSH, ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    close(h);
    // 41103: same URL host, other path: nothing
    TcpConv o = open(t, w, 41103);
    o.c(10, PSH, ascii("GET /readme.txt HTTP/1.1\r\nHost: payload.example\r\n\r\n"));
    o.s(300, PSH, ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
    close(o);
    return t;
  }

  static TcpConv open(Trace t, Wrap w, int cport) {
    return new TcpConv(t, w, C, cport, WEB, 80)
        .c(10, TcpConv.SYN, TcpConv.NONE)
        .s(10, TcpConv.SYNACK, TcpConv.NONE)
        .c(10, TcpConv.ACK, TcpConv.NONE);
  }

  static void close(TcpConv c) {
    c.c(10, TcpConv.FIN, TcpConv.NONE)
        .s(10, TcpConv.FIN, TcpConv.NONE)
        .c(10, TcpConv.ACK, TcpConv.NONE);
  }

  static byte[] ascii(String s) {
    return NoticeLogEndToEndTest.ascii(s);
  }

  @TempDir Path dir;

  @Test
  void dnsQueriesAnswersAndHttpRequestsOnTrailsAlert() throws Exception {
    Trace t = trace();
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("intel.json"), POLICY);
    SensorRun run =
        SensorRun.run(
            t, dir.resolve("run"), "--policy-dir", policies.toString(), "--sensor-name", "tap-9");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stderr()).contains("detections: 4 alert(s) in notice.log");
    // the analyzers saw every transaction (the logs are not affected by detection)
    assertThat(run.dns()).hasSize(3);
    assertThat(run.http()).hasSize(4);

    List<JsonNode> notices = NoticeLogEndToEndTest.lines(dir.resolve("run/logs/notice.log"));
    assertThat(notices)
        .extracting(
            n -> n.at("/source/port").asInt() + " " + n.at("/threat/indicator/type").asText())
        .containsExactlyInAnyOrder(
            "40101 domain-name", "40102 domain-name", "41101 url", "41102 domain-name");
    for (JsonNode n : notices) {
      assertThat(n.at("/rule/name").asText()).isEqualTo("ThreatIntelTrail");
      assertThat(n.at("/event/kind").asText()).isEqualTo("alert");
      assertThat(n.at("/observer/name").asText()).isEqualTo("tap-9");
      assertThat(n.at("/source/ip").asText()).isEqualTo(C);
      int port = n.at("/source/port").asInt();
      // the alert names the connection of the transaction, as conn.log has it
      assertThat(n.at("/zeek/session_id").asText()).isEqualTo(run.conn(port).get("uid").asText());
    }

    JsonNode query = at(notices, 40101);
    assertThat(query.at("/threat/indicator/value").asText()).isEqualTo("pool.minexmr.example");
    assertThat(query.at("/event/severity").asInt()).isEqualTo(73);
    assertThat(query.at("/destination/ip").asText()).isEqualTo(RESOLVER);
    assertThat(query.at("/network/transport").asText()).isEqualTo("udp");
    assertThat(query.at("/message").asText()).startsWith("DNS query for eu1.pool.minexmr.example");
    assertThat(query.at("/vigil/evidence/trail.matched").asText())
        .isEqualTo("eu1.pool.minexmr.example");
    // the alert's time is the query's, as dns.log has it
    assertThat(query.at("/@timestamp").asText())
        .isEqualTo(instant(SensorRun.byPort(run.dns(), 40101).getFirst().get("ts")));

    JsonNode answer = at(notices, 40102);
    assertThat(answer.at("/threat/indicator/value").asText()).isEqualTo("cname-target.example");
    assertThat(answer.at("/event/severity").asInt()).isEqualTo(47);

    JsonNode url = at(notices, 41101);
    assertThat(url.at("/threat/indicator/value").asText())
        .isEqualTo("http://payload.example/x86_64");
    assertThat(url.at("/destination/ip").asText()).isEqualTo(WEB);
    assertThat(url.at("/network/transport").asText()).isEqualTo("tcp");
    assertThat(url.at("/message").asText()).startsWith("HTTP request http://payload.example/");

    JsonNode host = at(notices, 41102);
    assertThat(host.at("/threat/indicator/value").asText()).isEqualTo("c2.badcdn.example");
    assertThat(host.at("/event/severity").asInt()).isEqualTo(99);
    assertThat(host.at("/message").asText())
        .startsWith("HTTP request to host login.c2.badcdn.example");

    // the same capture without a policy: the same dns.log/http.log, no notice.log
    SensorRun plain = SensorRun.run(t, dir.resolve("plain"));
    assertThat(plain.exitCode()).as(plain.stderr()).isZero();
    assertThat(plain.dns()).hasSize(3);
    assertThat(plain.http()).hasSize(4);
    assertThat(Files.exists(dir.resolve("plain/logs/notice.log"))).isFalse();
  }

  static JsonNode at(List<JsonNode> notices, int port) {
    return notices.stream().filter(n -> n.at("/source/port").asInt() == port).findFirst().get();
  }

  static String instant(JsonNode zeekTs) {
    java.math.BigDecimal s = zeekTs.decimalValue();
    long nanos = s.movePointRight(9).longValueExact();
    return java.time.Instant.ofEpochSecond(0, nanos).toString();
  }
}
