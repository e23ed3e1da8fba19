package dev.vigil.sensor.analyzer;

import static dev.vigil.sensor.testutil.TcpConv.ACK;
import static dev.vigil.sensor.testutil.TcpConv.FIN;
import static dev.vigil.sensor.testutil.TcpConv.NONE;
import static dev.vigil.sensor.testutil.TcpConv.PSH;
import static dev.vigil.sensor.testutil.TcpConv.SYN;
import static dev.vigil.sensor.testutil.TcpConv.SYNACK;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.sensor.testutil.SensorRun;
import dev.vigil.sensor.testutil.TcpConv;
import dev.vigil.sensor.testutil.TlsHellos;
import dev.vigil.sensor.testutil.Trace;
import dev.vigil.sensor.testutil.Wrap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and Stratum analysis through the whole pipeline (pcap → CLI → ssl.log and conn.log). */
class TlsAnalysisTest {
  static final String C = "10.1.0.1";
  static final String S = "10.1.0.2";
  static final String CHROME_JA3 = "98487aa16281980e7d1120d399efb6a4";
  static final String CHROME_JA4 = "t13d1516h2_8daaf6152771_d8a2da3f94cd";

  @TempDir Path dir;

  static byte[] serverHello13() {
    return TlsHellos.record(
        22,
        TlsHellos.serverHello(
            0x0303,
            0x1301,
            new int[] {0x002b, 0x0033, 0x0010},
            new byte[][] {{3, 4}, {0, 0x1d, 0, 0}, {0, 3, 2, 'h', '2'}}));
  }

  static TcpConv handshake(Trace t, int cport, int sport) {
    return new TcpConv(t, Wrap.ethernetV4(), C, cport, S, sport)
        .c(10, SYN, NONE)
        .s(10, SYNACK, NONE)
        .c(10, ACK, NONE);
  }

  static void close(TcpConv c) {
    c.c(10, FIN, NONE).s(10, FIN, NONE).c(10, ACK, NONE);
  }

  static final byte[] APP = TlsHellos.record(23, new byte[40]);

