package dev.vigil.sensor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.common.schema.DataClass;
import dev.vigil.common.ship.Doc;
import dev.vigil.common.ship.ShipperMetrics;
import dev.vigil.common.ship.Spool;
import dev.vigil.sensor.testutil.MixedTraffic;
import dev.vigil.sensor.testutil.PcapWriter;
import dev.vigil.sensor.testutil.Trace;
import dev.vigil.testing.OpenSearchCalls;
import dev.vigil.testing.OpenSearchEndpoint;
import dev.vigil.testing.WithOpenSearch;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code sensor-image/vigil-sensor} launcher shipping conn.log to a real OpenSearch
 * node: what is in {@code <prefix>-conn-*} is exactly conn.log (same count, same uids, ids {@code
 * uid@ts}); re-reading the capture adds nothing; with OpenSearch unreachable the run still
 * succeeds, every record waits in the spool, and the next run replays them.
 */
@WithOpenSearch
class OpenSearchShippingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TS_UID = Pattern.compile("^\\{\"ts\":([0-9.]+),\"uid\":\"(C\\w+)\"");

  @TempDir Path dir;
  Path pcap;

  @BeforeEach
  void capture() throws IOException {
    Trace trace = MixedTraffic.generate(1200, 8);
    pcap =
        PcapWriter.write(
            dir.resolve("mix.pcap"), PcapWriter.pcap(trace, ByteOrder.LITTLE_ENDIAN, false));
  }

  private static String prefix() {
    return "sensor-it-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
  }

  /** Runs the launcher; returns its stderr after asserting exit 0. */
  private String sensor(String name, String... args) throws Exception {
    String launcher = System.getProperty("vigil.sensor.launcher", "vigil-sensor");
    List<String> cmd = new ArrayList<>();
    cmd.add(launcher);
    cmd.addAll(List.of(args));
    Path err = dir.resolve(name + ".err");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(false)
            .redirectError(err.toFile())
            .redirectOutput(dir.resolve(name + ".out").toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", name).isTrue();
    String stderr = Files.readString(err);
    assertThat(p.exitValue()).as("%s: %s", name, stderr).isZero();
    return stderr;
  }

  /**
   * id (compact id of {@code uid@ts}) → uid, for every line of a conn.log, as the file spells them.
   */
  private static Map<String, String> expectedIds(Path connLog) throws IOException {
    Map<String, String> ids = new HashMap<>();
    for (String line : Files.readAllLines(connLog)) {
      Matcher m = TS_UID.matcher(line);
      assertThat(m.find()).as("conn.log line %s", line).isTrue();
      assertThat(ids.put(connId(m.group(2), m.group(1)), m.group(2))).as("unique id").isNull();
    }
    return ids;
  }

  /** The id the sensor gives a conn record: the compact id of {@code uid@ts}. */
  static String connId(String uid, String ts) {
    return Doc.compactId(Long.parseLong(ts.substring(0, ts.indexOf('.'))), uid + "@" + ts);
  }

  private static JsonNode call(URI base, String method, String path, String body) throws Exception {
    return OpenSearchCalls.call(base, method, path, body);
  }

  /** id → uid of every document in {@code <prefix>-conn-*}, checking the count agrees. */
  private static Map<String, String> indexed(URI os, String prefix) throws Exception {
    String pattern = DataClass.CONN.indexPattern(prefix);
    call(os, "POST", "/" + pattern + "/_refresh", null);
    long count = call(os, "GET", "/" + pattern + "/_count", null).path("count").asLong(-1);
    JsonNode hits =
        call(
                os,
                "POST",
                "/" + pattern + "/_search",
                "{\"size\":10000,\"_source\":[\"uid\"],\"query\":{\"match_all\":{}}}")
            .path("hits")
            .path("hits");
    Map<String, String> ids = new HashMap<>();
    for (JsonNode h : hits) {
      ids.put(h.path("_id").asText(), h.path("_source").path("uid").asText());
    }
    assertThat((long) ids.size()).as("_count vs hits").isEqualTo(count);
    return ids;
  }

  @Test
  void connLogLandsOnceAndRereadingDoesNotDuplicate(OpenSearchEndpoint os) throws Exception {
    String prefix = prefix();
    Path logs = dir.resolve("logs1");
    String err1 =
        sensor(
            "run1",
            "--read",
            pcap.toString(),
            "--logs",
            logs.toString(),
            "--opensearch",
            os.url().toString(),
            "--index-prefix",
            prefix);
    Map<String, String> expected = expectedIds(logs.resolve("conn.log"));
    assertThat(expected).hasSizeGreaterThan(1000);
    assertThat(indexed(os.url(), prefix)).as(err1).isEqualTo(expected);
    assertThat(err1).contains("opensearch: " + expected.size() + " shipped, 0 duplicate");

    Path logs2 = dir.resolve("logs2");
    String err2 =
        sensor(
            "run2",
            "--read",
            pcap.toString(),
            "--logs",
            logs2.toString(),
            "--opensearch",
            os.url().toString(),
            "--index-prefix",
            prefix);
    assertThat(Files.readString(logs2.resolve("conn.log")))
        .isEqualTo(Files.readString(logs.resolve("conn.log")));
    assertThat(err2).contains("opensearch: 0 shipped, " + expected.size() + " duplicate");
    assertThat(indexed(os.url(), prefix)).isEqualTo(expected);
  }

  @Test
  void unreachableOpenSearchSpoolsEverythingAndTheNextRunReplaysIt(OpenSearchEndpoint os)
      throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String prefix = prefix();
    Path spool = dir.resolve("spool");
    Path logs = dir.resolve("logs-down");
    String err1 =
        sensor(
            "down",
            "--read",
            pcap.toString(),
            "--logs",
            logs.toString(),
            "--opensearch",
            "http://127.0.0.1:" + closedPort,
            "--index-prefix",
            prefix,
            "--spool-dir",
            spool.toString());
    Map<String, String> expected = expectedIds(logs.resolve("conn.log"));
    assertThat(expected).hasSizeGreaterThan(1000);
    assertThat(err1).contains("opensearch: 0 shipped, 0 duplicate, 0 dead-lettered, 0 refused");

    // Everything is in the spool (read from a copy, so the sensor's cursor is untouched).
    Path copy = dir.resolve("spool-copy");
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(spool.resolve("spool"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Map<String, String> spooled = new HashMap<>();
    try (Spool s = new Spool(copy, Long.MAX_VALUE, 64L << 20, new ShipperMetrics())) {
      Spool.Batch b = s.read(Integer.MAX_VALUE, Long.MAX_VALUE);
      assertThat(b.torn()).isZero();
      for (Doc d : b.docs()) {
        assertThat(d.dataClass()).isEqualTo(DataClass.CONN);
        spooled.put(d.id(), JSON.readTree(d.json()).path("uid").asText());
      }
    }
    assertThat(spooled).isEqualTo(expected);

    // The next run reads a capture with no packets: all it ships is the spool's replay.
    Path empty =
        PcapWriter.write(
            dir.resolve("empty.pcap"),
            PcapWriter.pcap(new Trace(), ByteOrder.LITTLE_ENDIAN, false));
    Path logs2 = dir.resolve("logs-up");
    String err2 =
        sensor(
            "up",
            "--read",
            empty.toString(),
            "--logs",
            logs2.toString(),
            "--opensearch",
            os.url().toString(),
            "--index-prefix",
            prefix,
            "--spool-dir",
            spool.toString());
    assertThat(Files.readString(logs2.resolve("conn.log"))).isEmpty();
    assertThat(err2).contains("opensearch: " + expected.size() + " shipped");
    assertThat(indexed(os.url(), prefix)).isEqualTo(expected);
  }
}
