package dev.vigil.sensor.log;

import dev.vigil.common.schema.DataClass;
import dev.vigil.common.ship.Doc;
import dev.vigil.common.ship.Shipper;
import dev.vigil.sensor.flow.ConnRecord;
import dev.vigil.sensor.flow.Uids;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * Common part of the per-transaction logs (dns.log, http.log): several lines per connection, so the
 * shipped document id is the compact id ({@code Doc.compactId}) of {@code uid@ts@<n>} with {@code
 * n} the transaction id or depth, prefixed {@code <sensor-id>:} when the sensor has an identity
 * (see {@link ConnLogWriter}). The file is created at the first line.
 */
abstract class TransactionLogWriter implements Closeable {
  private final Path file;
  private Writer out;
  private final long uidSeed;
  private final Shipper shipper;
  private final DataClass dataClass;
  private final String idPrefix;
  private final LongAdder shipRefused = new LongAdder();
  private long written;
  final StringBuilder sb = new StringBuilder(512);
  private int tsStart;
  private int tsEnd;
  private int uidStart;
  private int uidEnd;

  TransactionLogWriter(
      Path file, Writer out, long uidSeed, Shipper shipper, DataClass dc, String sensorId) {
    this.file = file;
    this.out = out;
    this.uidSeed = uidSeed;
    this.shipper = shipper;
    this.dataClass = dc;
    this.idPrefix = sensorId == null ? "" : sensorId + ":";
  }

  /** Records the shipper refused (queue and spool full); they are in the file only. */
  public long shipRefused() {
    return shipRefused.sum();
  }

  public long written() {
    return written;
  }

  /** Starts a line: ts, uid and the connection's endpoints. */
  final StringBuilder begin(long tsNanos, ConnRecord r) {
    StringBuilder b = sb;
    b.setLength(0);
    b.append("{\"ts\":");
    tsStart = b.length();
    Json.appendSeconds(b, tsNanos);
    tsEnd = b.length();
    b.append(",\"uid\":\"");
    uidStart = b.length();
    Uids.append(b, 'C', uidSeed, r.uidSeq);
    uidEnd = b.length();
    b.append("\",\"id.orig_h\":\"");
    Json.appendAddress(b, r.origHi, r.origLo, r.ipVersion == 4);
    b.append("\",\"id.orig_p\":").append(r.origPort);
    b.append(",\"id.resp_h\":\"");
    Json.appendAddress(b, r.respHi, r.respLo, r.ipVersion == 4);
    b.append("\",\"id.resp_p\":").append(r.respPort);
    return b;
  }

  /** Ends the line started by {@link #begin}, ships it and writes it. */
  final void end(long tsNanos, long idSuffix) {
    StringBuilder b = sb;
    b.append('}');
    if (shipper != null) {
      String id =
          Doc.compactId(
              Math.floorDiv(tsNanos, 1_000_000_000L),
              idPrefix
                  + b.substring(uidStart, uidEnd)
                  + "@"
                  + b.substring(tsStart, tsEnd)
                  + "@"
                  + idSuffix);
      if (shipper.offer(Doc.withId(dataClass, Math.floorDiv(tsNanos, 1_000_000L), id, b.toString()))
          == Shipper.Offer.REFUSED) {
        shipRefused.increment();
      }
    }
    b.append('\n');
    try {
      if (out == null) {
        out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
      }
      out.append(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    written++;
  }

  static void field(StringBuilder b, String name, String v) {
    if (v != null) {
      b.append(",\"").append(name).append("\":");
      Json.appendString(b, v);
    }
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
    }
  }
}
