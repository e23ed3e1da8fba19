package dev.vigil.sensor.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.common.policy.CidrSet;
import dev.vigil.common.policy.PolicyDirectory;
import dev.vigil.common.schema.Alert;
import dev.vigil.sensor.analyzer.SslSession;
import dev.vigil.sensor.analyzer.StratumSession;
import dev.vigil.sensor.flow.ConnRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The detectors on facts handed in directly: no capture, no files but the policy text. */
class DetectionTest {
  static final long T = 1_700_000_000_000_000_000L;
  static final String JA3_BAD = "72a589da586844d7f0818ce684948eea";
  static final String JA4_BAD = "t13d190900_9dc949149365_97f8aa674fd9";
  static final String JA3S_BAD = "b742b407517bac9536a77a7b0fee28e9";

  record Out(Alert alert, JsonNode json) {}

  final List<Out> alerts = new ArrayList<>();
  final DetectionStats stats = new DetectionStats();

  static String policy(String name, String mode, String specExtra, String trails) {
    return """
        {"schema":1,"name":"%s","namespace":"sec","generation":4,
         "spec":{"mode":"%s"%s},
         "trails":[%s]}
        """
        .formatted(name, mode, specExtra.isEmpty() ? "" : "," + specExtra, trails);
  }

  static final String SITE =
      policy(
          "site",
          "enforce",
          """
          "tls":{"ja3":[{"value":"%s","name":"Cobalt Strike beacon","severity":"critical"}],
                 "ja3s":[{"value":"%s","name":"CS team server"}],
                 "ja4":[{"value":"%s","name":"Sliver","severity":"medium"}]},
          "stratum":{"enabled":true,"severity":"high"},
          "connectBack":{"enabled":true,"internalNetworks":["10.0.0.0/8","2001:db8:100::/40"],
                         "allowedDestinations":["192.0.2.0/24"],"severity":"high"},
          "suppressions":[
            {"match":{"detector":"connect-back","source":"10.20.0.0/16","destination":"198.51.100.10/32"},
             "reason":"licence server SEC-1","expires":"2099-01-01T00:00:00Z"},
            {"match":{"detector":"connect-back","destination":"198.51.100.11/32"},
             "reason":"expired","expires":"2001-01-01T00:00:00Z"},
            {"match":{"fingerprint":"%s"},"reason":"lab","expires":"2099-01-01T00:00:00Z"}]
          """
              .formatted(JA3_BAD, JA3S_BAD, JA4_BAD, JA4_BAD),
          """
          {"type":"ip","value":"203.0.113.45","info":"xmrig","source":"maltrail/xmrig.txt","severity":"high"},
          {"type":"cidr","value":"203.0.113.0/28","info":"scanning botnet","source":"inline"},
          {"type":"ip","value":"2001:db8:dead::beef","info":"ssh brute-forcer","severity":"medium"},
          {"type":"ip_port","value":"198.51.100.77:4444","info":"c2 port"},
          {"type":"domain","value":"badcdn.example","info":"phishing kit C2","severity":"critical"},
          {"type":"url","value":"http://payload.example/x86_64","info":"miner dropper"}
          """);

  Detection detection(Map<String, String> files) throws Exception {
    Map<String, byte[]> m = new TreeMap<>();
    files.forEach((k, v) -> m.put(k, v.getBytes(StandardCharsets.UTF_8)));
    PolicyDirectory.Loaded l =
        PolicyDirectory.load(
            new PolicyDirectory.Snapshot(Path.of("policies"), m, PolicyDirectory.fingerprint(m)));
    SensorPolicy p = SensorPolicy.compile(l, CidrSet.parse(List.of("192.168.0.0/16")));
    return new Detection(
        64,
        () -> p,
        (Alert a, ObjectNode j) -> alerts.add(new Out(a, j)),
        stats,
        42,
        "border-1-tap",
        "border-1");
  }

  static ConnRecord conn(String orig, int oport, String resp, int rport, int proto) {
    ConnRecord r = new ConnRecord();
    long[] o = dev.vigil.common.policy.Cidr.hiLo(orig);
    long[] s = dev.vigil.common.policy.Cidr.hiLo(resp);
    r.origHi = o[0];
    r.origLo = o[1];
    r.respHi = s[0];
    r.respLo = s[1];
    r.origPort = oport;
    r.respPort = rport;
    r.proto = proto;
    r.startNanos = T;
    r.uidSeq = oport;
    r.ipVersion = orig.contains(":") ? 6 : 4;
    return r;
  }

