package dev.vigil.sensor.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.sensor.testutil.AnalyzerScenarios;
import dev.vigil.sensor.testutil.SensorRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-computed expectations for the analyzer scenarios (the baselines pin every field; this says
 * what matters and why), including the weirds malformed messages must count.
 */
class AnalyzerLogsTest {

  /**
   * DNS state is pooled, not kept per flow: 1000 UDP flows with a query waiting at once (four times
   * the pool's first size, so it grows), each flow's second query after its first reply (the state
   * went back to the pool and is taken again), and a query still unanswered at the end. Every reply
   * pairs with its own query, every unanswered query is logged once.
   */
  @Test
  void dnsStatesComeFromAPoolThatGrows(@TempDir Path dir) throws Exception {
    dev.vigil.sensor.testutil.Trace t = new dev.vigil.sensor.testutil.Trace();
    dev.vigil.sensor.testutil.Wrap w = dev.vigil.sensor.testutil.Wrap.ethernetV4();
    String c = "10.0.2.1";
    String r = "10.0.2.53";
    int n = 4 * Analyzers.DNS_STATES_INITIAL - 24;
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < n; i++) { // every flow's query first, then every reply
        byte[] q =
            new dev.vigil.sensor.testutil.DnsMsg(
                    round * 4096 + i, dev.vigil.sensor.testutil.DnsMsg.QUERY_RD)
                .question("h" + i + ".r" + round + ".example", 1)
                .bytes();
        t.add(10, w.frame(c, r, 17, dev.vigil.sensor.testutil.Frames.udp(20000 + i, 53, q)));
      }
      if (round == 2) {
        break; // the third round stays unanswered
      }
      for (int i = 0; i < n; i++) {
        dev.vigil.sensor.testutil.DnsMsg a =
            new dev.vigil.sensor.testutil.DnsMsg(
                    round * 4096 + i, dev.vigil.sensor.testutil.DnsMsg.RESPONSE)
                .question("h" + i + ".r" + round + ".example", 1);
        a.answerPtr(12, 1, 60, dev.vigil.sensor.testutil.DnsMsg.a("192.0.2." + (1 + i % 250)));
        t.add(
            10, w.frame(r, c, 17, dev.vigil.sensor.testutil.Frames.udp(53, 20000 + i, a.bytes())));
      }
    }
    SensorRun run = SensorRun.run(t, dir);
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<JsonNode> dns = run.dns();
    assertThat(dns).hasSize(3 * n);
    assertThat(run.weird("dns_unmatched_reply")).isZero();
    for (int i = 0; i < n; i += 97) {
      List<JsonNode> one = SensorRun.byPort(dns, 20000 + i);
      assertThat(one)
          .extracting(d -> d.get("query").asText())
          .containsExactly(
              "h" + i + ".r0.example", "h" + i + ".r1.example", "h" + i + ".r2.example");
      assertThat(texts(one.get(1).get("answers"))).containsExactly("192.0.2." + (1 + i % 250));
      assertThat(one.get(1).has("rtt")).isTrue();
      assertThat(one.get(2).has("rtt")).isFalse();
      assertThat(one.get(0).get("uid").asText()).isEqualTo(run.conn(20000 + i).get("uid").asText());
    }
  }

  @Test
  void dnsTransactionsMatchedByIdWithCompressionAndMalformedRepliesCounted(@TempDir Path dir)
      throws Exception {
    SensorRun run = SensorRun.run(AnalyzerScenarios.dns(), dir);
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<JsonNode> dns = run.dns();

    JsonNode a = one(dns, 40001);
    assertThat(a.get("query").asText()).isEqualTo("www.example.com"); // lower-cased
    assertThat(texts(a.get("answers")))
        .containsExactly("web.example.com", "192.0.2.10", "192.0.2.11");
    assertThat(a.get("rtt").asDouble()).isEqualTo(0.0015);
    assertThat(a.get("qtype_name").asText()).isEqualTo("A");
    assertThat(a.get("RD").asBoolean()).isTrue();
    assertThat(a.get("uid").asText()).isEqualTo(run.conn(40001).get("uid").asText());

    assertThat(texts(one(dns, 40002).get("answers"))).containsExactly("2001:db8::1:0:0:53");
    List<JsonNode> two = SensorRun.byPort(dns, 40003);
    assertThat(two).hasSize(2);
    assertThat(two.get(0).get("qtype_name").asText()).isEqualTo("TXT"); // its reply came first
    assertThat(texts(two.get(1).get("answers"))).containsExactly("mail.example.org");

    JsonNode nx = one(dns, 40004);
    assertThat(nx.get("rcode_name").asText()).isEqualTo("NXDOMAIN");
    assertThat(nx.has("answers")).isFalse();
    assertThat(run.conn(40004).get("service").asText()).isEqualTo("dns"); // port 5300

    assertThat(one(dns, 40005).get("TC").asBoolean()).isTrue();
    JsonNode tcp = one(dns, 40006);
    assertThat(tcp.get("proto").asText()).isEqualTo("tcp");
    assertThat(tcp.get("answers")).hasSize(2);

    JsonNode cut = one(dns, 40007);
    assertThat(cut.has("rcode")).isFalse(); // the cut reply is not a reply
    assertThat(one(dns, 40008).has("rcode")).isFalse();
    assertThat(one(dns, 40009).has("rtt")).isFalse();
    // a reply first: its sender is the connection's originator (the flow table's rule)
    JsonNode late = one(dns, 53);
    assertThat(late.get("id.resp_p").asInt()).isEqualTo(40010);
    assertThat(late.get("AA").asBoolean()).isTrue();
    assertThat(late.has("rtt")).isFalse();
    assertThat(SensorRun.byPort(dns, 40011)).isEmpty();
    assertThat(run.conn(40011).has("service")).isFalse();

    assertThat(run.weird("DNS_truncated_msg")).isEqualTo(1);
    assertThat(run.weird("DNS_label_forward_compress_offset")).isEqualTo(1);
    assertThat(run.weird("dns_unmatched_reply")).isEqualTo(1);
    assertThat(dns).hasSize(11);
  }

  @Test
  void httpTransactionsPipelinedChunkedAndPastThePrefix(@TempDir Path dir) throws Exception {
    SensorRun run = SensorRun.run(AnalyzerScenarios.http(), dir);
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<JsonNode> http = run.http();

    JsonNode get = one(http, 41001);
    assertThat(get.get("host").asText()).isEqualTo("www.example.com"); // port removed, as Zeek
    assertThat(get.get("uri").asText()).isEqualTo("/index.html?q=1");
    assertThat(get.get("referrer").asText()).isEqualTo("http://ref.example/");
    assertThat(get.get("user_agent").asText()).isEqualTo("curl/8.0");
    assertThat(get.get("response_body_len").asLong()).isEqualTo(12);
    assertThat(one(http, 41002).get("request_body_len").asLong()).isEqualTo(27);

    List<JsonNode> pipelined = SensorRun.byPort(http, 41003);
    assertThat(pipelined).extracting(n -> n.get("uri").asText()).containsExactly("/a", "/b", "/c");
    assertThat(pipelined)
        .extracting(n -> n.get("status_code").asInt())
        .containsExactly(200, 404, 200);
    assertThat(pipelined).extracting(n -> n.get("trans_depth").asInt()).containsExactly(1, 2, 3);
    assertThat(pipelined)
        .extracting(n -> n.get("response_body_len").asInt())
        .containsExactly(1, 2, 3);

    List<JsonNode> mixed = SensorRun.byPort(http, 41004);
    assertThat(mixed).extracting(n -> n.get("status_code").asInt()).containsExactly(304, 200, 200);
    assertThat(mixed.get(1).get("response_body_len").asLong()).isZero(); // HEAD
    assertThat(mixed.get(2).get("response_body_len").asLong()).isEqualTo(5 + 26); // chunks

    JsonNode put = one(http, 41005);
    assertThat(put.get("status_code").asInt()).isEqualTo(204); // not the 100 Continue
    assertThat(put.get("request_body_len").asLong()).isEqualTo(10);

    List<JsonNode> big = SensorRun.byPort(http, 41006);
    assertThat(big.get(0).get("response_body_len").asLong()).isEqualTo(20000);
    assertThat(big.get(1).get("uri").asText()).isEqualTo("/second");
    assertThat(big.get(1).get("response_body_len").asLong()).isEqualTo(13); // up to the close
    assertThat(run.conn(41006).get("service").asText()).isEqualTo("http"); // on port 22

    assertThat(SensorRun.byPort(http, 41007)).isEmpty();
    assertThat(run.conn(41007).has("service")).isFalse();
    assertThat(run.weird("HTTP_content_gap") + run.weird("bad_HTTP_reply")).isZero();
  }

  @Test
  void tlsAfterStarttlsConnectAndSocksIsFingerprinted(@TempDir Path dir) throws Exception {
    SensorRun run = SensorRun.run(AnalyzerScenarios.tlsTunnels(), dir);
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    int[] ports = {42001, 42002, 42003, 42004, 42005, 42006, 42007};
    String[] services = {
      "smtp,ssl", "imap,ssl", "pop3,ssl", "ftp,ssl", "http,ssl", "socks,ssl", "socks,ssl"
    };
    for (int i = 0; i < ports.length; i++) {
      JsonNode s = run.ssl(ports[i]);
      assertThat(s).as("ssl.log for %d", ports[i]).isNotNull();
      assertThat(s.get("ja3").asText()).isEqualTo(TlsAnalysisTest.CHROME_JA3);
      assertThat(s.get("ja4").asText()).isEqualTo(TlsAnalysisTest.CHROME_JA4);
      assertThat(s.get("server_name").asText()).isEqualTo("tls.browserleaks.com");
      assertThat(s.get("version").asText()).as("ServerHello after the offset").isEqualTo("TLSv13");
      assertThat(run.conn(ports[i]).get("service").asText()).isEqualTo(services[i]);
    }
    assertThat(run.ssl(42001).get("established").asBoolean()).isTrue();
    assertThat(run.ssl(42008)).isNull(); // STARTTLS refused: plain SMTP
    assertThat(run.conn(42008).get("service").asText()).isEqualTo("smtp");
    assertThat(run.ssl(42009)).isNull(); // CONNECT refused
    assertThat(one(run.http(), 42009).get("status_code").asInt()).isEqualTo(407);
    assertThat(one(run.http(), 42005).get("method").asText()).isEqualTo("CONNECT");
    assertThat(run.weird("TLS_bad_record") + run.weird("TLS_bad_hello")).isZero();
  }

  @Test
  void getworkOverHttpIsMiningButOtherJsonRpcIsNot(@TempDir Path dir) throws Exception {
    SensorRun run = SensorRun.run(AnalyzerScenarios.getwork(), dir);
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    for (int p : new int[] {43001, 43002, 43003}) {
      assertThat(run.conn(p).get("service").asText()).as("port %d", p).isEqualTo("getwork");
    }
    for (int p : new int[] {43004, 43005, 43006}) {
      assertThat(run.conn(p).get("service").asText()).as("port %d", p).isEqualTo("http");
    }
    assertThat(run.http()).hasSize(6);
  }

  static JsonNode one(List<JsonNode> log, int origPort) {
    List<JsonNode> l = SensorRun.byPort(log, origPort);
    assertThat(l).as("lines for orig_p %d", origPort).hasSize(1);
    return l.get(0);
  }

  static List<String> texts(JsonNode array) {
    List<String> l = new ArrayList<>();
    array.forEach(n -> l.add(n.asText()));
    return l;
  }
}
