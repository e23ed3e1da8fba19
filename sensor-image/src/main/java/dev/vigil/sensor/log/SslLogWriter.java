package dev.vigil.sensor.log;

import dev.vigil.common.schema.DataClass;
import dev.vigil.common.ship.Shipper;
import dev.vigil.sensor.analyzer.SslSession;
import dev.vigil.sensor.analyzer.SslSink;
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
 * Writes ssl.log as JSON lines with Zeek's field names and order (ts, uid, id.orig_h, id.orig_p,
 * id.resp_h, id.resp_p, version, cipher, server_name, next_protocol, established) plus {@code ja3},
 * {@code ja3s} and {@code ja4}. Unset fields are left out, as Zeek does. The file is created at the
 * first session, so a run without TLS leaves no ssl.log.
 *
 * <p>With a {@link Shipper}, every line is also offered as a {@link DataClass#SSL} document with
 * the compact id of {@code uid@ts} or {@code <sensor-id>:uid@ts} (see {@link ConnLogWriter}); the
 * file stays the local record of truth.
 */
public final class SslLogWriter implements SslSink, Closeable {
  private final Path file;
  private Writer out;
  private final long uidSeed;
  private final StringBuilder sb = new StringBuilder(512);
  private final Shipper shipper;
  private final String idPrefix;
  private final LongAdder shipRefused = new LongAdder();
  private long written;

  public SslLogWriter(Path file, long uidSeed) {
    this(file, uidSeed, null);
  }

  /**
   * @param shipper also offers every record to OpenSearch, or null for the file only
   */
  public SslLogWriter(Path file, long uidSeed, Shipper shipper) {
    this(file, uidSeed, shipper, null);
  }

  /**
   * @param sensorId put in front of every document id, as in {@link ConnLogWriter}, or null
   */
  public SslLogWriter(Path file, long uidSeed, Shipper shipper, String sensorId) {
    this.file = file;
    this.uidSeed = uidSeed;
    this.shipper = shipper;
    this.idPrefix = sensorId == null ? "" : sensorId + ":";
  }

  public SslLogWriter(Writer out, long uidSeed) {
    this.file = null;
    this.out = out;
    this.uidSeed = uidSeed;
    this.shipper = null;
    this.idPrefix = "";
  }

  /** Records the shipper refused (queue and spool full); they are in the file only. */
  public long shipRefused() {
    return shipRefused.sum();
  }

  public long written() {
    return written;
  }

  @Override
  public void onSsl(SslSession s, ConnRecord r) {
    StringBuilder b = sb;
    b.setLength(0);
    long tsNanos = s.tsNanos != 0 ? s.tsNanos : r.startNanos;
    b.append("{\"ts\":");
    int tsStart = b.length();
    Json.appendSeconds(b, tsNanos);
    int tsEnd = b.length();
    b.append(",\"uid\":\"");
    int uidStart = b.length();
    Uids.append(b, 'C', uidSeed, r.uidSeq);
    int uidEnd = b.length();
    b.append("\",\"id.orig_h\":\"");
    Json.appendAddress(b, r.origHi, r.origLo, r.ipVersion == 4);
    b.append("\",\"id.orig_p\":").append(r.origPort);
    b.append(",\"id.resp_h\":\"");
    Json.appendAddress(b, r.respHi, r.respLo, r.ipVersion == 4);
    b.append("\",\"id.resp_p\":").append(r.respPort);
    field(b, "version", s.version);
    field(b, "cipher", s.cipher);
    field(b, "server_name", s.serverName);
    field(b, "next_protocol", s.nextProtocol);
    b.append(",\"established\":").append(s.established);
    field(b, "ja3", s.ja3);
    field(b, "ja3s", s.ja3s);
    field(b, "ja4", s.ja4);
    b.append('}');
    if (shipper != null) {
      ConnLogWriter.ship(
          shipper,
          shipRefused,
          idPrefix,
          DataClass.SSL,
          Math.floorDiv(tsNanos, 1_000_000L),
          b,
          tsStart,
          tsEnd,
          uidStart,
          uidEnd);
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

  private static void field(StringBuilder b, String name, String v) {
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
