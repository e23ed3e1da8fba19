package dev.vigil.common.ship;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Ships {@link Doc}s to OpenSearch {@code _bulk} without ever losing one silently.
 *
 * <pre>
 *  producers ──offer()──► bounded queue ──► shipper thread ──► _bulk
 *      │ queue full                │ spool non-empty, or a send failed
 *      ▼                           ▼
 *    spool (disk, CRC, fsync) ◄────┘   replayed in order, head first, when OpenSearch answers
 *      │ spool full
 *      ▼
 *    REFUSED returned to the producer and counted (spool_full_refused_total)
 * </pre>
 *
 * <ul>
 *   <li><b>Never blocks on OpenSearch.</b> {@link #offer} is a queue insert; when the queue is full
 *       it appends to the spool (a write(2), no fsync, no network) and returns {@link
 *       Offer#SPOOLED}.
 *   <li><b>Order.</b> Records reach OpenSearch in the order they were offered: while anything is
 *       spooled, queued records go to the spool's tail and only the spool's head is sent; a direct
 *       batch is a contiguous prefix of the queue taken while the spool was empty, and if it fails
 *       it is prepended to the spool, ahead of anything spilled meanwhile.
 *   <li><b>Exactly once.</b> Every document has a deterministic id and is sent as {@code create},
 *       so a replay of something OpenSearch already has is a 409, counted as duplicate.
 *   <li><b>Rejections</b> for content go to {@link DeadLetters}; see {@link BulkClient}.
 *   <li><b>close()</b> stops accepting, keeps shipping for up to {@code closeTimeout}, then spools
 *       (and forces) whatever is left, so a restart replays it.
 * </ul>
 */
public final class Shipper implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Shipper.class.getName());

  /** What {@link #offer} did with the record. */
  public enum Offer {
    QUEUED,
    SPOOLED,
    /** Queue and spool full, or the shipper closed: the caller still owns the record. */
    REFUSED
  }

  private final ShipperConfig cfg;
  private final ShipperMetrics metrics = new ShipperMetrics();
  private final ArrayBlockingQueue<Doc> queue;
  private final Spool spool;
  private final DeadLetters deadLetters;
  private final BulkClient bulk;
  private final Thread thread;
  private volatile boolean accepting = true;
  private volatile boolean stop;
  private volatile boolean idle;
  private volatile String lastError;
  private volatile List<Doc> held; // a failed batch the spool could not take (disk error)
  private long lastRefusalLog;

  public Shipper(ShipperConfig cfg) throws IOException {
    this.cfg = cfg;
    this.queue = new ArrayBlockingQueue<>(cfg.queueCapacity());
    this.spool = new Spool(cfg.spoolDir(), cfg.spoolMaxBytes(), cfg.segmentBytes(), metrics);
    this.deadLetters = new DeadLetters(cfg.deadLetterFile());
    this.bulk = new BulkClient(cfg, metrics, deadLetters);
    this.thread = Thread.ofPlatform().name("vigil-shipper").daemon().unstarted(this::run);
    thread.start();
  }

  public ShipperMetrics metrics() {
    return metrics;
  }

  public ShipperConfig config() {
    return cfg;
  }

  /** The last failure talking to OpenSearch, or null since the last success. */
  public String lastError() {
    return lastError;
  }

  /** Hands a record over; never blocks on OpenSearch. */
  public Offer offer(Doc doc) {
    if (!accepting) {
      metrics.refused.incrementAndGet();
      return Offer.REFUSED;
    }
    if (queue.offer(doc)) {
      metrics.queued.incrementAndGet();
      return Offer.QUEUED;
    }
    synchronized (spool) {
      if (moveQueueToSpool() && spool.append(doc)) {
        metrics.spooled.incrementAndGet();
        return Offer.SPOOLED;
      }
      if (queue.offer(doc)) {
        metrics.queued.incrementAndGet();
        return Offer.QUEUED;
      }
    }
    metrics.refused.incrementAndGet();
    long now = System.nanoTime();
    if (now - lastRefusalLog > TimeUnit.SECONDS.toNanos(10)) {
      lastRefusalLog = now;
      LOG.log(
          Level.WARNING,
          "spool full ({0} bytes, bound {1}): refusing new records; {2} refused so far",
          spool.bytes(),
          cfg.spoolMaxBytes(),
          metrics.refused.get());
    }
    return Offer.REFUSED;
  }

  /**
   * Waits until everything offered so far reached a final state (shipped, duplicate or
   * dead-lettered) — queue and spool empty — or the timeout passes.
   */
  public boolean awaitDrained(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (idle && held == null && queue.isEmpty() && spool.isEmpty()) {
        return true;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    return false;
  }

  /** Records waiting in memory (a gauge). */
  public int queueDepth() {
    return queue.size();
  }

  public boolean spoolEmpty() {
    return spool.isEmpty();
  }

  @Override
  public void close() {
    accepting = false;
    awaitDrained(cfg.closeTimeout());
    stop = true;
    LockSupport.unpark(thread);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (spool) {
      if (held != null) {
        spool.prepend(held); // older than everything spooled since
        held = null;
      }
      List<Doc> rest = new ArrayList<>();
      queue.drainTo(rest);
      if (!rest.isEmpty()) {
        spool.appendUnbounded(rest);
        metrics.spooled.addAndGet(rest.size());
      }
      spool.close();
    }
    try {
      deadLetters.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "closing dead-letter file", e);
    }
  }

  /** Moves queued records to the spool's tail, in order; false if the spool filled up first. */
  private boolean moveQueueToSpool() {
    synchronized (spool) {
      Doc d;
      while ((d = queue.peek()) != null) {
        if (!spool.append(d)) {
          return false;
        }
        queue.poll();
        metrics.spooled.incrementAndGet();
      }
      return true;
    }
  }

  private void run() {
    long backoffNanos = 0;
    long nextAttempt = 0;
    while (!stop) {
      try {
        if (held != null) {
          spool.prepend(held); // throws again while the disk is still failing
          held = null;
          continue;
        }
        if (!spool.isEmpty()) {
          idle = false;
          moveQueueToSpool();
          spool.sync();
          if (System.nanoTime() < nextAttempt) {
            LockSupport.parkNanos(Math.min(nextAttempt - System.nanoTime(), lingerNanos()));
            continue;
          }
          boolean ok = replayHead();
          if (ok) {
            backoffNanos = 0;
          } else {
            backoffNanos = nextBackoff(backoffNanos);
            nextAttempt = System.nanoTime() + backoffNanos;
          }
          continue;
        }
        List<Doc> batch = takeBatch();
        if (batch == null) {
          continue;
        }
        BulkClient.Outcome out = bulk.send(batch);
        if (out.retry().isEmpty()) {
          lastError = null;
          backoffNanos = 0;
        } else {
          noteFailure(out);
          held = out.retry();
          spool.prepend(held);
          held = null;
          metrics.spooled.addAndGet(out.retry().size());
          backoffNanos = nextBackoff(backoffNanos);
          nextAttempt = System.nanoTime() + backoffNanos;
        }
      } catch (RuntimeException e) {
        // A disk error on the spool: keep running (records stay queued or held) and say so.
        lastError = e.toString();
        LOG.log(Level.ERROR, "shipper loop", e);
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
      }
    }
  }

  /**
   * A contiguous prefix of the queue, taken in one step while the spool is empty; null when nothing
   * arrived within the linger time or the spool became non-empty.
   */
  private List<Doc> takeBatch() {
    long deadline = System.nanoTime() + lingerNanos();
    while (queue.size() < cfg.batchDocs() && System.nanoTime() < deadline && !stop) {
      if (queue.isEmpty()) {
        idle = true;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(queue.isEmpty() ? 5 : 1));
      if (!spool.isEmpty()) {
        return null;
      }
    }
    List<Doc> batch = new ArrayList<>(Math.min(queue.size(), cfg.batchDocs()));
    synchronized (spool) {
      if (!spool.isEmpty()) {
        return null;
      }
      if (!queue.isEmpty()) {
        idle = false; // before the queue looks empty, so awaitDrained never sees a gap
      }
      queue.drainTo(batch, cfg.batchDocs());
    }
    if (batch.isEmpty()) {
      idle = true;
      return null;
    }
    return batch;
  }

  /** Sends the spool's head batch (retrying its failed items) and commits it; false on failure. */
  private boolean replayHead() {
    Spool.Batch b = spool.read(cfg.batchDocs(), cfg.batchBytes());
    BulkClient.Outcome out = bulk.send(b.docs());
    if (!out.retry().isEmpty()) {
      noteFailure(out);
      if (out.retry().size() < b.docs().size()) {
        // Partly through: resend only the failed ones before committing the batch.
        List<Doc> pending = out.retry();
        long backoff = 0;
        while (!pending.isEmpty() && !stop) {
          backoff = nextBackoff(backoff);
          LockSupport.parkNanos(backoff);
          BulkClient.Outcome again = bulk.send(pending);
          if (!again.retry().isEmpty()) {
            noteFailure(again);
          }
          pending = again.retry();
        }
        if (!pending.isEmpty()) {
          return false; // stopping: the whole batch replays next start, duplicates are 409s
        }
      } else {
        return false;
      }
    }
    lastError = null;
    spool.commit(b);
    return true;
  }

  private void noteFailure(BulkClient.Outcome out) {
    if (lastError == null || !lastError.equals(out.error())) {
      LOG.log(
          Level.WARNING,
          "OpenSearch bulk failed for {0} records, spooling/retrying: {1}",
          out.retry().size(),
          out.error());
    }
    lastError = out.error();
  }

  private long lingerNanos() {
    return Math.max(cfg.linger().toNanos(), TimeUnit.MILLISECONDS.toNanos(1));
  }

  private long nextBackoff(long current) {
    long min = cfg.backoffMin().toNanos();
    long max = cfg.backoffMax().toNanos();
    return current == 0 ? min : Math.min(max, current * 2);
  }
}
