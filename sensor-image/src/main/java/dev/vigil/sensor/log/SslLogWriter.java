package dev.vigil.sensor.log;

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

/**
 * Writes ssl.log as JSON lines with Zeek's field names and order (ts, uid, id.orig_h, id.orig_p,
 * id.resp_h, id.resp_p, version, cipher, server_name, next_protocol, established) plus {@code ja3},
 * {@code ja3s} and {@code ja4}. Unset fields are left out, as Zeek does. The file is created at the
 * first session, so a run without TLS leaves no ssl.log.
 */
public final class SslLogWriter implements SslSink, Closeable {
  private final Path file;
  private Writer out;
  private final long uidSeed;
  private final StringBuilder sb = new StringBuilder(512);
  private long written;

  public SslLogWriter(Path file, long uidSeed) {
    this.file = file;
    this.uidSeed = uidSeed;
  }

  public SslLogWriter(Writer out, long uidSeed) {
    this.file = null;
    this.out = out;
    this.uidSeed = uidSeed;
  }

  public long written() {
    return written;
  }

  @Override
  public void onSsl(SslSession s, ConnRecord r) {
    StringBuilder b = sb;
    b.setLength(0);
    b.append("{\"ts\":");
    Json.appendSeconds(b, s.tsNanos != 0 ? s.tsNanos : r.startNanos);
    b.append(",\"uid\":\"");
    Uids.append(b, 'C', uidSeed, r.uidSeq);
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
    b.append("}\n");
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
