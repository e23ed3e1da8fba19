package dev.vigil.sensor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --config} with the operator's sensor.json, {@code --policy-dir}, option precedence and the
 * per-worker metrics port. Parsing only: nothing here opens a socket.
 */
class SensorConfigCliTest {
  /** What the operator puts on a pod of worker 2 of the sample tap. */
  static final Map<String, String> POD_ENV =
      Map.of(
          "VIGIL_WORKER_INDEX", "2",
          "VIGIL_WORKERS", "4",
          "VIGIL_CAPTURE_MODE", "afpacket",
          "VIGIL_INTERFACE", "ens5f0",
          "VIGIL_FANOUT_GROUP", "46936",
          "VIGIL_NODE", "node-a1",
          "VIGIL_LINK", "dc1-core-uplink",
          "VIGIL_METRICS_PORT_BASE", "28704");

  @TempDir Path dir;
  Path sensorJson;
  Path policies;
  String sample;

  @BeforeEach
  void files() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/sensor-config/sensor.json")) {
      sample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    sensorJson = dir.resolve("sensor.json");
    Files.writeString(sensorJson, sample);
    policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("b-trail.json"), "{}");
    Files.writeString(policies.resolve("a-default.json"), "{}");
    Files.writeString(policies.resolve("README"), "not a policy");
  }

  /** The argument list of SensorStatefulSet without OpenSearch. */
  String[] podArgs(String... extra) {
    String[] base = {
      "--config", sensorJson.toString(),
      "--policy-dir", policies.toString(),
      "--logs", dir.resolve("logs").toString()
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void operatorRenderingMapsToLiveOptions() throws Exception {
    Options o = Options.parse(podArgs(), POD_ENV);

    assertThat(o.iface).isEqualTo("ens5f0");
    assertThat(o.read).isNull();
    assertThat(o.fanoutGroup).isEqualTo(46936);
    assertThat(o.ringMiB).isEqualTo(256);
    assertThat(o.workers).isEqualTo(1);
    assertThat(o.metricsPort).isEqualTo(28704 + 2);
    assertThat(o.flowConfig().bypassBytes()).isEqualTo(104857600L);
    assertThat(o.flowConfig().bypassPackets()).isEqualTo(100000L);
    assertThat(o.config).isEqualTo(sensorJson);
    assertThat(o.policyDir).isEqualTo(policies);
    assertThat(o.policies)
        .containsExactly(policies.resolve("a-default.json"), policies.resolve("b-trail.json"));
    assertThat(o.captureFilter().snaplen()).isEqualTo(262144);
    assertThat(o.captureFilter().bpf()).isEqualTo("not (tcp port 22)");
    assertThat(o.captureFilter().vlans()).containsExactly(100, 200);
    assertThat(o.notes)
        .singleElement()
        .asString()
        .contains("analyzers")
        .doesNotContain("snaplen", "bpfFilter", "vlans", "null", "internalNetworks");
    // applied: connect-back's default internal networks and the alerts' observer
    assertThat(o.internalNetworks)
        .extracting(Object::toString)
        .containsExactly("10.0.0.0/8", "192.168.0.0/16");
    assertThat(o.sensorName).isEqualTo("dc1-core-uplink-tap");
    assertThat(o.link).isEqualTo("dc1-core-uplink");
  }

  @Test
  void unknownFieldsAndAbsentOptionalsAreFine() throws Exception {
    Files.writeString(
        sensorJson,
        """
        {"interfaceName":"eth1","fanoutGroup":77,"somethingNew":{"x":[1,2]},"speedGbps":100}
        """);
    Options o = Options.parse(podArgs(), Map.of());

    assertThat(o.iface).isEqualTo("eth1");
    assertThat(o.fanoutGroup).isEqualTo(77);
    assertThat(o.ringMiB).isEqualTo(Options.DEFAULT_RING_MIB);
    assertThat(o.metricsPort).isEqualTo(-1);
    assertThat(o.flowConfig().bypassBytes()).isZero();
    assertThat(o.notes).isEmpty();
  }

  @Test
  void optionsAfterConfigOverrideItAndOptionsBeforeItAreOverridden() throws Exception {
    String[] args = {
      "--workers", "8",
      "--metrics-port", "1111",
      "--config", sensorJson.toString(),
      "--interface", "eth9",
      "--workers", "2",
      "--fanout-group", "7",
      "--ring-size-mib", "32",
      "--bypass-bytes", "0",
      "--logs", dir.toString()
    };
    Options o = Options.parse(args, POD_ENV);

    assertThat(o.iface).isEqualTo("eth9");
    assertThat(o.workers).isEqualTo(2);
    assertThat(o.fanoutGroup).isEqualTo(7);
    assertThat(o.ringMiB).isEqualTo(32);
    assertThat(o.flowConfig().bypassBytes()).isZero();
    assertThat(o.flowConfig().bypassPackets()).isEqualTo(100000L); // from the file
    assertThat(o.metricsPort).isEqualTo(28706); // the file's env arithmetic beat the earlier 1111

    Options later = Options.parse(podArgs("--metrics-port", "9999"), POD_ENV);
    assertThat(later.metricsPort).isEqualTo(9999);

    Options before =
        Options.parse(
            new String[] {
              "--workers", "8", "--config", sensorJson.toString(), "--logs", dir.toString()
            },
            POD_ENV);
    assertThat(before.workers).isEqualTo(1);
  }

  @Test
  void metricsPortIsBasePlusWorkerIndexWhenBothAreSet() {
    assertThat(Options.metricsPort(Map.of(), -1)).isEqualTo(-1);
    assertThat(Options.metricsPort(Map.of("VIGIL_METRICS_PORT_BASE", "20000"), 5)).isEqualTo(5);
    assertThat(Options.metricsPort(Map.of("VIGIL_WORKER_INDEX", "3"), 5)).isEqualTo(5);
    assertThat(
            Options.metricsPort(
                Map.of("VIGIL_METRICS_PORT_BASE", "20000", "VIGIL_WORKER_INDEX", "0"), -1))
        .isEqualTo(20000);
    assertThat(
            Options.metricsPort(
                Map.of("VIGIL_METRICS_PORT_BASE", "58336", "VIGIL_WORKER_INDEX", "63"), -1))
        .isEqualTo(58399);
    assertThatThrownBy(
            () ->
                Options.metricsPort(
                    Map.of("VIGIL_METRICS_PORT_BASE", "65500", "VIGIL_WORKER_INDEX", "36"), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65536");
    assertThatThrownBy(
            () ->
                Options.metricsPort(
                    Map.of("VIGIL_METRICS_PORT_BASE", "20000", "VIGIL_WORKER_INDEX", "two"), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("VIGIL_WORKER_INDEX");
  }

  @Test
  void missingConfigFileExits2() {
    Result r = run(podArgs("--config", dir.resolve("nope.json").toString()));
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("nope.json: no such file");
  }

  @Test
  void malformedConfigExits2() throws IOException {
    Files.writeString(sensorJson, "{\"interfaceName\": \"eth0\", ");
    Result r = run(podArgs());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("--config " + sensorJson + ": cannot read");

    Files.writeString(sensorJson, "{\"interfaceName\": \"eth0\", \"fanoutGroup\": \"many\"}");
    assertThat(run(podArgs()).code).isEqualTo(2);

    Files.writeString(sensorJson, "{\"interfaceName\": \"eth0\", \"fanoutGroup\": 70000}");
    Result big = run(podArgs());
    assertThat(big.code).isEqualTo(2);
    assertThat(big.err).contains("fanout group must be 0..65535");
  }

  @Test
  void dpdkAndLibpcapAreRefusedByName() throws IOException {
    for (String mode : new String[] {"dpdk", "libpcap"}) {
      Files.writeString(sensorJson, sample.replace("\"afpacket\"", "\"" + mode + "\""));
      Result r = run(podArgs());
      assertThat(r.code).as(mode).isEqualTo(2);
      assertThat(r.err)
          .contains("captureMode " + mode + " is not supported yet by this sensor build");
    }
  }

  @Test
  void onlyHashFanoutIsAccepted() throws IOException {
    for (String mode : new String[] {"lb", "cpu", "qm"}) {
      Files.writeString(sensorJson, sample.replace("\"hash\"", "\"" + mode + "\""));
      Result r = run(podArgs());
      assertThat(r.code).as(mode).isEqualTo(2);
      assertThat(r.err).contains("fanoutMode " + mode + " is not supported", "only hash");
    }
  }

  @Test
  void afpacketWithoutInterfaceNameExits2() throws IOException {
    Files.writeString(sensorJson, "{\"captureMode\":\"afpacket\",\"pciAddress\":\"0000:3b:00.0\"}");
    Result r = run(podArgs());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("needs interfaceName");
  }

  @Test
  void unreadablePolicyDirExits1() {
    Result r =
        run(
            new String[] {
              "--config", sensorJson.toString(),
              "--policy-dir", dir.resolve("absent").toString(),
              "--logs", dir.toString()
            });
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("cannot read policy directory");
  }

  record Result(int code, String err) {}

  Result run(String[] args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = Main.run(args, POD_ENV, new PrintStream(new ByteArrayOutputStream()), ps);
    return new Result(code, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void captureSettingsFromTheFileAndTheCommandLine() throws Exception {
    Files.writeString(
        sensorJson,
        """
        {"interfaceName":"eth1","snaplen":128,"bpfFilter":"udp","vlans":[7]}
        """);
    Options o = Options.parse(podArgs(), Map.of());
    assertThat(o.captureFilter().snaplen()).isEqualTo(128);
    assertThat(o.captureFilter().bpf()).isEqualTo("udp");
    assertThat(o.captureFilter().vlans()).containsExactly(7);
    // options after --config override the file
    o =
        Options.parse(
            podArgs("--snaplen", "96", "--bpf", "tcp port 443", "--vlans", "1,2"), Map.of());
    assertThat(o.captureFilter().snaplen()).isEqualTo(96);
    assertThat(o.captureFilter().bpf()).isEqualTo("tcp port 443");
    assertThat(o.captureFilter().vlans()).containsExactly(1, 2);
    // an expression libpcap rejects, a short snap length and a bad VLAN are usage errors
    assertThatThrownBy(() -> Options.parse(podArgs("--bpf", "tcp port banana"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tcp port banana");
    assertThatThrownBy(() -> Options.parse(podArgs("--snaplen", "10"), Map.of()))
        .hasMessageContaining("snaplen must be 64..262144");
    assertThatThrownBy(() -> Options.parse(podArgs("--vlans", "5000"), Map.of()))
        .hasMessageContaining("VLAN ids must be 0..4095");
  }

  @Test
  void sensorIdentityGoesIntoDocumentIdsSoTwoSensorsNeverCollide() throws Exception {
    // From sensor.json: the tap and this pod's worker index.
    Options o = Options.parse(podArgs(), POD_ENV);
    assertThat(o.ship.sensorId).isEqualTo(tap() + "-2");
    // An explicit --sensor-id wins, before or after --config.
    assertThat(Options.parse(podArgs("--sensor-id", "sensor-03.b"), POD_ENV).ship.sensorId)
        .isEqualTo("sensor-03.b");
    String[] first = {"--sensor-id", "x1", "--config", sensorJson.toString(), "--logs", "l"};
    assertThat(Options.parse(first, POD_ENV).ship.sensorId).isEqualTo("x1");
    // Hand-started offline reads have no identity: ids from uid@ts alone.
    assertThat(
            Options.parse(new String[] {"--read", "a.pcap", "--logs", "l"}, Map.of()).ship.sensorId)
        .isNull();
    assertThatThrownBy(
            () ->
                Options.parse(
                    new String[] {"--read", "a", "--logs", "l", "--sensor-id", "a b"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--sensor-id");

    // The writer's document ids: the same uid and ts from two sensors are two documents.
    java.util.List<String> ids = new java.util.ArrayList<>();
    java.util.List<String> keys = new java.util.ArrayList<>();
    for (String sensor : new String[] {"tap-a-0", "tap-b-0"}) {
      dev.vigil.common.ship.ShipperConfig cfg =
          dev.vigil.common.ship.ShipperConfig.defaults(
                  () -> java.net.URI.create("http://127.0.0.1:9"), dir.resolve("ship-" + sensor))
              .withQueue(16, 16, java.time.Duration.ofMillis(1))
              .withCloseTimeout(java.time.Duration.ofMillis(1));
      try (dev.vigil.common.ship.Shipper shipper = new dev.vigil.common.ship.Shipper(cfg)) {
        var out = new java.io.StringWriter();
        var w = new dev.vigil.sensor.log.ConnLogWriter(out, 7, shipper, sensor);
        var r = new dev.vigil.sensor.flow.ConnRecord();
        r.startNanos = 1_700_000_000_123_456_000L;
        r.ipVersion = 4;
        r.proto = 6;
        r.connState = "S0";
        r.vlan = -1;
        r.innerVlan = -1;
        w.onConnection(r);
        w.close();
        String line = out.toString();
        int u = line.indexOf("\"uid\":\"") + 7;
        keys.add(sensor + ":" + line.substring(u, line.indexOf('"', u)) + "@1700000000.123456");
      }
      try (var spool =
          new dev.vigil.common.ship.Spool(
              cfg.spoolDir(),
              Long.MAX_VALUE,
              64L << 20,
              new dev.vigil.common.ship.ShipperMetrics())) {
        for (var d : spool.read(100, Long.MAX_VALUE).docs()) {
          ids.add(d.id());
        }
      }
    }
    // The compact id of <sensor-id>:uid@ts: same uid and ts, two sensors, two ids.
    assertThat(ids).hasSize(2);
    assertThat(keys.get(0)).matches("tap-a-0:C\\w+@1700000000\\.123456");
    assertThat(keys.get(1).substring(8)).isEqualTo(keys.get(0).substring(8));
    assertThat(ids.get(0)).isEqualTo(dev.vigil.common.ship.Doc.compactId(1700000000L, keys.get(0)));
    assertThat(ids.get(1)).isEqualTo(dev.vigil.common.ship.Doc.compactId(1700000000L, keys.get(1)));
    assertThat(ids.get(1)).isNotEqualTo(ids.get(0));
  }

  @Test
  void shippedConnRecordsNameTheSensorAndLinkTheFileKeepsZeekFields() throws Exception {
    dev.vigil.common.ship.ShipperConfig cfg =
        dev.vigil.common.ship.ShipperConfig.defaults(
                () -> java.net.URI.create("http://127.0.0.1:9"), dir.resolve("ship-observer"))
            .withQueue(16, 16, java.time.Duration.ofMillis(1))
            .withCloseTimeout(java.time.Duration.ofMillis(1));
    java.io.StringWriter file = new java.io.StringWriter();
    try (dev.vigil.common.ship.Shipper shipper = new dev.vigil.common.ship.Shipper(cfg)) {
      var w = new dev.vigil.sensor.log.ConnLogWriter(file, 7, shipper, "tap-a-0");
      var r = new dev.vigil.sensor.flow.ConnRecord();
      r.startNanos = 1_700_000_000_123_456_000L;
      r.ipVersion = 4;
      r.proto = 6;
      r.connState = "S0";
      r.vlan = -1;
      r.innerVlan = -1;
      w.observer("dc1-core-uplink-tap", "dc1-core-uplink").onConnection(r);
      w.observer(null, "eth\"1").onConnection(r);
      w.observer(null, null).onConnection(r);
      w.close();
    }
    java.util.List<String> docs = new java.util.ArrayList<>();
    try (var spool =
        new dev.vigil.common.ship.Spool(
            cfg.spoolDir(),
            Long.MAX_VALUE,
            64L << 20,
            new dev.vigil.common.ship.ShipperMetrics())) {
      for (var d : spool.read(100, Long.MAX_VALUE).docs()) {
        docs.add(d.json());
      }
    }
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(docs).hasSize(3);
    var first = json.readTree(docs.get(0));
    assertThat(first.at("/observer/type").asText()).isEqualTo("sensor");
    assertThat(first.at("/observer/name").asText()).isEqualTo("dc1-core-uplink-tap");
    assertThat(first.at("/observer/ingress/interface/name").asText()).isEqualTo("dc1-core-uplink");
    assertThat(first.at("/conn_state").asText()).isEqualTo("S0");
    var second = json.readTree(docs.get(1));
    assertThat(second.at("/observer/name").isMissingNode()).isTrue();
    assertThat(second.at("/observer/ingress/interface/name").asText()).isEqualTo("eth\"1");
    assertThat(json.readTree(docs.get(2)).has("observer")).isFalse();
    // the file keeps Zeek's fields only
    assertThat(file.toString().lines()).hasSize(3).noneMatch(l -> l.contains("observer"));
    // otherwise the shipped document is the line
    assertThat(docs.get(2)).isEqualTo(file.toString().lines().toList().get(2));
  }

  private String tap() throws IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(sample).path("tap").asText();
  }

  @Test
  void captureModeOption() throws Exception {
    Options o =
        Options.parse(
            new String[] {"--interface", "eth0", "--logs", "x", "--capture", "pcap"}, Map.of());
    assertThat(o.libpcap).isTrue();
    o = Options.parse(new String[] {"--interface", "eth0", "--logs", "x"}, Map.of());
    assertThat(o.libpcap).isFalse();
    assertThatThrownBy(
            () ->
                Options.parse(
                    new String[] {
                      "--interface", "eth0", "--logs", "x", "--capture", "pcap", "--workers", "2"
                    },
                    Map.of()))
        .hasMessageContaining("one worker");
    assertThatThrownBy(
            () ->
                Options.parse(
                    new String[] {"--interface", "eth0", "--logs", "x", "--capture", "dpdk"},
                    Map.of()))
        .hasMessageContaining("--capture must be afpacket or pcap");
  }
}
