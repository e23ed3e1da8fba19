package dev.vigil.sensor.detect;

import static dev.vigil.sensor.testutil.TcpConv.ACK;
import static dev.vigil.sensor.testutil.TcpConv.FIN;
import static dev.vigil.sensor.testutil.TcpConv.NONE;
import static dev.vigil.sensor.testutil.TcpConv.PSH;
import static dev.vigil.sensor.testutil.TcpConv.SYN;
import static dev.vigil.sensor.testutil.TcpConv.SYNACK;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.sensor.testutil.SensorRun;
import dev.vigil.sensor.testutil.TcpConv;
import dev.vigil.sensor.testutil.TlsHellos;
import dev.vigil.sensor.testutil.Trace;
import dev.vigil.sensor.testutil.Wrap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole sensor (CLI, pcap reader, decoder, flow table, analyzers, detectors, notice.log) on a
 * capture the test writes, with a policy directory in the operator's rendering: each detector fires
 * on the connection meant for it and on no other; a suppressed finding and a shadow policy's
 * finding are counted, not written.
 */
public class NoticeLogEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final byte[] SERVER_HELLO =
      TlsHellos.record(
          22, TlsHellos.serverHello(0x0303, 0x1301, new int[] {0x002b}, new byte[][] {{3, 4}}));

  @TempDir Path dir;

  static TcpConv open(Trace t, String c, int cport, String s, int sport) {
    return new TcpConv(t, Wrap.ethernetV4(), c, cport, s, sport)
        .c(10, SYN, NONE)
        .s(10, SYNACK, NONE)
        .c(10, ACK, NONE);
  }

  static void close(TcpConv c) {
    c.c(10, FIN, NONE).s(10, FIN, NONE).c(10, ACK, NONE);
  }

  /** A Stratum miner's first lines: subscribe, the pool's answer. */
  static void minerSubscribes(TcpConv m) {
    m.c(
        10,
        PSH,
        ascii("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"cpuminer/2.5\"]}\n"));
    m.s(10, PSH, ascii("{\"id\":1,\"result\":[[],\"08000002\",4],\"error\":null}\n"));
  }

  /** A Stratum miner's first lines and its login: subscribe, the pool's answer, authorize. */
  static void minerLogsIn(TcpConv m) {
    minerSubscribes(m);
    m.c(
        10,
        PSH,
        ascii(
            "{\"params\":[\"bc1qminer.rig7\",\"x\"],\"id\":2,\"method\":\"mining.authorize\"}\n"));
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  public static Trace trace() {
    Trace t = new Trace();
    // 1 TLS client with a blocklisted JA3 (chrome-like hello of the test generator)
    TcpConv tls = open(t, "192.0.2.50", 51000, "192.0.2.60", 443);
    tls.c(10, PSH, TlsHellos.chrome().record()).s(10, PSH, SERVER_HELLO);
    tls.c(10, PSH, TlsHellos.CHANGE_CIPHER_SPEC);
    close(tls);
    // 2 Stratum miner: subscribe, pool answers, authorize with its worker login
    TcpConv m = open(t, "192.0.2.51", 52001, "192.0.2.99", 3333);
    minerLogsIn(m);
    m.s(10, PSH, ascii("{\"id\":2,\"result\":true,\"error\":null}\n"));
    close(m);
    // 3 a host on a trail (IP)
    new TcpConv(t, Wrap.ethernetV4(), "192.0.2.52", 53000, "203.0.113.45", 80)
        .fullExchange(200, 900);
    // 4 connect-back from an internal node
    new TcpConv(t, Wrap.ethernetV4(), "10.1.2.3", 54000, "198.51.100.9", 4444)
        .fullExchange(100, 100);
    // 5 connect-back to the licence server: suppressed by the policy
    new TcpConv(t, Wrap.ethernetV4(), "10.20.1.1", 55000, "198.51.100.10", 27000)
        .fullExchange(100, 100);
    // 6 a trail only a shadow policy lists: counted, not written
    new TcpConv(t, Wrap.ethernetV4(), "192.0.2.53", 56000, "203.0.113.200", 443)
        .fullExchange(100, 100);
    // 7 ordinary JSON-RPC to an Ethereum node: nothing
    TcpConv eth = open(t, "192.0.2.54", 57000, "192.0.2.98", 8545);
    eth.c(
        10,
        PSH,
        ascii("{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[],\"id\":1}\n"));
    eth.s(10, PSH, ascii("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x10d4f\"}\n"));
    close(eth);
    return t;
  }

  public static String enforce(String ja3) {
    return """
        {"schema":1,"name":"site-baseline","namespace":"vigil-system","generation":3,
         "spec":{"mode":"enforce",
           "tls":{"ja3":[{"value":"%s","name":"Cobalt Strike beacon","severity":"critical"}]},
           "stratum":{"enabled":true,"severity":"high"},
           "connectBack":{"enabled":true,"internalNetworks":["10.0.0.0/8"],
                          "allowedDestinations":["192.0.2.0/24"],"severity":"high"},
           "suppressions":[{"match":{"detector":"connect-back","source":"10.20.0.0/16",
                                     "destination":"198.51.100.10/32"},
                            "reason":"licence server (SEC-1182)",
                            "expires":"2099-06-30T00:00:00Z"}]},
         "trails":[{"type":"ip","value":"203.0.113.45","info":"xmrig",
                    "source":"maltrail-static/xmrig.txt","severity":"high"},
                   {"type":"domain","value":"pool.minexmr.example","info":"xmrig",
                    "source":"maltrail-static/xmrig.txt","severity":"high"}]}
        """
        .formatted(ja3);
  }

  static final String SHADOW =
      """
      {"schema":1,"name":"trial","namespace":"vigil-system","generation":1,
       "spec":{"mode":"shadow","stratum":{"enabled":false},"connectBack":{"enabled":false}},
       "trails":[{"type":"ip","value":"203.0.113.200","info":"new feed","source":"inline"}]}
      """;

  static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String l : Files.readAllLines(file)) {
      if (!l.isBlank()) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }

  @Test
  void eachDetectorFiresOnItsConnectionOnly() throws Exception {
    Trace t = trace();
    // The generator's JA3 as the sensor computes it (checked against tshark in TlsJa3TsharkIT).
    SensorRun plain = SensorRun.run(t, dir.resolve("plain"));
    assertThat(plain.exitCode()).as(plain.stderr()).isZero();
    String ja3 = plain.ssl(51000).get("ja3").asText();
    assertThat(Files.exists(dir.resolve("plain/logs/notice.log"))).isFalse();

    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("site-baseline.json"), enforce(ja3));
    Files.writeString(policies.resolve("trial.json"), SHADOW);
    SensorRun run =
        SensorRun.run(
            t, dir.resolve("run"), "--policy-dir", policies.toString(), "--sensor-name", "tap-1");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stderr())
        .contains(
            "2 detector policies from " + policies,
            "vigil-system/site-baseline@3",
            "vigil-system/trial@1",
            "detections: 4 alert(s) in notice.log, 1 would-be alert(s) of shadow policies (not"
                + " emitted), 1 suppressed");

    List<JsonNode> notices = lines(dir.resolve("run/logs/notice.log"));
    assertThat(notices)
        .extracting(n -> n.at("/rule/name").asText())
        .containsExactlyInAnyOrder(
            "TlsBlocklist", "StratumMining", "ThreatIntelTrail", "ConnectBack");
    for (JsonNode n : notices) {
      assertThat(n.at("/event/kind").asText()).isEqualTo("alert");
      assertThat(n.at("/event/dataset").asText()).isEqualTo("vigil.sensor");
      assertThat(n.at("/observer/name").asText()).isEqualTo("tap-1");
      assertThat(n.at("/network/community_id").asText()).startsWith("1:");
      assertThat(n.at("/vigil/dedup_key").asText()).hasSize(32);
      // zeek.session_id is the conn.log uid of the connection it is about
      int port = n.at("/source/port").asInt();
      assertThat(n.at("/zeek/session_id").asText()).isEqualTo(run.conn(port).get("uid").asText());
    }
    JsonNode tls = by(notices, "TlsBlocklist");
    assertThat(tls.at("/tls/client/ja3").asText()).isEqualTo(ja3);
    assertThat(tls.at("/tls/client/ja4").asText()).isEqualTo(run.ssl(51000).get("ja4").asText());
    assertThat(tls.at("/event/severity").asInt()).isEqualTo(99);
    assertThat(tls.at("/source/ip").asText()).isEqualTo("192.0.2.50");
    assertThat(tls.at("/threat/indicator/description").asText())
        .isEqualTo("Cobalt Strike beacon (JA3)");
    assertThat(tls.at("/vigil/evidence/server_name").asText()).isEqualTo("tls.browserleaks.com");

    JsonNode st = by(notices, "StratumMining");
    assertThat(st.at("/destination/ip").asText()).isEqualTo("192.0.2.99");
    assertThat(st.at("/destination/port").asInt()).isEqualTo(3333);
    assertThat(st.at("/vigil/evidence/stratum.login").asText()).isEqualTo("bc1qminer.rig7");
    assertThat(st.at("/vigil/evidence/stratum.agent").asText()).isEqualTo("cpuminer/2.5");
    assertThat(st.at("/message").asText())
        .isEqualTo(
            "Stratum mining from 192.0.2.51 to pool 192.0.2.99:3333 as bc1qminer.rig7,"
                + " agent cpuminer/2.5");
    assertThat(run.conn(52001).get("service").asText()).isEqualTo("stratum");

    JsonNode trail = by(notices, "ThreatIntelTrail");
    assertThat(trail.at("/destination/ip").asText()).isEqualTo("203.0.113.45");
    assertThat(trail.at("/threat/indicator/value").asText()).isEqualTo("203.0.113.45");
    assertThat(trail.at("/threat/indicator/type").asText()).isEqualTo("ipv4-addr");
    assertThat(trail.at("/threat/indicator/description").asText()).isEqualTo("xmrig");

    JsonNode cb = by(notices, "ConnectBack");
    assertThat(cb.at("/source/ip").asText()).isEqualTo("10.1.2.3");
    assertThat(cb.at("/destination/ip").asText()).isEqualTo("198.51.100.9");
    assertThat(cb.at("/event/severity").asInt()).isEqualTo(73);

    // absent: the suppressed licence check, the shadow trail, the JSON-RPC call
    for (JsonNode n : notices) {
      assertThat(n.at("/destination/ip").asText())
          .isNotIn("198.51.100.10", "203.0.113.200", "192.0.2.98");
    }
    JsonNode detections = statsLine(dir.resolve("run/logs/sensor_stats.log"));
    assertThat(detections.at("/detections/trail/alerts").asLong()).isEqualTo(1);
    assertThat(detections.at("/detections/trail/shadow").asLong()).isEqualTo(1);
    assertThat(detections.at("/detections/connect-back/alerts").asLong()).isEqualTo(1);
    assertThat(detections.at("/detections/connect-back/suppressed").asLong()).isEqualTo(1);
    assertThat(detections.at("/detections/stratum/alerts").asLong()).isEqualTo(1);
    assertThat(detections.at("/detections/tls-blocklist/alerts").asLong()).isEqualTo(1);

    // the same capture read again: the same alerts, byte for byte (dedup keys, uids, times)
    SensorRun again =
        SensorRun.run(
            t, dir.resolve("again"), "--policy-dir", policies.toString(), "--sensor-name", "tap-1");
    assertThat(again.exitCode()).isZero();
    assertThat(Files.readString(dir.resolve("again/logs/notice.log")))
        .isEqualTo(Files.readString(dir.resolve("run/logs/notice.log")));
  }

  @Test
  void shadowOnlyPolicyEmitsNothingButCountsEverything() throws Exception {
    Trace t = trace();
    SensorRun plain = SensorRun.run(t, dir.resolve("plain"));
    String ja3 = plain.ssl(51000).get("ja3").asText();
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(
        policies.resolve("site-baseline.json"),
        enforce(ja3).replace("\"mode\":\"enforce\"", "\"mode\":\"shadow\""));
    SensorRun run = SensorRun.run(t, dir.resolve("run"), "--policy-dir", policies.toString());
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(Files.exists(dir.resolve("run/logs/notice.log"))).isFalse();
    JsonNode d = statsLine(dir.resolve("run/logs/sensor_stats.log"));
    assertThat(d.at("/detections/tls-blocklist/shadow").asLong()).isEqualTo(1);
    assertThat(d.at("/detections/stratum/shadow").asLong()).isEqualTo(1);
    assertThat(d.at("/detections/trail/shadow").asLong()).isEqualTo(1);
    assertThat(d.at("/detections/connect-back/shadow").asLong()).isEqualTo(1);
    assertThat(d.at("/detections/connect-back/suppressed").asLong()).isEqualTo(1);
    assertThat(run.stderr()).contains("detections: 0 alert(s) in notice.log, 4 would-be alert(s)");
  }

  @Test
  void singlePolicyFileWorksLikeADirectory() throws Exception {
    Trace t = trace();
    Path file = dir.resolve("one.json");
    Files.writeString(file, enforce("0".repeat(32)));
    SensorRun run = SensorRun.run(t, dir.resolve("run"), "--policy", file.toString());
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(lines(dir.resolve("run/logs/notice.log")))
        .extracting(n -> n.at("/rule/name").asText())
        .containsExactlyInAnyOrder("StratumMining", "ThreatIntelTrail", "ConnectBack");
  }

  @Test
  void malformedPolicyIsRefusedNamingFileAndReason() throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("good.json"), SHADOW);
    Files.writeString(
        policies.resolve("bad.json"),
        SHADOW.replace("\"mode\":\"shadow\"", "\"mode\":\"loud\"").replace("trial", "bad"));
    SensorRun run = SensorRun.run(trace(), dir.resolve("run"), "--policy-dir", policies.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr())
        .contains("policy not loaded", "bad.json: spec.mode must be enforce or shadow")
        .doesNotContain("good.json:");
  }

  static JsonNode by(List<JsonNode> notices, String rule) {
    return notices.stream()
        .filter(n -> n.at("/rule/name").asText().equals(rule))
        .findFirst()
        .orElseThrow();
  }

  static JsonNode statsLine(Path stats) throws IOException {
    for (JsonNode n : lines(stats)) {
      if (n.has("detections")) {
        return n;
      }
    }
    throw new AssertionError("no detections line in " + Files.readString(stats));
  }
}
