package dev.vigil.sensor.testutil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds DNS messages byte by byte (RFC 1035), with compression pointers where a test asks for
 * them: {@code new DnsMsg(id, flags).question("a.example", 1).answerPtr(12, 1, 300,
 * DnsMsg.a("192.0.2.1")).bytes()}.
 */
public final class DnsMsg {
  public static final int QUERY_RD = 0x0100;
  public static final int RESPONSE = 0x8180; // QR, RD, RA, NOERROR
  public static final int AA = 0x0400;
  public static final int TC = 0x0200;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final int flags;
  private final int id;
  private int qd;
  private int an;
  private int ns;
  private int ar;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();

  public DnsMsg(int id, int flags) {
    this.id = id;
    this.flags = flags;
  }

  /** Offset the next byte of the body will have in the message. */
  public int offset() {
    return 12 + body.size();
  }

  public DnsMsg question(String name, int qtype) {
    body.writeBytes(name(name));
    u16(qtype);
    u16(1);
    qd++;
    return this;
  }

  /** An answer whose owner name is a pointer to {@code ptr}. */
  public DnsMsg answerPtr(int ptr, int type, int ttl, byte[] rdata) {
    u16(0xc000 | ptr);
    return rr(type, ttl, rdata, true);
  }

  public DnsMsg answer(String owner, int type, int ttl, byte[] rdata) {
    body.writeBytes(name(owner));
    return rr(type, ttl, rdata, true);
  }

  /** An authority record (e.g. the SOA of an NXDOMAIN). */
  public DnsMsg authority(int ptr, int type, int ttl, byte[] rdata) {
    u16(0xc000 | ptr);
    return rr(type, ttl, rdata, false);
  }

  /** An EDNS OPT pseudo-record in the additional section. */
  public DnsMsg opt() {
    body.write(0);
    u16(41);
    u16(1232);
    u16(0);
    u16(0);
    u16(0);
    ar++;
    return this;
  }

  private DnsMsg rr(int type, int ttl, byte[] rdata, boolean answer) {
    u16(type);
    u16(1);
    u16(ttl >>> 16);
    u16(ttl & 0xffff);
    u16(rdata.length);
    body.writeBytes(rdata);
    if (answer) {
      an++;
    } else {
      ns++;
    }
    return this;
  }

  /** Raw counts override (for malformed messages). */
  public byte[] bytesWithCounts(int qd, int an, int ns, int ar) {
    out.reset();
    u16(out, id);
    u16(out, flags);
    u16(out, qd);
    u16(out, an);
    u16(out, ns);
    u16(out, ar);
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  public byte[] bytes() {
    return bytesWithCounts(qd, an, ns, ar);
  }

  /** The message with DNS-over-TCP's two-byte length in front. */
  public byte[] tcp() {
    byte[] m = bytes();
    return Frames.concat(Frames.u16(m.length), m);
  }

  private void u16(int v) {
    u16(body, v);
  }

  private static void u16(ByteArrayOutputStream o, int v) {
    o.write(v >>> 8);
    o.write(v & 0xff);
  }

  /** {@code a.example} as labels ending with the root. */
  public static byte[] name(String dotted) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (String label : dotted.split("\\.")) {
      if (label.isEmpty()) {
        continue;
      }
      byte[] l = label.getBytes(StandardCharsets.US_ASCII);
      o.write(l.length);
      o.writeBytes(l);
    }
    o.write(0);
    return o.toByteArray();
  }

  /** Labels of {@code prefix} followed by a pointer to {@code ptr}. */
  public static byte[] nameThenPtr(String prefix, int ptr) {
    byte[] n = name(prefix);
    byte[] r = new byte[n.length + 1];
    System.arraycopy(n, 0, r, 0, n.length - 1);
    r[n.length - 1] = (byte) (0xc0 | (ptr >>> 8));
    r[n.length] = (byte) ptr;
    return r;
  }

  public static byte[] a(String ip) {
    return Frames.addr(ip);
  }

  public static byte[] mx(int pref, byte[] name) {
    return Frames.concat(Frames.u16(pref), name);
  }

  public static byte[] txt(String... strings) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (String s : strings) {
      byte[] b = s.getBytes(StandardCharsets.US_ASCII);
      o.write(b.length);
      o.writeBytes(b);
    }
    return o.toByteArray();
  }

  public static byte[] soa(byte[] mname, byte[] rname) {
    return Frames.concat(mname, rname, new byte[20]);
  }
}