  @Test
  void helloFingerprintsInOrderOutOfOrderAndRetried() throws Exception {
    Trace t = new Trace();
    byte[] ch = TlsHellos.chrome().record();
    // 1: whole hello in one segment, full handshake
    TcpConv a = handshake(t, 50001, 443).c(10, PSH, ch).s(10, PSH, serverHello13());
    a.c(10, PSH, TlsHellos.cat(TlsHellos.CHANGE_CIPHER_SPEC, APP)).s(10, PSH, APP);
    close(a);
    // 2: hello in four segments sent out of order, one retransmitted
    TcpConv b = handshake(t, 50002, 443);
    b.cSplit(10, ch, new int[] {60, 150, 220}, 2, 0, 3, 0, 1).s(10, PSH, serverHello13());
    close(b);
    // 3: HelloRetryRequest and a second, different ClientHello: the first one counts
    byte[] hrr =
        TlsHellos.record(
            22, TlsHellos.serverHello(0x0303, 0x1302, new int[] {0x002b}, new byte[][] {{3, 4}}));
    byte[] ch2 = TlsHellos.client().ciphers(0x1301).sni("retry.example").record();
    TcpConv c = handshake(t, 50003, 443).c(10, PSH, ch).s(10, PSH, hrr).c(10, PSH, ch2);
    c.s(10, PSH, serverHello13());
    close(c);
    // 4: on port 80, hello in 100-byte records cut across segment boundaries
    byte[] recs = TlsHellos.records(TlsHellos.chrome().message(), 100);
    TcpConv d = handshake(t, 50004, 80).cSplit(10, recs, new int[] {3, 77, 300}, 0, 1, 2, 3);
    d.s(10, PSH, serverHello13());
    close(d);
    // 5: the ServerHello captured before the ClientHello (capture reordering)
    TcpConv e = handshake(t, 50005, 8443).s(10, PSH, serverHello13()).c(10, PSH, ch);
    close(e);
    // 6: SSLv2-format hello: ssl, no fingerprint
    byte[] v2 = {(byte) 0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10};
    close(handshake(t, 50006, 443).c(10, PSH, v2));
    // 7: not TLS: HTTP, and application data of a capture that starts mid-connection
    close(
        handshake(t, 50007, 443)
            .c(10, PSH, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    TcpConv mid = new TcpConv(t, Wrap.ethernetV4(), C, 50008, S, 443);
    mid.c(10, PSH, APP).c(10, PSH, ch);

    SensorRun run = SensorRun.run(t, dir);
    assertThat(run.exitCode()).as(run.stderr()).isZero();

    JsonNode s1 = run.ssl(50001);
    assertThat(s1.get("version").asText()).isEqualTo("TLSv13");
    assertThat(s1.get("cipher").asText()).isEqualTo("TLS_AES_128_GCM_SHA256");
    assertThat(s1.get("server_name").asText()).isEqualTo("tls.browserleaks.com");
    assertThat(s1.get("next_protocol").asText()).isEqualTo("h2");
    assertThat(s1.get("established").asBoolean()).isTrue();
    assertThat(s1.get("ja3").asText()).isEqualTo(CHROME_JA3);
    assertThat(s1.get("ja4").asText()).isEqualTo(CHROME_JA4);
    assertThat(s1.get("ja3s").asText()).isEqualTo(FingerprintMd5.of("771,4865,43-51-16"));
    assertThat(s1.get("uid").asText()).isEqualTo(run.conn(50001).get("uid").asText());
    assertThat(run.conn(50001).get("service").asText()).isEqualTo("ssl");

    JsonNode s2 = run.ssl(50002);
    assertThat(s2.get("ja3").asText()).isEqualTo(CHROME_JA3);
    assertThat(s2.get("established").asBoolean()).isFalse(); // no client CCS seen

    JsonNode s3 = run.ssl(50003);
    assertThat(s3.get("ja3").asText()).isEqualTo(CHROME_JA3);
    assertThat(s3.get("server_name").asText()).isEqualTo("tls.browserleaks.com");
    assertThat(s3.get("cipher").asText()).isEqualTo("TLS_AES_256_GCM_SHA384"); // from the HRR
    assertThat(s3.get("ja3s").asText()).isEqualTo(FingerprintMd5.of("771,4866,43"));

    assertThat(run.ssl(50004).get("ja4").asText()).isEqualTo(CHROME_JA4);
    assertThat(run.conn(50004).get("service").asText()).isEqualTo("ssl");

    JsonNode s5 = run.ssl(50005);
    assertThat(s5.get("ja3").asText()).isEqualTo(CHROME_JA3);
    assertThat(s5.get("version").asText()).isEqualTo("TLSv13");

    JsonNode s6 = run.ssl(50006);
    assertThat(s6.get("version").asText()).isEqualTo("SSLv2");
    assertThat(s6.has("ja3")).isFalse();
    assertThat(s6.has("ja4")).isFalse();
    assertThat(run.conn(50006).get("service").asText()).isEqualTo("ssl");

    assertThat(run.ssl(50007)).isNull();
    assertThat(run.conn(50007).get("service").asText()).isEqualTo("http"); // HTTP on 443
    assertThat(run.ssl(50008)).isNull();
    assertThat(run.conn(50008).has("service")).isFalse();
    assertThat(run.ssl()).hasSize(6);
    assertThat(run.weird("TLS_bad_hello") + run.weird("TLS_bad_record")).isZero();
  }

  @Test
  void bypassedFlowsAreNotAnalyzed() throws Exception {
    Trace t = new Trace();
    TcpConv a = handshake(t, 51001, 443).c(10, PSH, TlsHellos.chrome().record());
    a.s(10, PSH, serverHello13());
    close(a);
    SensorRun run = SensorRun.run(t, dir, "--bypass-packets", "3");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.ssl()).isEmpty();
    assertThat(run.conn(51001).has("service")).isFalse();
    // the same trace without bypass is TLS: the assertion above is not vacuous
    SensorRun normal = SensorRun.run(t, dir.resolve("normal"));
    assertThat(normal.conn(51001).get("service").asText()).isEqualTo("ssl");
  }

  @Test
  void stratumAndOrdinaryJsonRpc() throws Exception {
    Trace t = new Trace();
    byte[] sub =
        "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"cpuminer/2.5\"]}\n"
            .getBytes(StandardCharsets.US_ASCII);
    // the subscribe line split over two segments, the second first
    TcpConv m = handshake(t, 52001, 3333).cSplit(10, sub, new int[] {20}, 1, 0);
    m.s(
        10,
        PSH,
        "{\"id\":1,\"result\":[[],\"08000002\",4],\"error\":null}\n"
            .getBytes(StandardCharsets.US_ASCII));
    close(m);
    byte[] eth =
        "{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[],\"id\":1}\n"
            .getBytes(StandardCharsets.US_ASCII);
    close(handshake(t, 52002, 8545).c(10, PSH, eth));
    SensorRun run = SensorRun.run(t, dir);
    assertThat(run.conn(52001).get("service").asText()).isEqualTo("stratum");
    assertThat(run.conn(52002).has("service")).isFalse();
    assertThat(run.ssl()).isEmpty();
  }

  @Test
  void mutatedHandshakesThroughThePipelineNeverThrow() {
    java.util.List<Trace.Frame> frames = dev.vigil.sensor.testutil.Scenarios.services().frames();
    int[] sessions = new int[1];
    dev.vigil.sensor.pipeline.Pipeline p =
        new dev.vigil.sensor.pipeline.Pipeline(
            dev.vigil.sensor.flow.FlowConfig.defaults().withMaxFlows(64),
            r -> {},
            0,
            (s, r) -> sessions[0]++);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    long ts = Trace.T0;
    for (int round = 0; round < 3000; round++) {
      for (Trace.Frame f : frames) {
        byte[] b = f.data().clone();
        // mutate only the TCP payload (after Ethernet 14 + IPv4 20 + TCP 20), so it reaches us
        if (b.length > 54 && rnd.nextInt(3) > 0) {
          for (int k = rnd.nextInt(6); k >= 0; k--) {
            b[54 + rnd.nextInt(b.length - 54)] = (byte) rnd.nextInt(256);
          }
        }
        ts += 1000;
        p.onPacket(1, 0, ts, b, 0, b.length, b.length);
      }
      ts += 10_000_000_000L; // closed connections retire before the next round reuses the ports
    }
    p.finish();
    assertThat(sessions[0]).isGreaterThan(100);
    assertThat(p.analyzers().arena().inUse()).isZero();
  }

  /** MD5 hex of a string, computed by the JDK (the JA3S definition applied by hand). */
  static final class FingerprintMd5 {
    static String of(String s) {
      try {
        return java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("MD5")
                    .digest(s.getBytes(StandardCharsets.US_ASCII)));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }
  }
}
