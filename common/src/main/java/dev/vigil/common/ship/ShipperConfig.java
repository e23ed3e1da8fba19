package dev.vigil.common.ship;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Shipper settings. {@link #defaults(Supplier, Path)} gives production values; tests and the
 * sensor/agent CLIs override with the {@code with*} copies.
 *
 * @param endpoint OpenSearch base URL, asked again before every request (so a list of nodes or a
 *     changed address takes effect without a restart)
 * @param indexPrefix index names are {@code <prefix>-<class>-YYYY.MM.DD}
 * @param dataDir holds {@code spool/} and {@code dead-letter.jsonl}
 * @param queueCapacity records held in memory before producers spill to the spool
 * @param batchDocs most documents per {@code _bulk} request
 * @param batchBytes about the most source bytes per {@code _bulk} request
 * @param linger how long a partial batch waits for more records
 * @param spoolMaxBytes spool bound ("spool full" above it: the newest record is refused)
 * @param segmentBytes spool segment size
 * @param backoffMin first retry delay after a failed request, doubled up to {@code backoffMax}
 * @param closeTimeout how long {@code close()} keeps trying to ship before spooling the rest
 * @param authorization an {@code Authorization} header value (e.g. {@code Basic ...}) or null
 * @param sslContext for https with a private CA, or null for the JDK default
 */
public record ShipperConfig(
    Supplier<URI> endpoint,
    String indexPrefix,
    Path dataDir,
    int queueCapacity,
    int batchDocs,
    long batchBytes,
    Duration linger,
    long spoolMaxBytes,
    long segmentBytes,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration backoffMin,
    Duration backoffMax,
    Duration closeTimeout,
    String authorization,
    SSLContext sslContext) {

  public ShipperConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(indexPrefix, "indexPrefix");
    Objects.requireNonNull(dataDir, "dataDir");
    if (queueCapacity < 1 || batchDocs < 1 || batchBytes < 1 || spoolMaxBytes < 1) {
      throw new IllegalArgumentException("capacities must be positive");
    }
  }

  public static ShipperConfig defaults(Supplier<URI> endpoint, Path dataDir) {
    return new ShipperConfig(
        endpoint,
        "vigil",
        dataDir,
        65_536,
        5_000,
        8L << 20,
        Duration.ofMillis(200),
        1L << 30,
        64L << 20,
        Duration.ofSeconds(5),
        Duration.ofSeconds(60),
        Duration.ofMillis(250),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        null,
        null);
  }

  public Path spoolDir() {
    return dataDir.resolve("spool");
  }

  public Path deadLetterFile() {
    return dataDir.resolve("dead-letter.jsonl");
  }

  public ShipperConfig withIndexPrefix(String v) {
    return new ShipperConfig(
        endpoint,
        v,
        dataDir,
        queueCapacity,
        batchDocs,
        batchBytes,
        linger,
        spoolMaxBytes,
        segmentBytes,
        connectTimeout,
        requestTimeout,
        backoffMin,
        backoffMax,
        closeTimeout,
        authorization,
        sslContext);
  }

  public ShipperConfig withQueue(int capacity, int docsPerBatch, Duration lingerFor) {
    return new ShipperConfig(
        endpoint,
        indexPrefix,
        dataDir,
        capacity,
        docsPerBatch,
        batchBytes,
        lingerFor,
        spoolMaxBytes,
        segmentBytes,
        connectTimeout,
        requestTimeout,
        backoffMin,
        backoffMax,
        closeTimeout,
        authorization,
        sslContext);
  }

  public ShipperConfig withSpool(long maxBytes, long segmentSize) {
    return new ShipperConfig(
        endpoint,
        indexPrefix,
        dataDir,
        queueCapacity,
        batchDocs,
        batchBytes,
        linger,
        maxBytes,
        segmentSize,
        connectTimeout,
        requestTimeout,
        backoffMin,
        backoffMax,
        closeTimeout,
        authorization,
        sslContext);
  }

  public ShipperConfig withBackoff(Duration min, Duration max) {
    return new ShipperConfig(
        endpoint,
        indexPrefix,
        dataDir,
        queueCapacity,
        batchDocs,
        batchBytes,
        linger,
        spoolMaxBytes,
        segmentBytes,
        connectTimeout,
        requestTimeout,
        min,
        max,
        closeTimeout,
        authorization,
        sslContext);
  }

  public ShipperConfig withSecurity(String authorizationHeader, SSLContext ssl) {
    return new ShipperConfig(
        endpoint,
        indexPrefix,
        dataDir,
        queueCapacity,
        batchDocs,
        batchBytes,
        linger,
        spoolMaxBytes,
        segmentBytes,
        connectTimeout,
        requestTimeout,
        backoffMin,
        backoffMax,
        closeTimeout,
        authorizationHeader,
        ssl);
  }

  public ShipperConfig withCloseTimeout(Duration v) {
    return new ShipperConfig(
        endpoint,
        indexPrefix,
        dataDir,
        queueCapacity,
        batchDocs,
        batchBytes,
        linger,
        spoolMaxBytes,
        segmentBytes,
        connectTimeout,
        requestTimeout,
        backoffMin,
        backoffMax,
        v,
        authorization,
        sslContext);
  }

  /** Never prints the authorization header. */
  @Override
  public String toString() {
    return "ShipperConfig[endpoint="
        + endpoint.get()
        + ", indexPrefix="
        + indexPrefix
        + ", dataDir="
        + dataDir
        + ", queueCapacity="
        + queueCapacity
        + ", batchDocs="
        + batchDocs
        + ", spoolMaxBytes="
        + spoolMaxBytes
        + ", authorization="
        + (authorization == null ? "none" : "***")
        + "]";
  }
}
