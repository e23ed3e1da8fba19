package dev.vigil.sensor.log;

import dev.vigil.common.schema.DataClass;
import dev.vigil.common.ship.Shipper;
import dev.vigil.sensor.analyzer.DnsSink;
import dev.vigil.sensor.analyzer.DnsTransaction;
import dev.vigil.sensor.flow.ConnRecord;
import java.io.Writer;
import java.nio.file.Path;

/**
 * Writes dns.log as JSON lines with Zeek's field names and order: ts, uid, id.orig_h, id.orig_p,
 * id.resp_h, id.resp_p, proto, trans_id, rtt, query, qclass, qclass_name, qtype, qtype_name, rcode,
 * rcode_name, AA, TC, RD, RA, Z, answers, TTLs, rejected. Unset fields are left out (rtt and rcode
 * without a reply, the question fields without a question, answers/TTLs when there are none). The
 * file is created at the first transaction. With a {@link Shipper}, every line is also a {@link
 * DataClass#DNS} document with the compact id of {@code uid@ts@trans_id}.
 */
public final class DnsLogWriter extends TransactionLogWriter implements DnsSink {
  public DnsLogWriter(Path file, long uidSeed, Shipper shipper) {
    this(file, uidSeed, shipper, null);
  }

  /** {@code sensorId}: put in front of every document id, as in {@link ConnLogWriter}, or null. */
  public DnsLogWriter(Path file, long uidSeed, Shipper shipper, String sensorId) {
    super(file, null, uidSeed, shipper, DataClass.DNS, sensorId);
  }

  public DnsLogWriter(Writer out, long uidSeed) {
    super(null, out, uidSeed, null, DataClass.DNS, null);
  }

  @Override
  public void onDns(DnsTransaction t, ConnRecord r) {
    StringBuilder b = begin(t.tsNanos(), r);
    b.append(",\"proto\":\"").append(t.tcp() ? "tcp" : "udp").append('"');
    b.append(",\"trans_id\":").append(t.transId());
    if (t.rttNanos() >= 0) {
      b.append(",\"rtt\":");
      appendInterval(b, t.rttNanos());
    }
    if (t.query() != null) {
      field(b, "query", t.query());
    }
    if (t.qclass() >= 0) {
      b.append(",\"qclass\":").append(t.qclass());
      field(b, "qclass_name", DnsTransaction.qclassName(t.qclass()));
      b.append(",\"qtype\":").append(t.qtype());
      field(b, "qtype_name", DnsTransaction.qtypeName(t.qtype()));
    }
    if (t.rcode() >= 0) {
      b.append(",\"rcode\":").append(t.rcode());
      field(b, "rcode_name", DnsTransaction.rcodeName(t.rcode()));
    }
    b.append(",\"AA\":").append(t.aa());
    b.append(",\"TC\":").append(t.tc());
    b.append(",\"RD\":").append(t.rd());
    b.append(",\"RA\":").append(t.ra());
    b.append(",\"Z\":").append(t.z());
    if (!t.answers().isEmpty()) {
      b.append(",\"answers\":[");
      for (int i = 0; i < t.answers().size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        Json.appendString(b, t.answers().get(i));
      }
      b.append("],\"TTLs\":[");
      for (int i = 0; i < t.ttls().size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(t.ttls().get(i)).append(".0");
      }
      b.append(']');
    }
    b.append(",\"rejected\":").append(t.rejected());
    end(t.tsNanos(), t.transId());
  }

  /** Seconds with 6 decimals, as Zeek prints intervals. */
  static void appendInterval(StringBuilder b, long nanos) {
    long micros = nanos / 1000;
    b.append(micros / 1_000_000).append('.');
    String f = Long.toString(micros % 1_000_000);
    for (int i = f.length(); i < 6; i++) {
      b.append('0');
    }
    b.append(f);
  }
}
