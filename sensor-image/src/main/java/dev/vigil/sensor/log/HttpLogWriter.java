package dev.vigil.sensor.log;

import dev.vigil.common.schema.DataClass;
import dev.vigil.common.ship.Shipper;
import dev.vigil.sensor.analyzer.HttpSink;
import dev.vigil.sensor.analyzer.HttpTransaction;
import dev.vigil.sensor.flow.ConnRecord;
import java.io.Writer;
import java.nio.file.Path;

/**
 * Writes http.log as JSON lines with Zeek's field names and order: ts, uid, id.orig_h, id.orig_p,
 * id.resp_h, id.resp_p, trans_depth, method, host, uri, referrer, version, user_agent,
 * request_body_len, response_body_len, status_code, status_msg. Unset fields are left out. The file
 * is created at the first transaction. With a {@link Shipper}, every line is also a {@link
 * DataClass#HTTP} document with the compact id of {@code uid@ts@trans_depth}.
 */
public final class HttpLogWriter extends TransactionLogWriter implements HttpSink {
  public HttpLogWriter(Path file, long uidSeed, Shipper shipper) {
    this(file, uidSeed, shipper, null);
  }

  /** {@code sensorId}: put in front of every document id, as in {@link ConnLogWriter}, or null. */
  public HttpLogWriter(Path file, long uidSeed, Shipper shipper, String sensorId) {
    super(file, null, uidSeed, shipper, DataClass.HTTP, sensorId);
  }

  public HttpLogWriter(Writer out, long uidSeed) {
    super(null, out, uidSeed, null, DataClass.HTTP, null);
  }

  @Override
  public void onHttp(HttpTransaction t, ConnRecord r) {
    StringBuilder b = begin(t.tsNanos(), r);
    b.append(",\"trans_depth\":").append(t.transDepth());
    field(b, "method", t.method());
    field(b, "host", t.host());
    field(b, "uri", t.uri());
    field(b, "referrer", t.referrer());
    field(b, "version", t.version());
    field(b, "user_agent", t.userAgent());
    b.append(",\"request_body_len\":").append(t.requestBodyLen());
    b.append(",\"response_body_len\":").append(t.responseBodyLen());
    if (t.statusCode() >= 0) {
      b.append(",\"status_code\":").append(t.statusCode());
    }
    field(b, "status_msg", t.statusMsg());
    end(t.tsNanos(), t.transDepth());
  }
}