  static SslSession tls(String ja3, String ja4, String ja3s, String sni) {
    SslSession s = new SslSession();
    s.tsNanos = T + 5_000;
    s.ja3 = ja3;
    s.ja4 = ja4;
    s.ja3s = ja3s;
    s.serverName = sni;
    return s;
  }

  /** One connection's facts in the order the analyzers hand them over, then its end. */
  static void facts(
      Detection d, int flow, ConnRecord c, SslSession ssl, StratumSession m, boolean retiring) {
    d.onConnection(flow, c);
    if (ssl != null) {
      d.onClientHello(flow, c, ssl);
      if (ssl.ja3s != null) {
        d.onServerHello(flow, c, ssl);
      }
    }
    if (m != null) {
      d.onStratum(flow, c, m);
    }
    if (retiring) {
      d.onRetire(flow);
    }
  }

  List<String> rules() {
    return alerts.stream().map(o -> o.alert().ruleName()).toList();
  }

  @Test
  void blocklistedJa3AndJa3sAlertWithTheirSeverityAndTheFlow() throws Exception {
    Detection d = detection(Map.of("site.json", SITE));
    facts(
        d,
        0,
        conn("192.0.2.50", 40000, "192.0.2.60", 443, 6),
        tls(JA3_BAD, "t13d1516h2_8daaf6152771_b186095e22b6", JA3S_BAD, "www.example.org"),
        null,
        true);
    assertThat(alerts).hasSize(2);
    Alert a = alerts.get(0).alert();
    assertThat(a.ruleName()).isEqualTo("TlsBlocklist");
    assertThat(a.severity()).isEqualTo(99);
    assertThat(a.ja3()).isEqualTo(JA3_BAD);
    assertThat(a.ja4()).isEqualTo("t13d1516h2_8daaf6152771_b186095e22b6");
    assertThat(a.indicatorValue()).isEqualTo(JA3_BAD);
    assertThat(a.indicatorDescription()).isEqualTo("Cobalt Strike beacon (JA3)");
    assertThat(a.sourceIp()).isEqualTo("192.0.2.50");
    assertThat(a.destinationPort()).isEqualTo(443);
    assertThat(a.transport()).isEqualTo("tcp");
    assertThat(a.communityId()).startsWith("1:");
    assertThat(a.zeekUid()).isEqualTo(dev.vigil.sensor.flow.Uids.uid(42, 40000));
    assertThat(a.observerName()).isEqualTo("border-1-tap");
    assertThat(a.observerInterface()).isEqualTo("border-1");
    assertThat(a.timestamp()).isEqualTo(java.time.Instant.ofEpochSecond(0, T + 5_000));
    JsonNode j = alerts.get(0).json();
    assertThat(j.at("/event/kind").asText()).isEqualTo("alert");
    assertThat(j.at("/event/dataset").asText()).isEqualTo("vigil.sensor");
    assertThat(j.at("/vigil/dedup_key").asText()).isEqualTo(a.dedupKey());
    assertThat(j.at("/vigil/evidence/server_name").asText()).isEqualTo("www.example.org");
    assertThat(alerts.get(1).alert().indicatorValue()).isEqualTo(JA3S_BAD);
    assertThat(alerts.get(1).alert().severity()).isEqualTo(73); // default high
    assertThat(stats.get("tls-blocklist", "alerts")).isEqualTo(2);
  }

  @Test
  void suppressedFingerprintIsCountedNotEmitted() throws Exception {
    Detection d = detection(Map.of("site.json", SITE));
    facts(
        d,
        0,
        conn("192.0.2.50", 40001, "192.0.2.60", 443, 6),
        tls("0".repeat(32), JA4_BAD, null, null),
        null,
        true);
    assertThat(alerts).isEmpty();
    assertThat(stats.get("tls-blocklist", "suppressed")).isEqualTo(1);
  }

