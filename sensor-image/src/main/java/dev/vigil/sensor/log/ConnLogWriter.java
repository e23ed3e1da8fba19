package dev.vigil.sensor.log;

import dev.vigil.common.schema.DataClass;
import dev.vigil.common.ship.Doc;
import dev.vigil.common.ship.Shipper;
import dev.vigil.sensor.decode.Decoder;
import dev.vigil.sensor.flow.ConnRecord;
import dev.vigil.sensor.flow.FlowSink;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes conn.log as JSON lines with Zeek's field names and order: ts, uid, id.orig_h, id.orig_p,
 * id.resp_h, id.resp_p, proto, service, duration, orig_bytes, resp_bytes, conn_state, missed_bytes,
 * history, orig_pkts, orig_ip_bytes, resp_pkts, resp_ip_bytes, vlan, inner_vlan. Like Zeek,
 * optional fields are left out when unset: duration/orig_bytes/resp_bytes only when the duration is
 * positive, history when non-empty, vlan/inner_vlan when tagged, service when an analyzer
 * recognised the protocol.
 *
 * <p>With a {@link Shipper}, every line is also offered to OpenSearch as a {@link DataClass#CONN}
 * document whose id is the compact id ({@link Doc#compactId}) of the natural key {@code uid@ts}, or
 * of {@code <sensor-id>:uid@ts} when the sensor has an identity (two sensors with the same uid seed
 * never share an id), so a replay or a re-read of the same capture never duplicates. The file stays
 * the local record of truth; records the shipper refuses (spool full) are counted in {@link
 * #shipRefused()}.
 */
public final class ConnLogWriter implements FlowSink, Closeable {
  /** The file as bytes (lines are ASCII; see {@link #writeLine}), or null with {@link #out}. */
  private final OutputStream os;

  private final Writer out;
  private final LineBuffer line = new LineBuffer();
  private final long uidSeed;
  private final Shipper shipper;
  private final String idPrefix;

  /** {@code ,"observer":{...}}: the sensor and link, added to shipped documents; or null. */
  private String observer;

  private final LongAdder shipRefused = new LongAdder();
  private long written;

  public ConnLogWriter(Path file, long uidSeed) throws IOException {
    this(file, uidSeed, null);
  }

  /**
   * @param shipper also offers every record to OpenSearch, or null for the file only
   */
  public ConnLogWriter(Path file, long uidSeed, Shipper shipper) throws IOException {
    this(file, uidSeed, shipper, null);
  }

  /**
   * @param sensorId this sensor's identity, put in front of every document id ({@code
   *     <sensorId>:uid@ts}), or null for {@code uid@ts}
   */
  public ConnLogWriter(Path file, long uidSeed, Shipper shipper, String sensorId)
      throws IOException {
    this.os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    this.out = null;
    this.uidSeed = uidSeed;
    this.shipper = shipper;
    this.idPrefix = sensorId == null ? "" : sensorId + ":";
  }

  public ConnLogWriter(Writer out, long uidSeed) {
    this(out, uidSeed, null);
  }

  public ConnLogWriter(Writer out, long uidSeed, Shipper shipper) {
    this(out, uidSeed, shipper, null);
  }

  public ConnLogWriter(Writer out, long uidSeed, Shipper shipper, String sensorId) {
    this.os = null;
    this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out, 1 << 16);
    this.uidSeed = uidSeed;
    this.shipper = shipper;
    this.idPrefix = sensorId == null ? "" : sensorId + ":";
  }

  /**
   * Names the sensor and the link it listens on in every shipped document, as the alerts do ({@code
   * observer.name}, {@code observer.ingress.interface.name}): what per-link views of the
   * connections group by. The file keeps Zeek's fields only. Either may be null; both null adds
   * nothing.
   */
  public ConnLogWriter observer(String sensorName, String link) {
    if (sensorName == null && link == null) {
      observer = null;
      return this;
    }
    StringBuilder o = new StringBuilder(",\"observer\":{\"type\":\"sensor\"");
    if (sensorName != null) {
      o.append(",\"name\":");
      Json.appendString(o, sensorName);
    }
    if (link != null) {
      o.append(",\"ingress\":{\"interface\":{\"name\":");
      Json.appendString(o, link);
      o.append("}}");
    }
    observer = o.append('}').toString();
    return this;
  }

  /** Records the shipper refused (queue and spool full); they are in the file only. */
  public long shipRefused() {
    return shipRefused.sum();
  }

  public long written() {
    return written;
  }

  @Override
  public void onConnection(ConnRecord r) {
    LineBuffer b = line;
    b.reset();
    b.append("{\"ts\":");
    int tsStart = b.length();
    b.appendSeconds(r.startNanos);
    int tsEnd = b.length();
    b.append(",\"uid\":\"");
    int uidStart = b.length();
    b.appendUid('C', uidSeed, r.uidSeq);
    int uidEnd = b.length();
    b.append("\",\"id.orig_h\":\"");
    b.appendAddress(r.origHi, r.origLo, r.ipVersion == 4);
    b.append("\",\"id.orig_p\":").append(r.origPort);
    b.append(",\"id.resp_h\":\"");
    b.appendAddress(r.respHi, r.respLo, r.ipVersion == 4);
    b.append("\",\"id.resp_p\":").append(r.respPort);
    b.append(",\"proto\":\"").append(protoName(r.proto)).append('"');
    if (r.service != null) {
      b.append(",\"service\":\"").append(r.service).append('"');
    }
    if (r.durationNanos > 0) {
      b.append(",\"duration\":");
      b.appendSeconds(r.durationNanos);
      b.append(",\"orig_bytes\":").append(r.origBytes);
      b.append(",\"resp_bytes\":").append(r.respBytes);
    }
    b.append(",\"conn_state\":\"").append(r.connState).append('"');
    b.append(",\"missed_bytes\":").append(r.missedBytes);
    if (!r.history.isEmpty()) {
      b.append(",\"history\":");
      b.appendJsonString(r.history);
    }
    b.append(",\"orig_pkts\":").append(r.origPkts);
    b.append(",\"orig_ip_bytes\":").append(r.origIpBytes);
    b.append(",\"resp_pkts\":").append(r.respPkts);
    b.append(",\"resp_ip_bytes\":").append(r.respIpBytes);
    if (r.vlan >= 0) {
      b.append(",\"vlan\":").append(r.vlan);
    }
    if (r.innerVlan >= 0) {
      b.append(",\"inner_vlan\":").append(r.innerVlan);
    }
    b.append('}');
    if (shipper != null) {
      String id =
          Doc.compactId(
              Math.floorDiv(r.startNanos, 1_000_000_000L),
              idPrefix + b.substring(uidStart, uidEnd) + "@" + b.substring(tsStart, tsEnd));
      String doc =
          observer == null
              ? b.substring(0, b.length())
              : b.substring(0, b.length() - 1) + observer + "}";
      if (shipper.offer(
              Doc.withId(DataClass.CONN, Math.floorDiv(r.startNanos, 1_000_000L), id, doc))
          == Shipper.Offer.REFUSED) {
        shipRefused.increment();
      }
    }
    b.append('\n');
    try {
      if (os != null) {
        b.writeTo(os);
      } else {
        out.append(b.substring(0, b.length()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    written++;
  }

  /**
   * Offers the line in {@code b} (without its newline) as a document whose id is the {@link
   * Doc#compactId compact id} of {@code <idPrefix>uid@ts}, uid and ts taken from the line as
   * written; counts a refusal.
   */
  static void ship(
      Shipper shipper,
      LongAdder refused,
      String idPrefix,
      DataClass dataClass,
      long epochMillis,
      StringBuilder b,
      int tsStart,
      int tsEnd,
      int uidStart,
      int uidEnd) {
    String id =
        Doc.compactId(
            Math.floorDiv(epochMillis, 1000L),
            idPrefix + b.substring(uidStart, uidEnd) + "@" + b.substring(tsStart, tsEnd));
    if (shipper.offer(Doc.withId(dataClass, epochMillis, id, b.toString()))
        == Shipper.Offer.REFUSED) {
      refused.increment();
    }
  }

  static String protoName(int proto) {
    return switch (proto) {
      case Decoder.PROTO_TCP -> "tcp";
      case Decoder.PROTO_UDP -> "udp";
      case Decoder.PROTO_ICMP, Decoder.PROTO_ICMPV6 -> "icmp";
      default -> "unknown_transport";
    };
  }

  @Override
  public void close() throws IOException {
    if (os != null) {
      os.close();
    } else {
      out.close();
    }
  }
}
