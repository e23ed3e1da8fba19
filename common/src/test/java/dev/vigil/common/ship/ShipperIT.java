package dev.vigil.common.ship;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.common.schema.DataClass;
import dev.vigil.testing.OpenSearchEndpoint;
import dev.vigil.testing.WithOpenSearch;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipper against a real OpenSearch node. */
@WithOpenSearch
class ShipperIT {
  private static final long DAY0 = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DRAIN = Duration.ofSeconds(90);

  @TempDir Path data;

  /** A fresh index prefix per test so tests never see each other's documents. */
  private static String prefix() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
  }

  /** A conn-like record with a Zeek-style uid + ts as its natural id. */
  private static Doc conn(int i) {
    long ts = DAY0 + i;
    String uid = "C" + Integer.toString(i, 36);
    String json =
        "{\"ts\":"
            + ts / 1000.0
            + ",\"uid\":\""
            + uid
            + "\",\"seq\":"
            + i
            + ",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":"
            + (1024 + i % 60000)
            + ",\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":443,\"proto\":\"tcp\"}";
    return Doc.withId(DataClass.CONN, ts, uid + "@" + ts, json);
  }

  private ShipperConfig config(URI url, String prefix) {
    return ShipperConfig.defaults(() -> url, data)
        .withIndexPrefix(prefix)
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .withCloseTimeout(Duration.ofSeconds(2));
  }

  @Test
  void shipsTenThousandConnRecordsExactly(OpenSearchEndpoint os) throws Exception {
    String prefix = prefix();
    ShipperMetrics m;
    try (Shipper s = new Shipper(config(os.url(), prefix))) {
      m = s.metrics();
      for (int i = 0; i < 10_000; i++) {
        assertThat(s.offer(conn(i))).isNotEqualTo(Shipper.Offer.REFUSED);
      }
      assertThat(s.awaitDrained(DRAIN)).as("drained: %s", m).isTrue();
    }
    assertThat(new OpenSearchHttp(os.url()).count(prefix + "-conn-*")).isEqualTo(10_000);
    assertThat(m.shipped.get()).isEqualTo(10_000);
    assertThat(m.deadLettered.get()).isZero();
    assertThat(m.refused.get()).isZero();
  }

  @Test
  void spoolsWhileUnreachableThenDeliversInOrderExactlyOnce(OpenSearchEndpoint os)
      throws Exception {
    String prefix = prefix();
    URI closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
    AtomicReference<URI> endpoint = new AtomicReference<>(closed);
    ShipperConfig cfg =
        ShipperConfig.defaults(endpoint::get, data)
            .withIndexPrefix(prefix)
            .withQueue(1_000, 500, Duration.ofMillis(20))
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(300));
    ShipperMetrics m;
    try (Shipper s = new Shipper(cfg)) {
      m = s.metrics();
      for (int i = 0; i < 5_000; i++) {
        assertThat(s.offer(conn(i))).isNotEqualTo(Shipper.Offer.REFUSED);
      }
      waitFor(() -> m.spooled.get() == 5_000, "all 5,000 spooled: " + m);
      assertThat(m.shipped.get()).isZero();
      assertThat(m.failed.get()).isPositive();
      assertThat(s.spoolEmpty()).isFalse();
      assertThat(s.lastError()).contains("unreachable");

      endpoint.set(os.url());
      assertThat(s.awaitDrained(DRAIN)).as("drained: %s", m).isTrue();
    }
    OpenSearchHttp http = new OpenSearchHttp(os.url());
    assertThat(http.count(prefix + "-conn-*")).isEqualTo(5_000);
    assertThat(m.shipped.get()).isEqualTo(5_000);
    assertThat(m.duplicate.get()).isZero();

    // Arrival order: one shard, so _seq_no is the order OpenSearch indexed them in.
    JsonNode hits =
        http.call(
                "POST",
                "/" + prefix + "-conn-*/_search",
                "{\"size\":5000,\"seq_no_primary_term\":true,\"_source\":[\"seq\"],"
                    + "\"query\":{\"match_all\":{}}}")
            .path("hits")
            .path("hits");
    List<JsonNode> byArrival =
        new ArrayList<>(StreamSupport.stream(hits.spliterator(), false).toList());
    assertThat(byArrival).hasSize(5_000);
    byArrival.sort(Comparator.comparingLong(h -> h.path("_seq_no").asLong()));
    List<Integer> seqs = byArrival.stream().map(h -> h.at("/_source/seq").asInt()).toList();
    assertThat(seqs).isSorted().doesNotHaveDuplicates();
    assertThat(seqs.getFirst()).isZero();
    assertThat(seqs.getLast()).isEqualTo(4_999);
  }

  @Test
  void aRestartWhileOpenSearchIsDownReplaysTheSpool(OpenSearchEndpoint os) throws Exception {
    String prefix = prefix();
    URI closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
    try (Shipper down = new Shipper(config(closed, prefix))) {
      for (int i = 0; i < 2_000; i++) {
        down.offer(conn(i));
      }
    } // close() gives up after closeTimeout and spools the rest
    ShipperMetrics m;
    try (Shipper up = new Shipper(config(os.url(), prefix))) {
      m = up.metrics();
      assertThat(up.spoolEmpty()).isFalse();
      assertThat(up.awaitDrained(DRAIN)).as("drained: %s", m).isTrue();
    }
    assertThat(new OpenSearchHttp(os.url()).count(prefix + "-conn-*")).isEqualTo(2_000);
    assertThat(m.shipped.get()).isEqualTo(2_000);
  }

  @Test
  void tooManyRequestsAndServerErrorsAreRetriedNotLost(OpenSearchEndpoint os) throws Exception {
    String prefix = prefix();
    AtomicInteger bulkCalls = new AtomicInteger();
    HttpClient forward = HttpClient.newHttpClient();
    HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    proxy.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          int call = bulkCalls.incrementAndGet();
          int status;
          byte[] answer;
          if (call <= 4) {
            // what a busy cluster says: alternate 429 (write queue full) and 503
            status = call % 2 == 1 ? 429 : 503;
            answer = "{\"error\":\"busy\"}".getBytes(StandardCharsets.UTF_8);
          } else {
            try {
              HttpResponse<byte[]> r =
                  forward.send(
                      HttpRequest.newBuilder(os.url().resolve(ex.getRequestURI().toString()))
                          .header("Content-Type", "application/x-ndjson")
                          .method(
                              ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body))
                          .build(),
                      HttpResponse.BodyHandlers.ofByteArray());
              status = r.statusCode();
              answer = r.body();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              status = 502;
              answer = new byte[0];
            }
          }
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(status, answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    proxy.start();
    ShipperMetrics m;
    try (Shipper s =
        new Shipper(
            config(URI.create("http://127.0.0.1:" + proxy.getAddress().getPort()), prefix)
                .withQueue(10_000, 250, Duration.ofMillis(20)))) {
      m = s.metrics();
      for (int i = 0; i < 1_000; i++) {
        s.offer(conn(i));
      }
      assertThat(s.awaitDrained(DRAIN)).as("drained: %s", m).isTrue();
    } finally {
      proxy.stop(0);
    }
    assertThat(bulkCalls.get()).isGreaterThan(4);
    assertThat(m.failed.get()).isPositive();
    assertThat(m.shipped.get()).isEqualTo(1_000);
    assertThat(new OpenSearchHttp(os.url()).count(prefix + "-conn-*")).isEqualTo(1_000);
  }

  @Test
  void shippingTheSameRecordsTwiceKeepsOneCopy(OpenSearchEndpoint os) throws Exception {
    String prefix = prefix();
    ShipperMetrics m;
    try (Shipper s = new Shipper(config(os.url(), prefix))) {
      m = s.metrics();
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 1_000; i++) {
          s.offer(Doc.of(DataClass.CONN, DAY0 + i, "{\"seq\":" + i + "}"));
        }
        assertThat(s.awaitDrained(DRAIN)).as("drained: %s", m).isTrue();
      }
    }
    assertThat(new OpenSearchHttp(os.url()).count(prefix + "-conn-*")).isEqualTo(1_000);
    assertThat(m.shipped.get()).isEqualTo(1_000);
    assertThat(m.duplicate.get()).isEqualTo(1_000);
  }

  @Test
  void aRecordThatConflictsWithTheMappingIsDeadLettered(OpenSearchEndpoint os) throws Exception {
    String prefix = prefix();
    OpenSearchHttp http = new OpenSearchHttp(os.url());
    String index = DataClass.CONN.indexName(prefix, DAY0);
    http.call(
        "PUT", "/" + index, "{\"mappings\":{\"properties\":{\"orig_bytes\":{\"type\":\"long\"}}}}");
    List<Doc> docs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String bytes = i == 4 ? "\"lots\"" : Integer.toString(i * 100);
      docs.add(
          Doc.of(DataClass.CONN, DAY0 + i, "{\"seq\":" + i + ",\"orig_bytes\":" + bytes + "}"));
    }
    ShipperMetrics m;
    ShipperConfig cfg = config(os.url(), prefix);
    try (Shipper s = new Shipper(cfg)) {
      m = s.metrics();
      docs.forEach(s::offer);
      assertThat(s.awaitDrained(DRAIN)).as("drained: %s", m).isTrue();
    }
    assertThat(http.count(index)).isEqualTo(9);
    assertThat(m.shipped.get()).isEqualTo(9);
    assertThat(m.deadLettered.get()).isEqualTo(1);
    List<String> lines = Files.readAllLines(cfg.deadLetterFile());
    assertThat(lines).hasSize(1);
    JsonNode dl = JSON.readTree(lines.getFirst());
    assertThat(dl.path("id").asText()).isEqualTo(docs.get(4).id());
    assertThat(dl.path("index").asText()).isEqualTo(index);
    assertThat(dl.path("status").asInt()).isEqualTo(400);
    assertThat(dl.path("reason").asText()).contains("orig_bytes");
    assertThat(dl.path("source").asText()).isEqualTo(docs.get(4).json());
  }

  private static void waitFor(java.util.function.BooleanSupplier cond, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