  @Test
  void stratumAlertNamesPoolAndLogin() throws Exception {
    Detection d = detection(Map.of("site.json", SITE));
    StratumSession m = new StratumSession();
    m.method = "mining.subscribe";
    m.login = "bc1qminer.rig7";
    m.agent = "cpuminer/2.5";
    m.minerIsOrig = true;
    m.tsNanos = T + 9_000;
    facts(d, 3, conn("192.0.2.51", 50000, "192.0.2.99", 3333, 6), null, m, true);
    assertThat(alerts)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.alert().ruleName()).isEqualTo("StratumMining");
              assertThat(o.alert().severity()).isEqualTo(73);
              assertThat(o.alert().destinationIp()).isEqualTo("192.0.2.99");
              assertThat(o.alert().message())
                  .isEqualTo(
                      "Stratum mining from 192.0.2.51 to pool 192.0.2.99:3333 as bc1qminer.rig7,"
                          + " agent cpuminer/2.5");
              assertThat(o.json().at("/vigil/evidence/stratum.login").asText())
                  .isEqualTo("bc1qminer.rig7");
              assertThat(o.json().at("/vigil/evidence/stratum.pool").asText())
                  .isEqualTo("192.0.2.99:3333");
            });
  }

  @Test
  void stratumDisabledByPolicyIsSilent() throws Exception {
    Detection d =
        detection(Map.of("p.json", policy("p", "enforce", "\"stratum\":{\"enabled\":false}", "")));
    StratumSession m = new StratumSession();
    m.method = "login";
    facts(d, 3, conn("192.0.2.51", 50000, "192.0.2.99", 3333, 6), null, m, true);
    assertThat(alerts).isEmpty();
  }

  @Test
  void trailsMatchAddressesOnBothSidesAndPorts() throws Exception {
    Detection d = detection(Map.of("site.json", SITE));
    facts(d, 0, conn("192.0.2.1", 1000, "203.0.113.45", 443, 6), null, null, true);
    facts(d, 1, conn("203.0.113.9", 2000, "192.0.2.1", 22, 6), null, null, true); // inbound, CIDR
    facts(d, 2, conn("2001:db8::1", 3000, "2001:db8:dead::beef", 22, 6), null, null, true);
    facts(d, 3, conn("192.0.2.1", 4000, "198.51.100.77", 4444, 6), null, null, true);
    facts(
        d, 4, conn("192.0.2.1", 4001, "198.51.100.77", 4445, 6), null, null, true); // port differs
    facts(d, 5, conn("192.0.2.1", 4002, "203.0.113.16", 443, 6), null, null, true); // outside /28
    assertThat(alerts)
        .extracting(o -> o.alert().indicatorValue(), o -> o.alert().indicatorType())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("203.0.113.45", "ipv4-addr"),
            org.assertj.core.groups.Tuple.tuple("203.0.113.0/28", "ipv4-addr"),
            org.assertj.core.groups.Tuple.tuple("2001:db8:dead::beef", "ipv6-addr"),
            org.assertj.core.groups.Tuple.tuple("198.51.100.77:4444", "ipv4-addr"));
    assertThat(alerts.get(0).alert().indicatorDescription()).isEqualTo("xmrig");
    assertThat(alerts.get(1).alert().message()).contains("connection source 203.0.113.9");
    assertThat(alerts.get(2).alert().severity()).isEqualTo(47);
  }

  @Test
  void domainTrailsMatchSubdomainsInSniDnsAndHttp() throws Exception {
    Detection d = detection(Map.of("site.json", SITE));
    facts(
        d,
        0,
        conn("192.0.2.1", 1000, "192.0.2.2", 443, 6),
        tls(null, null, null, "Login.BadCDN.example"),
        null,
        true);
    FlowContext dns = FlowContext.of(T, "Cdns1", "192.0.2.1", 5353, "192.0.2.53", 53, 17);
    d.onDnsQuery(dns, "x.y.badcdn.example.", List.of("192.0.2.80"));
    d.onDnsQuery(dns, "innocent.example", List.of("cdn.badcdn.example", "203.0.113.45"));
    d.onDnsQuery(dns, "notbadcdn.example", List.of());
    FlowContext http = FlowContext.of(T, "Chttp1", "192.0.2.1", 5000, "192.0.2.80", 80, 6);
    d.onHttpRequest(http, "payload.example:80", "/x86_64?arch=1");
    d.onHttpRequest(http, "payload.example", "/other");
    d.onHttpRequest(http, "www.badcdn.example", "/");
    assertThat(alerts)
        .extracting(o -> o.alert().indicatorType() + " " + o.alert().indicatorValue())
        .containsExactly(
            "domain-name badcdn.example",
            "domain-name badcdn.example",
            "domain-name badcdn.example",
            "ipv4-addr 203.0.113.45",
            "url http://payload.example/x86_64",
            "domain-name badcdn.example");
    assertThat(alerts.get(0).alert().severity()).isEqualTo(99);
    assertThat(alerts.get(1).alert().zeekUid()).isEqualTo("Cdns1");
    assertThat(alerts.get(1).alert().message()).startsWith("DNS query for x.y.badcdn.example.");
    assertThat(alerts.get(2).alert().message()).startsWith("DNS answer cdn.badcdn.example");
    assertThat(alerts.get(4).json().at("/vigil/evidence/trail.matched").asText())
        .isEqualTo("http://payload.example/x86_64?arch=1");
  }

  @Test
  void connectBackFromInternalToOutsideOnly() throws Exception {
    Detection d = detection(Map.of("site.json", SITE));
    facts(d, 0, conn("10.1.2.3", 40000, "198.51.100.9", 4444, 6), null, null, true); // alert
    facts(d, 1, conn("10.1.2.3", 40001, "10.9.9.9", 22, 6), null, null, true); // internal
    facts(d, 2, conn("10.1.2.3", 40002, "192.0.2.7", 443, 6), null, null, true); // allowed
    facts(d, 3, conn("198.51.100.9", 40003, "10.1.2.3", 22, 6), null, null, true); // inbound
    facts(d, 4, conn("10.20.1.1", 40004, "198.51.100.10", 27000, 6), null, null, true); // suppr.
    facts(d, 5, conn("10.20.1.1", 40005, "198.51.100.11", 27000, 6), null, null, true); // expired
    facts(d, 6, conn("10.1.2.3", 0, "198.51.100.9", 0, 1), null, null, true); // ICMP
    facts(d, 7, conn("2001:db8:1ff::5", 40006, "2001:db8:ffff::1", 443, 6), null, null, true);
    assertThat(alerts)
        .extracting(o -> o.alert().destinationIp())
        .containsExactly("198.51.100.9", "198.51.100.11", "2001:db8:ffff::1");
    assertThat(alerts.get(0).alert().ruleName()).isEqualTo("ConnectBack");
    assertThat(alerts.get(0).alert().severity()).isEqualTo(73);
    assertThat(stats.get("connect-back", "suppressed")).isEqualTo(1);
    assertThat(stats.get("connect-back", "alerts")).isEqualTo(3);
  }

  @Test
  void connectBackFallsBackToTheSensorClustersInternalNetworks() throws Exception {
    Detection d = detection(Map.of("p.json", policy("p", "enforce", "", "")));
    facts(d, 0, conn("192.168.1.2", 40000, "198.51.100.9", 443, 6), null, null, true);
    facts(d, 1, conn("10.1.2.3", 40000, "198.51.100.9", 443, 6), null, null, true);
    assertThat(alerts).extracting(o -> o.alert().sourceIp()).containsExactly("192.168.1.2");
    assertThat(alerts.get(0).alert().severity()).isEqualTo(47); // CRD default medium
  }

  @Test
  void shadowPolicyCountsWithoutEmittingAndEnforcingPolicyWinsOnOverlap() throws Exception {
    String shadowTrail = "{\"type\":\"ip\",\"value\":\"203.0.113.200\",\"info\":\"shadow only\"}";
    String both =
        "{\"type\":\"ip\",\"value\":\"203.0.113.45\",\"info\":\"xmrig\",\"severity\":\"low\"}";
    Detection d =
        detection(
            Map.of(
                "site.json",
                SITE,
                "trial.json",
                policy(
                    "trial",
                    "shadow",
                    "\"connectBack\":{\"enabled\":false}",
                    shadowTrail + "," + both)));
    facts(d, 0, conn("192.0.2.1", 1000, "203.0.113.200", 443, 6), null, null, true);
    assertThat(alerts).isEmpty();
    assertThat(stats.get("trail", "shadow")).isEqualTo(1);
    facts(d, 1, conn("192.0.2.1", 1001, "203.0.113.45", 443, 6), null, null, true);
    assertThat(alerts)
        .singleElement()
        .satisfies(o -> assertThat(o.alert().severity()).isEqualTo(73));
    assertThat(stats.get("trail", "alerts")).isEqualTo(1);
    assertThat(stats.get("trail", "shadow")).isEqualTo(1);
  }

  @Test
  void aConnectionIsJudgedOnceAcrossActiveTimeoutParts() throws Exception {
    Detection d = detection(Map.of("site.json", SITE));
    ConnRecord r = conn("10.1.2.3", 40000, "198.51.100.9", 4444, 6);
    facts(d, 9, r, null, null, false);
    facts(d, 9, r, null, null, false);
    facts(d, 9, r, null, null, true);
    assertThat(alerts).hasSize(1);
    facts(d, 9, conn("10.1.2.3", 40001, "198.51.100.9", 4444, 6), null, null, true);
    assertThat(alerts).hasSize(2); // the slot's next connection
    // each TLS fact too: a repeated hello of the same connection does not alert again
    ConnRecord t = conn("192.0.2.50", 40002, "192.0.2.60", 443, 6);
    SslSession s = tls(JA3_BAD, "t13d1516h2_8daaf6152771_b186095e22b6", JA3S_BAD, null);
    d.onClientHello(10, t, s);
    d.onClientHello(10, t, s);
    d.onServerHello(10, t, s);
    d.onServerHello(10, t, s);
    assertThat(rules())
        .containsExactly("ConnectBack", "ConnectBack", "TlsBlocklist", "TlsBlocklist");
  }

  @Test
  void policySwapTakesEffectAtTheNextConnection() throws Exception {
    Map<String, byte[]> m = new TreeMap<>();
    java.util.concurrent.atomic.AtomicReference<SensorPolicy> ref =
        new java.util.concurrent.atomic.AtomicReference<>(SensorPolicy.NONE);
    Detection d =
        new Detection(16, ref::get, (a, j) -> alerts.add(new Out(a, j)), stats, 1, null, null);
    facts(d, 0, conn("10.1.2.3", 40000, "198.51.100.9", 4444, 6), null, null, true);
    assertThat(alerts).isEmpty();
    m.put("site.json", SITE.getBytes(StandardCharsets.UTF_8));
    ref.set(
        SensorPolicy.compile(
            PolicyDirectory.load(
                new PolicyDirectory.Snapshot(Path.of("p"), m, PolicyDirectory.fingerprint(m))),
            CidrSet.empty()));
    facts(d, 0, conn("10.1.2.3", 40001, "198.51.100.9", 4444, 6), null, null, true);
    assertThat(rules()).containsExactly("ConnectBack");
    assertThat(alerts.get(0).json().has("observer")).isFalse();
  }

  @Test
  void theSamplePolicyDirectoryCompiles() throws Exception {
    Path dir = Path.of("../common/src/test/resources/policy-dir");
    if (!Files.isDirectory(dir)) {
      dir = Path.of("../agent-image/src/test/resources/policy-dir");
    }
    SensorPolicy p = SensorPolicy.compile(PolicyDirectory.load(dir), CidrSet.empty());
    assertThat(p.sources()).hasSize(2);
    assertThat(p.rules().get(1).trails().domain("a.pool.minexmr.example").info())
        .isEqualTo("xmrig");
  }

  /**
   * Judging a connection that matches nothing allocates nothing, with 50 000 trail addresses, 1 000
   * domains and a connect-back rule in force (the JVM's per-thread allocation counter).
   */
  @Test
  void noAllocationPerConnectionWithoutFindings() throws Exception {
    var bean = java.lang.management.ManagementFactory.getThreadMXBean();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        bean instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported(),
        "per-thread allocation counter not available on this JVM");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    StringBuilder trails = new StringBuilder();
    for (int i = 0; i < 50_000; i++) {
      trails
          .append(i == 0 ? "" : ",")
          .append("{\"type\":\"ip\",\"value\":\"100.")
          .append(64 + (i >> 16))
          .append('.')
          .append((i >> 8) & 255)
          .append('.')
          .append(i & 255)
          .append("\",\"info\":\"bulk\"}");
    }
    for (int i = 0; i < 1000; i++) {
      trails.append(",{\"type\":\"domain\",\"value\":\"d").append(i).append(".example\"}");
    }
    Detection d =
        detection(
            Map.of(
                "big.json",
                policy(
                    "big",
                    "enforce",
                    "\"connectBack\":{\"internalNetworks\":[\"10.0.0.0/8\"],"
                        + "\"allowedDestinations\":[\"192.0.2.0/24\"]}",
                    trails.toString())));
    ConnRecord[] conns = new ConnRecord[256];
    SslSession[] tls = new SslSession[conns.length];
    for (int i = 0; i < conns.length; i++) {
      conns[i] = conn("10.1." + (i >> 4) + "." + (i & 15), 40000 + i, "192.0.2." + i % 250, 443, 6);
      tls[i] = tls("1".repeat(32), "t13d1516h2_8daaf6152771_b186095e22b6", null, "www.example.org");
    }
    for (int round = 0; round < 2000; round++) { // warm-up for the JIT
      for (int i = 0; i < conns.length; i++) {
        facts(d, i & 63, conns[i], tls[i], null, true);
      }
    }
    long tid = Thread.currentThread().threadId();
    long before = threads.getThreadAllocatedBytes(tid);
    long judged = 0;
    for (int round = 0; round < 2000; round++) {
      for (int i = 0; i < conns.length; i++) {
        facts(d, i & 63, conns[i], tls[i], null, true);
        judged++;
      }
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    assertThat(alerts).isEmpty();
    assertThat((double) allocated / judged)
        .as("bytes allocated per judged connection (%d bytes)", allocated)
        .isLessThan(1.0);
  }
}
