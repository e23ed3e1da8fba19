package dev.vigil.common.ship;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shipper's counters, all monotonic record counts except {@code spoolBytes}. Export them with
 * whatever the process uses (the sensor's and agent's Prometheus endpoints) via {@link
 * #snapshot()}; names are the Prometheus ones without the {@code vigil_ship_} prefix.
 *
 * <p>Every offered record ends in exactly one of: shipped, duplicate, deadLettered, refused (spool
 * full, returned to the caller), or is still queued/spooled. {@code failed} counts records in bulk
 * attempts that failed and will be retried (not a final state).
 */
public final class ShipperMetrics {
  /** Records accepted into the in-memory queue. */
  public final AtomicLong queued = new AtomicLong();

  /** Records written to the disk spool (outage, back-pressure or retry). */
  public final AtomicLong spooled = new AtomicLong();

  /** Records OpenSearch created. */
  public final AtomicLong shipped = new AtomicLong();

  /** Records OpenSearch already had under the same id (a retry after an unacknowledged send). */
  public final AtomicLong duplicate = new AtomicLong();

  /** Records in bulk attempts that failed (unreachable, 429, 5xx) and were kept for retry. */
  public final AtomicLong failed = new AtomicLong();

  /** Records OpenSearch rejected for their content, written to the dead-letter file. */
  public final AtomicLong deadLettered = new AtomicLong();

  /** Records refused because both the queue and the spool were full ("spool full"). */
  public final AtomicLong refused = new AtomicLong();

  /** Spool records skipped on replay because their CRC did not match (torn by a crash). */
  public final AtomicLong tornRecords = new AtomicLong();

  /** Bytes currently in the spool's segment files. */
  public final AtomicLong spoolBytes = new AtomicLong();

  /** Bulk requests sent. */
  public final AtomicLong bulkRequests = new AtomicLong();

  public Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("queued_total", queued.get());
    m.put("spooled_total", spooled.get());
    m.put("shipped_total", shipped.get());
    m.put("duplicate_total", duplicate.get());
    m.put("failed_total", failed.get());
    m.put("dead_lettered_total", deadLettered.get());
    m.put("spool_full_refused_total", refused.get());
    m.put("spool_torn_records_total", tornRecords.get());
    m.put("spool_bytes", spoolBytes.get());
    m.put("bulk_requests_total", bulkRequests.get());
    return m;
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }
}
