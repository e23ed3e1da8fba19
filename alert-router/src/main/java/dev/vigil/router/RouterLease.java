package dev.vigil.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of a pipeline's routers may send and save: a lease document ({@code _id} {@code lease}) in
 * {@code <prefix>-router-state}, written only with {@code if_seq_no}/{@code if_primary_term} so
 * that of two routers racing for it exactly one write wins.
 *
 * <p>The holder renews it at the start of every poll and again whenever less than a request's
 * timeout of it is left before a notification attempt or a state write; its lease runs for {@code
 * ttl} from the start of its last successful renewal, by its own monotonic clock. A router that
 * does not hold it reads the document and takes it over (again with {@code if_seq_no}) only after
 * seeing the same version of it for {@code ttl} by its own clock, or at once when the holder
 * released it. Wall clocks are never compared, so only the clocks' rates matter: a holder stops
 * sending before a standby can start, unless it is paused between its check and its send (the usual
 * limit of a lease, which the conditional cursor write in {@link StateStore} backs up: a fenced
 * router cannot commit a poll).
 *
 * <p>Not thread-safe: owned by the router thread.
 */
final class RouterLease {
  private static final Logger LOG = LoggerFactory.getLogger(RouterLease.class);
  static final String ID = "lease";

  /** The lease is held by another router, or was lost: send nothing, save nothing, reload. */
  static final class LostException extends IOException {
    LostException(String message) {
      super(message);
    }
  }

  private final OpenSearchClient os;
  private final String path;
  private final String owner;
  private final Duration ttl;
  private final LongSupplier nanos;

  private boolean held;
  private long seqNo = -1;
  private long primaryTerm = -1;
  private long validUntil;

  /** The version of another router's lease as first seen, and when (our clock). */
  private String seenOwner;

  private long seenSeqNo = -1;
  private long seenTerm = -1;
  private long seenAt;

  RouterLease(OpenSearchClient os, String index, String owner, Duration ttl, LongSupplier nanos) {
    this.os = os;
    this.path = "/" + index + "/_doc/" + ID;
    this.owner = owner;
    this.ttl = ttl;
    this.nanos = nanos;
  }

  boolean held() {
    return held;
  }

  /** The router holding the lease as last seen, or null when unknown or released. */
  String holder() {
    return held ? owner : seenOwner;
  }

  /**
   * At the start of a poll: renews the lease if held, otherwise takes it when it is free, released
   * or silent for its ttl. False when another router holds it.
   */
  boolean acquire() throws IOException, InterruptedException {
    if (held) {
      try {
        renew();
        return true;
      } catch (LostException e) {
        LOG.warn("alert router {} lost its lease: {}", owner, e.getMessage());
      }
    }
    OpenSearchClient.Response r = os.get(path);
    if (r.status() == 404) {
      seqNo = -1;
      return write(null, "created");
    }
    if (!r.ok()) {
      throw new IOException("GET lease: HTTP " + r.status());
    }
    JsonNode doc = r.json();
    long seq = doc.path("_seq_no").asLong();
    long term = doc.path("_primary_term").asLong();
    String current = doc.path("_source").path("owner").asText("");
    if (current.isEmpty() || current.equals(owner)) {
      seqNo = seq;
      primaryTerm = term;
      return write(null, current.isEmpty() ? "took the released" : "took back its own");
    }
    long now = nanos.getAsLong();
    if (seq != seenSeqNo || term != seenTerm || !current.equals(seenOwner)) {
      seenOwner = current;
      seenSeqNo = seq;
      seenTerm = term;
      seenAt = now;
      return false;
    }
    long theirs = Duration.ofMillis(doc.path("_source").path("ttl_ms").asLong(0)).toNanos();
    if (now - seenAt < Math.max(theirs, ttl.toNanos())) {
      return false;
    }
    seqNo = seq;
    primaryTerm = term;
    return write(current, "took over");
  }

  /**
   * Makes sure at least {@code budget} of the lease is left, renewing it if not.
   *
   * @throws LostException when it is not held or another router took it
   */
  void ensure(Duration budget) throws IOException, InterruptedException {
    if (!held) {
      throw new LostException("the lease is not held");
    }
    if (validUntil - nanos.getAsLong() >= budget.toNanos()) {
      return;
    }
    renew();
    if (validUntil - nanos.getAsLong() < budget.toNanos()) {
      throw new LostException("renewing the lease took too long to leave " + budget + " of it");
    }
  }

  /** Gives the lease up, so that a standby takes it at its next poll instead of after ttl. */
  void release() throws IOException, InterruptedException {
    if (!held) {
      return;
    }
    held = false;
    OpenSearchClient.Response r =
        os.put(
            path + "?if_seq_no=" + seqNo + "&if_primary_term=" + primaryTerm, body("").toString());
    if (r.ok()) {
      LOG.info("alert router {} released its lease", owner);
    } else if (r.status() != 409) {
      throw new IOException("releasing the lease: HTTP " + r.status());
    }
  }

  private void renew() throws IOException, InterruptedException {
    long start = nanos.getAsLong();
    OpenSearchClient.Response r =
        os.put(
            path + "?if_seq_no=" + seqNo + "&if_primary_term=" + primaryTerm,
            body(owner).toString());
    if (r.status() == 409) {
      held = false;
      throw new LostException("another router wrote the lease since our renewal");
    }
    if (!r.ok()) {
      throw new IOException("renewing the lease: HTTP " + r.status());
    }
    took(r, start);
  }

  /**
   * Creates the document (no version known) or overwrites the version last read; {@code from} is
   * the silent holder taken over from, or null.
   */
  private boolean write(String from, String how) throws IOException, InterruptedException {
    long start = nanos.getAsLong();
    String query =
        seqNo < 0 ? "?op_type=create" : "?if_seq_no=" + seqNo + "&if_primary_term=" + primaryTerm;
    OpenSearchClient.Response r = os.put(path + query, body(owner).toString());
    if (r.status() == 409) {
      seqNo = -1;
      return false;
    }
    if (!r.ok()) {
      throw new IOException("writing the lease: HTTP " + r.status());
    }
    took(r, start);
    seenOwner = null;
    seenSeqNo = -1;
    if (from == null) {
      LOG.info("alert router {} {} lease", owner, how);
    } else {
      LOG.info("alert router {} {} the lease from {}, silent for {}", owner, how, from, ttl);
    }
    return true;
  }

  private void took(OpenSearchClient.Response r, long start) throws IOException {
    JsonNode j = r.json();
    seqNo = j.path("_seq_no").asLong();
    primaryTerm = j.path("_primary_term").asLong();
    validUntil = start + ttl.toNanos();
    held = true;
  }

  private ObjectNode body(String who) {
    ObjectNode d = OpenSearchClient.JSON.createObjectNode();
    d.put("type", "lease");
    d.put("owner", who);
    d.put("ttl_ms", ttl.toMillis());
    d.put("renewed", Instant.now().toString());
    return d;
  }
}
