package dev.vigil.sensor.analyzer;

import dev.vigil.sensor.decode.Weirds;
import dev.vigil.sensor.flow.ConnRecord;
import dev.vigil.sensor.flow.FlowObserver;
import dev.vigil.sensor.tls.ClientHello;
import dev.vigil.sensor.tls.HelloParser;
import dev.vigil.sensor.tls.Ja3;
import dev.vigil.sensor.tls.Ja3s;
import dev.vigil.sensor.tls.Ja4;
import dev.vigil.sensor.tls.ServerHello;
import dev.vigil.sensor.tls.TlsNames;

/**
 * Content analysis of TCP connections, by content on any port. A connection gets a {@link
 * StreamArena} slot at its first payload byte; the first direction with a contiguous prefix decides
 * what it is: a TLS ClientHello (that side is the client), an SSLv2 hello, or a Stratum mining
 * request ({@link Stratum}). Anything else releases the slot at once, so ordinary connections cost
 * one look at their first bytes. The slot is released as soon as both directions are done (hello
 * parsed and the client's ChangeCipherSpec/application data seen), when the connection is bypassed,
 * or when it ends.
 *
 * <p>Parsers emit facts ({@link ClientHello}, {@link ServerHello}); fingerprints ({@link Ja3},
 * {@link Ja3s}, {@link Ja4}) consume them here and the results wait in the flow's {@link
 * SslSession} until the connection is reported. Per flow this keeps 6 bytes of state and a
 * reference to a reusable {@link SslSession}; everything else lives with the stream slot while the
 * connection is being analyzed. One instance per worker, single-threaded.
 */
public final class Analyzers implements FlowObserver {
  static final byte NEW = 0;
  static final byte ACTIVE = 1;
  static final byte DONE = 2;

  static final byte SVC_NONE = 0;
  static final byte SVC_SSL = 1;
  static final byte SVC_STRATUM = 2;

  private static final int ORIG = 0;
  private static final int RESP = 1;

  private final Weirds weirds;
  private final SslSink sslSink;
  private final StreamArena arena;
  private final HelloParser parser;
  private final Ja3 ja3 = new Ja3();
  private final Ja3s ja3s = new Ja3s();
  private final Ja4 ja4 = new Ja4();
  private final Stratum stratum = new Stratum();

  private final byte[] state;
  private final int[] slotOf;
  private final byte[] service;

  // Per stream slot (only while a connection is being analyzed):
  /** -1 undecided, else the client's direction. */
  private final byte[] clientDir;

  /** Bit per direction: nothing more to learn from it. */
  private final byte[] dirDone;

  /** Client direction: stream offset of the next record to look at after the ClientHello. */
  private final int[] clientScan;

  private final SslSession[] sessions;

  public Analyzers(int maxFlows, int streamSlots, Weirds weirds, SslSink sslSink) {
    this.weirds = weirds;
    this.sslSink = sslSink;
    this.arena = new StreamArena(streamSlots);
    this.parser = new HelloParser(weirds, StreamArena.CAP);
    int n = Math.max(1, maxFlows);
    state = new byte[n];
    slotOf = new int[n];
    service = new byte[n];
    int slots = arena.capacity();
    clientDir = new byte[slots];
    dirDone = new byte[slots];
    clientScan = new int[slots];
    sessions = new SslSession[n];
  }

  public StreamArena arena() {
    return arena;
  }

  @Override
  public void onTcpPayload(
      int f, boolean isOrig, long rel, byte[] buf, int off, int len, long tsNanos) {
    byte st = state[f];
    if (st == DONE) {
      return;
    }
    if (st == NEW) {
      int slot = arena.acquire();
      if (slot < 0) {
        weirds.inc(Weirds.STREAM_BUFFERS_EXHAUSTED);
        state[f] = DONE;
        return;
      }
      slotOf[f] = slot;
      state[f] = ACTIVE;
      clientDir[slot] = -1;
      dirDone[slot] = 0;
      clientScan[slot] = 0;
    }
    int dir = isOrig ? ORIG : RESP;
    if ((dirDone[slotOf[f]] & (1 << dir)) != 0) {
      return;
    }
    int have = arena.add(slotOf[f], dir, rel, buf, off, len);
    if (have == StreamArena.DROPPED) {
      weirds.inc(Weirds.TCP_PREFIX_SEGMENT_DROPPED);
      return;
    }
    if (have > 0) {
      analyze(f, dir, have, tsNanos);
    }
  }

