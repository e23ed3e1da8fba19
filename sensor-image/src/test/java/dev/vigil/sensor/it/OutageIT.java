package dev.vigil.sensor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.common.schema.DataClass;
import dev.vigil.common.ship.Doc;
import dev.vigil.common.ship.Shipper;
import dev.vigil.common.ship.ShipperConfig;
import dev.vigil.sensor.testutil.MixedTraffic;
import dev.vigil.sensor.testutil.PcapWriter;
import dev.vigil.testing.OpenSearchCalls;
import dev.vigil.testing.OpenSearchNodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero loss across a real outage: an OpenSearch node of this test's own (its own JVM, one port, one
 * data directory) is stopped under continuous shipping and started again on the same port and data;
 * then a {@code vigil-sensor} process is killed with SIGKILL while the node is down and restarted
 * on the same spool directory. Every record must be in the index exactly once (count and the set of
 * ids).
 *
 * <p>The outage lasts {@code vigil.outage.seconds} (default 120, as in CI; 600 for a soak: {@code
 * -Dvigil.outage.seconds=600}).
 */
class OutageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern TS_UID = Pattern.compile("^\\{\"ts\":([0-9.]+),\"uid\":\"(C\\w+)\"");
  private static final long OUTAGE_S = Long.getLong("vigil.outage.seconds", 120);

  @TempDir Path dir;
  private Node node;

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.stop();
    }
  }

  private static String prefix(String what) {
    return what + "-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
  }

  @Test
  void continuousShippingThroughANodeRestartLosesAndDuplicatesNothing() throws Exception {
    node = Node.start(dir.resolve("os-data"));
    URI os = node.url;
    String prefix = prefix("outage");
    ShipperConfig cfg =
        ShipperConfig.defaults(() -> os, dir.resolve("ship"))
            .withIndexPrefix(prefix)
            .withQueue(4096, 500, Duration.ofMillis(50))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    Set<String> offered = new HashSet<>();
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicLong refused = new AtomicLong();
    try (Shipper shipper = new Shipper(cfg)) {
      // ~500 records/s, each with a distinct id, stamped now (today's daily index).
      CompletableFuture<Void> producer =
          CompletableFuture.runAsync(
              () -> {
                long seq = 0;
                while (producing.get()) {
                  long now = System.currentTimeMillis();
                  String id = "rec-" + seq;
                  String json =
                      "{\"ts\":"
                          + java.math.BigDecimal.valueOf(now, 3).toPlainString()
                          + ",\"uid\":\""
                          + id
                          + "\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":40000,\"id.resp_h\":"
                          + "\"10.0.0.2\",\"id.resp_p\":443,\"proto\":\"tcp\"}";
                  if (shipper.offer(Doc.withId(DataClass.CONN, now, id, json))
                      == Shipper.Offer.REFUSED) {
                    refused.incrementAndGet();
                  } else {
                    synchronized (offered) {
                      offered.add(id);
                    }
                  }
                  seq++;
                  if (seq % 50 == 0) {
                    sleep(100);
                  }
                }
              });
      sleep(10_000);
      long beforeOutage = shipper.metrics().shipped.get();
      assertThat(beforeOutage).as("shipping before the outage").isPositive();
      node.stop();
      sleep(OUTAGE_S * 1000);
      assertThat(shipper.spoolEmpty()).as("records spooled during the outage").isFalse();
      assertThat(shipper.lastError()).as("the shipper saw the outage").isNotNull();
      node = Node.restart(node);
      assertThat(node.url).isEqualTo(os);
      sleep(10_000);
      producing.set(false);
      producer.get(30, TimeUnit.SECONDS);
      assertThat(shipper.awaitDrained(Duration.ofMinutes(5))).as("drained").isTrue();
      assertThat(refused.get()).isZero();
      assertThat(shipper.metrics().deadLettered.get()).isZero();
    }
    assertThat(indexedIds(os, prefix)).isEqualTo(offered);
  }

  @Test
  void sensorKilledWhileTheNodeIsDownReplaysItsSpoolOnRestart() throws Exception {
    node = Node.start(dir.resolve("os-data"));
    URI os = node.url;
    String prefix = prefix("killed");
    Path pcap =
        PcapWriter.write(
            dir.resolve("big.pcap"),
            PcapWriter.pcap(MixedTraffic.generate(20_000, 11), ByteOrder.LITTLE_ENDIAN, false));
    Path spool = dir.resolve("spool");
    node.stop();

    // Run 1, node down: killed with SIGKILL once it has spooled records.
    Process p1 = sensor("run1", pcap, dir.resolve("logs1"), os, prefix, spool);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (spoolBytes(spool) < 256 * 1024 && p1.isAlive() && System.nanoTime() < deadline) {
      sleep(20);
    }
    assertThat(p1.isAlive()).as("sensor still running when killed").isTrue();
    p1.destroyForcibly(); // SIGKILL: no shutdown hook, no close(), no drain
    assertThat(p1.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p1.exitValue()).isEqualTo(137);
    long spooled = spoolBytes(spool);
    assertThat(spooled).as("spool left by the killed sensor").isPositive();

    // Node back on the same port and data; run 2 on the same spool directory.
    node = Node.restart(node);
    Process p2 = sensor("run2", pcap, dir.resolve("logs2"), os, prefix, spool);
    assertThat(p2.waitFor(300, TimeUnit.SECONDS)).as("run 2 finished").isTrue();
    String err2 = Files.readString(dir.resolve("run2.err"));
    assertThat(p2.exitValue()).as(err2).isZero();
    Matcher m = Pattern.compile("opensearch: (\\d+) shipped, (\\d+) duplicate").matcher(err2);
    assertThat(m.find()).as(err2).isTrue();
    assertThat(err2).contains(" 0 dead-lettered, 0 refused");
    long duplicates = Long.parseLong(m.group(2));
    // An offline run stops shipping 10 s after its capture ends and leaves the rest spooled for the
    // next start: that next start is this shipper on the same directory.
    ShipperConfig again = ShipperConfig.defaults(() -> os, spool).withIndexPrefix(prefix);
    try (Shipper replay = new Shipper(again)) {
      assertThat(replay.awaitDrained(Duration.ofMinutes(10))).as("spool drained").isTrue();
      assertThat(replay.metrics().deadLettered.get()).isZero();
      duplicates += replay.metrics().duplicate.get();
    }
    // The killed run's spool was replayed first (its head), so the re-read of the same records
    // found them indexed: 409s, counted as duplicates, never second copies.
    assertThat(duplicates).as("re-read records already replayed from the spool").isPositive();

    Set<String> expected = new HashSet<>();
    for (String line : Files.readAllLines(dir.resolve("logs2").resolve("conn.log"))) {
      Matcher l = TS_UID.matcher(line);
      assertThat(l.find()).isTrue();
      assertThat(expected.add(OpenSearchShippingIT.connId(l.group(2), l.group(1))))
          .as("unique id")
          .isTrue();
    }
    assertThat(indexedIds(os, prefix)).isEqualTo(expected);
  }

  private Process sensor(String name, Path pcap, Path logs, URI os, String prefix, Path spool)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("vigil.sensor.launcher", "vigil-sensor"));
    cmd.addAll(
        List.of(
            "--read",
            pcap.toString(),
            "--logs",
            logs.toString(),
            "--opensearch",
            os.toString(),
            "--index-prefix",
            prefix,
            "--spool-dir",
            spool.toString()));
    return new ProcessBuilder(cmd)
        .redirectError(dir.resolve(name + ".err").toFile())
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .start();
  }

  private static long spoolBytes(Path spool) throws IOException {
    Path segments = spool.resolve("spool");
    if (!Files.isDirectory(segments)) {
      return 0;
    }
    long n = 0;
    try (Stream<Path> files = Files.list(segments)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        try {
          n += Files.size(f);
        } catch (IOException gone) {
          // a segment committed and deleted meanwhile
        }
      }
    }
    return n;
  }

  /** Every _id in {@code <prefix>-conn-*}, asserting there are as many as {@code _count} says. */
  private static Set<String> indexedIds(URI os, String prefix) throws Exception {
    String pattern = DataClass.CONN.indexPattern(prefix);
    call(os, "POST", "/" + pattern + "/_refresh", null);
    long count = call(os, "GET", "/" + pattern + "/_count", null).path("count").asLong(-1);
    Set<String> ids = new HashSet<>();
    JsonNode r =
        call(
            os,
            "POST",
            "/" + pattern + "/_search?scroll=2m",
            "{\"size\":5000,\"_source\":false,\"query\":{\"match_all\":{}}}");
    long hits = 0;
    while (r.path("hits").path("hits").size() > 0) {
      for (JsonNode h : r.path("hits").path("hits")) {
        ids.add(h.path("_id").asText());
        hits++;
      }
      r =
          call(
              os,
              "POST",
              "/_search/scroll",
              "{\"scroll\":\"2m\",\"scroll_id\":\"" + r.path("_scroll_id").asText() + "\"}");
    }
    assertThat(hits).as("hits = _count").isEqualTo(count);
    assertThat((long) ids.size()).as("ids unique").isEqualTo(count);
    return ids;
  }

  private static JsonNode call(URI base, String method, String path, String body) throws Exception {
    return OpenSearchCalls.call(base, method, path, body);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One OpenSearch node in its own JVM that this test stops and starts on the same port/data. */
  private static final class Node {
    final int basePort;
    final Path data;
    final Process process;
    final URI url;

    private Node(int basePort, Path data, Process process, URI url) {
      this.basePort = basePort;
      this.data = data;
      this.process = process;
      this.url = url;
    }

    /**
     * A node on a base port below the kernel's ephemeral range (so no outgoing connection takes it
     * while the node is down); a start that loses a bind race is retried on other ports.
     */
    static Node start(Path data) throws Exception {
      Files.createDirectories(data);
      IllegalStateException last = null;
      for (int attempt = 0; attempt < 20; attempt++) {
        int base = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
        if (!free(base) || !free(base + 1) || !free(base + 100)) {
          continue;
        }
        try {
          return launch(base, data);
        } catch (IllegalStateException e) {
          last = e;
        }
      }
      throw last != null ? last : new IOException("no free port range for OpenSearch");
    }

    private static boolean free(int port) {
      try (java.net.ServerSocket s = new java.net.ServerSocket(port)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    /** The same node again: same ports, same data directory. */
    static Node restart(Node old) throws Exception {
      IllegalStateException last = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        try {
          return launch(old.basePort, old.data);
        } catch (IllegalStateException e) {
          last = e; // e.g. the old process's sockets still closing
          sleep(5_000);
        }
      }
      throw last;
    }

    private static Node launch(int base, Path data) throws Exception {
      Process p =
          new ProcessBuilder(OpenSearchNodes.command(base, data)).redirectErrorStream(true).start();
      CompletableFuture<String> ready = new CompletableFuture<>();
      Path log =
          data.resolveSibling(data.getFileName() + "-" + Instant.now().toEpochMilli() + ".log");
      Thread pump =
          new Thread(
              () -> {
                try (BufferedReader r =
                        new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    var w = Files.newBufferedWriter(log)) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    w.write(line);
                    w.newLine();
                    w.flush();
                    if (line.startsWith("OPENSEARCH_URL=")) {
                      ready.complete(line.substring("OPENSEARCH_URL=".length()).trim());
                    }
                  }
                } catch (IOException e) {
                  ready.completeExceptionally(e);
                }
                ready.completeExceptionally(new IllegalStateException("node exited; see " + log));
              },
              "outage-node-log");
      pump.setDaemon(true);
      pump.start();
      try {
        return new Node(base, data, p, URI.create(ready.get(240, TimeUnit.SECONDS)));
      } catch (Exception e) {
        p.destroyForcibly();
        throw new IllegalStateException("OpenSearch node did not start; see " + log, e);
      }
    }

    void stop() {
      if (process.isAlive()) {
        process.destroy();
        try {
          if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
