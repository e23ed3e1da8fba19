package dev.vigil.sensor.detect;

import dev.vigil.common.policy.Cidr;
import dev.vigil.sensor.flow.ConnRecord;
import dev.vigil.sensor.flow.Uids;
import dev.vigil.sensor.log.Json;

/**
 * The connection a fact was seen on, as the detectors need it: endpoints as 128-bit addresses (IPv4
 * mapped into IPv6, as the flow table keeps them), ports, protocol, time and Zeek uid. The engine
 * fills one instance per worker from each reported connection (no allocation); analyzers that call
 * the DNS/HTTP entry points build their own with {@link #of}.
 */
public final class FlowContext {
  /** When the fact was seen (epoch nanoseconds). */
  public long tsNanos;

  /** The conn.log uid, or null to derive it from {@link #uidSeq} and the engine's seed. */
  public String uid;

  public long uidSeq = -1;
  public long origHi;
  public long origLo;
  public int origPort;
  public long respHi;
  public long respLo;
  public int respPort;

  /** IP protocol number (6 TCP, 17 UDP, 1/58 ICMP). */
  public int proto;

  /** Fills this from a reported connection (time = the connection's start). */
  public FlowContext set(ConnRecord r) {
    tsNanos = r.startNanos;
    uid = null;
    uidSeq = r.uidSeq;
    origHi = r.origHi;
    origLo = r.origLo;
    origPort = r.origPort;
    respHi = r.respHi;
    respLo = r.respLo;
    respPort = r.respPort;
    proto = r.proto;
    return this;
  }

  /** A context from address literals, for callers outside the flow table (and tests). */
  public static FlowContext of(
      long tsNanos,
      String uid,
      String origIp,
      int origPort,
      String respIp,
      int respPort,
      int proto) {
    FlowContext c = new FlowContext();
    long[] o = Cidr.hiLo(origIp);
    long[] r = Cidr.hiLo(respIp);
    c.tsNanos = tsNanos;
    c.uid = uid;
    c.origHi = o[0];
    c.origLo = o[1];
    c.origPort = origPort;
    c.respHi = r[0];
    c.respLo = r[1];
    c.respPort = respPort;
    c.proto = proto;
    return c;
  }

  public String uid(long seed) {
    if (uid == null && uidSeq >= 0) {
      uid = Uids.uid(seed, uidSeq);
    }
    return uid;
  }

  static boolean isV4(long hi, long lo) {
    return hi == 0 && (lo & 0xffffffff00000000L) == Cidr.V4_MAPPED_LO_PREFIX;
  }

  public String origIp() {
    return ip(origHi, origLo);
  }

  public String respIp() {
    return ip(respHi, respLo);
  }

  static String ip(long hi, long lo) {
    StringBuilder b = new StringBuilder(40);
    Json.appendAddress(b, hi, lo, isV4(hi, lo));
    return b.toString();
  }

  /** A 4-byte (IPv4-mapped) or 16-byte address. */
  static byte[] bytes(long hi, long lo) {
    if (isV4(hi, lo)) {
      int a = (int) lo;
      return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    }
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (hi >>> (56 - 8 * i));
      b[i + 8] = (byte) (lo >>> (56 - 8 * i));
    }
    return b;
  }
}