  private void analyze(int f, int dir, int have, long ts) {
    int slot = slotOf[f];
    byte[] b = arena.buffer(slot, dir);
    boolean full = have >= StreamArena.CAP;
    if (clientDir[slotOf[f]] < 0) {
      int r = parser.parse(b, have, full, HelloParser.TYPE_CLIENT_HELLO);
      switch (r) {
        case HelloParser.NEED_MORE -> {}
        case HelloParser.HELLO -> {
          clientDir[slotOf[f]] = (byte) dir;
          service[f] = SVC_SSL;
          onClientHello(f, ts);
          clientScan[slotOf[f]] = parser.consumed;
          scanClient(f, dir, b, have);
          int other = dir ^ 1;
          int otherHave = arena.contiguous(slot, other);
          if (otherHave > 0) {
            analyzeServer(f, other, arena.buffer(slot, other), otherHave);
          }
          if (dirDone[slot] == 3) {
            finish(f);
          }
        }
        case HelloParser.SSLV2_HELLO -> {
          service[f] = SVC_SSL;
          SslSession s = session(f);
          s.tsNanos = ts;
          s.sslv2 = true;
          s.version = "SSLv2";
          finish(f);
        }
        default -> {
          int other = dir ^ 1;
          if (r == HelloParser.NOT_TLS
              && (b[0] & 0xff) == 22
              && arena.contiguous(slot, other) == 0) {
            return; // maybe the server's hello captured first: wait for the other side
          }
          int s = stratum.classify(b, have, full);
          if (s == Stratum.NEED_MORE) {
            return;
          }
          if (s == Stratum.MINING) {
            service[f] = SVC_STRATUM;
          }
          finish(f);
        }
      }
      return;
    }
    if (dir == clientDir[slotOf[f]]) {
      scanClient(f, dir, b, have);
    } else {
      analyzeServer(f, dir, b, have);
    }
    if (dirDone[slotOf[f]] == 3) {
      finish(f);
    }
  }

  private void analyzeServer(int f, int dir, byte[] b, int have) {
    int r = parser.parse(b, have, have >= StreamArena.CAP, HelloParser.TYPE_SERVER_HELLO);
    if (r == HelloParser.NEED_MORE) {
      return;
    }
    if (r == HelloParser.HELLO) {
      ServerHello h = parser.server;
      SslSession s = session(f);
      s.serverHello = true;
      s.version = TlsNames.version(h.negotiatedVersion());
      s.cipher = TlsNames.cipher(h.cipher);
      s.nextProtocol = h.alpnLength > 0 ? TlsNames.escape(h.alpn, h.alpnLength) : null;
      s.ja3s = ja3s.compute(h).hash();
      s.established = s.clientFinished;
    }
    dirDone[slotOf[f]] |= (byte) (1 << dir);
  }

  /** Client records after the hello: ChangeCipherSpec (20) or application data (23) ends it. */
  private void scanClient(int f, int dir, byte[] b, int have) {
    int pos = clientScan[slotOf[f]];
    while (pos + 5 <= have) {
      int type = b[pos] & 0xff;
      if (type == 20 || type == 23) {
        SslSession s = session(f);
        s.clientFinished = true;
        s.established = s.serverHello;
        dirDone[slotOf[f]] |= (byte) (1 << dir);
        return;
      }
      if (type < 20 || type > 24) {
        dirDone[slotOf[f]] |= (byte) (1 << dir); // not TLS records any more
        return;
      }
      pos += 5 + (((b[pos + 3] & 0xff) << 8) | (b[pos + 4] & 0xff));
    }
    clientScan[slotOf[f]] = pos;
    if (have >= StreamArena.CAP) {
      dirDone[slotOf[f]] |= (byte) (1 << dir);
    }
  }

  private void onClientHello(int f, long ts) {
    ClientHello h = parser.client;
    SslSession s = session(f);
    s.tsNanos = ts;
    s.serverName = h.sniLength > 0 ? TlsNames.escape(h.sni, h.sniLength) : null;
    s.ja3 = ja3.compute(h).hash();
    s.ja4 = ja4.compute(h).fingerprint();
  }

  private SslSession session(int f) {
    SslSession s = sessions[f];
    if (s == null) {
      s = new SslSession();
      sessions[f] = s;
    }
    return s;
  }

  /** No more analysis for this connection; its results stay until it is reported. */
  private void finish(int f) {
    if (state[f] == ACTIVE) {
      arena.release(slotOf[f]);
    }
    state[f] = DONE;
  }

  @Override
  public void onBypass(int f) {
    finish(f);
  }

  @Override
  public void onReport(int f, ConnRecord r, boolean retiring) {
    byte svc = service[f];
    if (svc == SVC_SSL) {
      r.service = "ssl";
      SslSession s = sessions[f];
      if (s != null && !s.logged) {
        s.logged = true;
        sslSink.onSsl(s, r);
      }
    } else if (svc == SVC_STRATUM) {
      r.service = "stratum";
    }
    if (retiring) {
      finish(f);
      state[f] = NEW;
      service[f] = SVC_NONE;
      if (sessions[f] != null) {
        sessions[f].reset();
      }
    }
  }

  /**
   * Bytes of per-flow analyzer state (state, stream slot, service, session reference; compressed
   * oops assumed), without the stream slots and the sessions themselves.
   */
  public long stateBytes() {
    return (long) state.length * (1 + 4 + 1 + 4);
  }
}
