package dev.vigil.sensor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.sensor.analyzer.AnalyzerSinks;
import dev.vigil.sensor.flow.FlowConfig;
import dev.vigil.sensor.log.ConnLogWriter;
import dev.vigil.sensor.log.DnsLogWriter;
import dev.vigil.sensor.log.HttpLogWriter;
import dev.vigil.sensor.log.SslLogWriter;
import dev.vigil.sensor.testutil.Frames;
import dev.vigil.sensor.testutil.TcpConv;
import dev.vigil.sensor.testutil.Trace;
import dev.vigil.sensor.testutil.Wrap;
import java.io.IOException;
import java.io.StringWriter;

/**
 * Jazzer target: the content analyzers as the sensor runs them. One connection, TCP or UDP, on a
 * port chosen by the input (TLS, HTTP, SMTP, SOCKS, Stratum, DNS or none), whose payloads in both
 * directions, with gaps and retransmissions, come from the input; through the whole {@link
 * Pipeline} (decoder, flow table, {@code Analyzers}: TLS, STARTTLS, CONNECT, SOCKS5, DNS, HTTP,
 * Stratum, getwork) into the real conn/ssl/dns/http log writers (README "Fuzzing"). Properties:
 * nothing throws; the connection is reported exactly once (not at all without packets); every log
 * line is one JSON object. Regression inputs: {@code
 * src/test/resources/dev/vigil/sensor/pipeline/PipelineFuzzTestInputs/}.
 */
class PipelineFuzzTest {
  static final int[] PORTS = {443, 80, 25, 1080, 3333, 53, 8080, 5555};
  static final ObjectMapper JSON = new ObjectMapper();

  @FuzzTest(maxDuration = "20s")
  void connection(FuzzedDataProvider data) throws IOException {
    int port = PORTS[data.consumeInt(0, PORTS.length - 1)];
    boolean udp = data.consumeBoolean();
    Trace trace = new Trace();
    Wrap wrap = Wrap.ethernetV4();
    TcpConv tcp = new TcpConv(trace, wrap, "10.1.0.1", 40000, "10.1.0.2", port);
    if (!udp) {
      tcp.c(10, TcpConv.SYN, TcpConv.NONE).s(10, TcpConv.SYNACK, TcpConv.NONE);
    }
    int segments = 0;
    while (data.remainingBytes() > 0 && segments++ < 32) {
      boolean server = data.consumeBoolean();
      int how = data.consumeInt(0, 7);
      byte[] payload = data.consumeBytes(data.consumeInt(0, 1400));
      if (udp) {
        byte[] l4 = server ? Frames.udp(port, 40000, payload) : Frames.udp(40000, port, payload);
        trace.add(
            10,
            wrap.frame(server ? "10.1.0.2" : "10.1.0.1", server ? "10.1.0.1" : "10.1.0.2", 17, l4));
      } else if (server) {
        tcp.s(10, TcpConv.PSH, payload);
      } else if (how == 6 && payload.length > 0) {
        tcp.cSkip(10, 1 + payload[0] % 200 + 200, payload); // a gap
      } else if (how == 7 && payload.length > 0) {
        tcp.c(10, TcpConv.PSH, payload).cRetransmit(10, payload);
      } else {
        tcp.c(10, TcpConv.PSH, payload);
      }
    }
    if (!udp) {
      tcp.c(10, TcpConv.FIN, TcpConv.NONE).s(10, TcpConv.FIN, TcpConv.NONE);
    }
    StringWriter conn = new StringWriter();
    StringWriter ssl = new StringWriter();
    StringWriter dns = new StringWriter();
    StringWriter http = new StringWriter();
    ConnLogWriter connLog = new ConnLogWriter(conn, 1);
    SslLogWriter sslLog = new SslLogWriter(ssl, 1);
    DnsLogWriter dnsLog = new DnsLogWriter(dns, 1);
    HttpLogWriter httpLog = new HttpLogWriter(http, 1);
    Pipeline pipeline =
        new Pipeline(
            FlowConfig.defaults().withMaxFlows(16),
            connLog,
            0,
            new AnalyzerSinks(sslLog, dnsLog, httpLog));
    for (Trace.Frame f : trace.frames()) {
      pipeline.onPacket(
          f.linkType(), f.ifIndex(), f.tsNanos(), f.data(), 0, f.data().length, f.wireLen());
    }
    pipeline.finish();
    connLog.close();
    sslLog.close();
    dnsLog.close();
    httpLog.close();
    // one connection, or none when the input made no packet at all (UDP without a datagram)
    assertThat(conn.toString().lines()).as("conn.log").hasSize(trace.frames().isEmpty() ? 0 : 1);
    for (StringWriter log : new StringWriter[] {conn, ssl, dns, http}) {
      log.toString()
          .lines()
          .forEach(l -> assertThat(readObject(l)).as("not one JSON object: %s", l).isTrue());
    }
  }

  private static boolean readObject(String line) {
    try {
      return JSON.readTree(line).isObject();
    } catch (IOException e) {
      return false;
    }
  }
}
