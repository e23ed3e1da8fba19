package dev.vigil.sensor.analyzer;

import dev.vigil.sensor.decode.Weirds;
import dev.vigil.sensor.flow.ConnRecord;
import dev.vigil.sensor.flow.FlowObserver;
import dev.vigil.sensor.flow.FlowTable;
import dev.vigil.sensor.tls.ClientHello;
import dev.vigil.sensor.tls.HelloParser;
import dev.vigil.sensor.tls.Ja3;
import dev.vigil.sensor.tls.Ja3s;
import dev.vigil.sensor.tls.Ja4;
import dev.vigil.sensor.tls.ServerHello;
import dev.vigil.sensor.tls.TlsNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Content analysis, by content on any port. A TCP connection gets a {@link StreamArena} slot at its
 * first payload byte; the first direction with a contiguous prefix decides what it is:
 *
 * <ul>
 *   <li>a TLS ClientHello (that side is the client) or an SSLv2 hello;
 *   <li>a Stratum mining request ({@link Stratum});
 *   <li>an HTTP/1.x request line: {@link HttpFlow} parses both directions for the whole connection
 *       (past the prefix straight from the segments); a POST carrying getwork/getblocktemplate
 *       names the service {@code getwork} ({@link Getwork}); a CONNECT answered 2xx continues as
 *       TLS from the byte after each side's headers;
 *   <li>a length-prefixed DNS query (DNS over TCP; messages within the prefix);
 *   <li>a SOCKS5 greeting: after the method, optional username/password and CONNECT exchange, TLS
 *       from the byte after the request and after the reply;
 *   <li>from the responder first, an SMTP/FTP ({@code 220}), IMAP ({@code * OK}) or POP3 ({@code
 *       +OK}) banner: after the client's {@code STARTTLS} / {@code STLS} / {@code AUTH TLS} line,
 *       the client's TLS starts at the next line and the server's at the first line that starts
 *       with a TLS handshake record.
 * </ul>
 *
 * Anything else releases the slot at once, so ordinary connections cost one look at their first
 * bytes. UDP datagrams are checked for DNS (a strict parse of the first datagram decides). Queries
 * and replies pair by transaction id within the connection.
 *
 * <p>Parsers emit facts ({@link ClientHello}, {@link ServerHello}, {@link DnsParser} fields, HTTP
 * lines); fingerprints and transactions are built here and handed to the {@link AnalyzerSinks}. One
 * instance per worker, single-threaded.
 */
public final class Analyzers implements FlowObserver, HttpFlow.Out {
  static final byte NEW = 0;
  static final byte ACTIVE = 1;
  static final byte DONE = 2;

  /** UDP flow recognised as DNS. */
  static final byte UDP_DNS = 3;

  /** HTTP past the stream prefix: no slot, segments go straight to the parser. */
  static final byte HTTP_STREAM = 4;

  /** HTTP parsing over; its state waits for the connection's end (flush). */
  static final byte HTTP_DONE = 5;

  /** DNS over TCP past its slot: unanswered queries wait for the connection's end. */
  static final byte DNS_DONE = 6;

  /** In {@link #service}: TLS was seen (after the plaintext service, if any). */
  private static final int TLS_BIT = 0x80;

  static final byte SVC_NONE = 0;
  static final byte SVC_STRATUM = 1;
  static final byte SVC_DNS = 2;
  static final byte SVC_HTTP = 3;
  static final byte SVC_GETWORK = 4;
  static final byte SVC_SMTP = 5;
  static final byte SVC_IMAP = 6;
  static final byte SVC_POP3 = 7;
  static final byte SVC_FTP = 8;
  static final byte SVC_SOCKS = 9;

  private static final String[] SERVICE = {
    null, "stratum", "dns", "http", "getwork", "smtp", "imap", "pop3", "ftp", "socks"
  };
  private static final String[] SERVICE_SSL = {
    "ssl",
    "stratum,ssl",
    "dns,ssl",
    "http,ssl",
    "getwork,ssl",
    "smtp,ssl",
    "imap,ssl",
    "pop3,ssl",
    "ftp,ssl",
    "socks,ssl"
  };

  // Modes of a stream slot.
  private static final byte M_UNDECIDED = 0;
  private static final byte M_TLS_WAIT = 1;
  private static final byte M_TLS = 2;
  private static final byte M_HTTP = 3;
  private static final byte M_DNS = 4;
  private static final byte M_UPGRADE = 5;
  private static final byte M_SOCKS = 6;
  private static final byte M_STRATUM = 7;

  private static final byte BANNER_220 = 1;
  private static final byte BANNER_IMAP = 2;
  private static final byte BANNER_POP3 = 3;

  private static final int ORIG = 0;
  private static final int RESP = 1;
  private static final int CAP = StreamArena.CAP;

  /** HTTP parser states kept per worker (each holds two line buffers). */
  public static final int HTTP_STATES = 4096;

  private final Weirds weirds;
  private final SslSink sslSink;
  private final DnsSink dnsSink;
  private final HttpSink httpSink;
  private final FactSink facts;
  private final StreamArena arena;
  private final HelloParser parser;
  private final DnsParser dns;
  private final Ja3 ja3 = new Ja3();
  private final Ja3s ja3s = new Ja3s();
  private final Ja4 ja4 = new Ja4();
  private final Stratum stratum = new Stratum();
  private FlowTable table;
  private final ConnRecord scratch = new ConnRecord();
  private ConnRecord reportRecord;
  private int reporting = -1;

  // Per flow: 6 bytes. What the connection needs beyond them lives with its stream slot while it
  // has one, and in the HTTP and DNS state pools after.
  private final byte[] state;

  /**
   * By {@link #state}: {@code ACTIVE} the stream slot; {@code HTTP_STREAM}/{@code HTTP_DONE} the
   * HTTP state; {@code UDP_DNS}/{@code DNS_DONE} the DNS state (-1 while no query waits).
   */
  private final int[] slotOf;

  /** {@code SVC_*}, plus {@link #TLS_BIT}. */
  private final byte[] service;

  // Per stream slot (only while a connection is being analyzed):
  private final byte[] mode;

  /** TLS facts of the slot's connection (allocated at first use, reused). */
  private final SslSession[] slotSsl;

  /** Stratum facts of the slot's connection (allocated at first use, reused). */
  private final StratumSession[] slotStratum;

  /** The slot's HTTP state, or -1. */
  private final int[] slotHttp;

  /** The slot's DNS state (DNS over TCP), or -1. */
  private final int[] slotDns;

  /** -1 undecided, else the client's direction. */
  private final byte[] clientDir;

  /** Bit per direction: nothing more to learn from it. */
  private final byte[] dirDone;

  private final byte[] banner;

  /** Per slot and direction: where TLS starts (-1 not known yet). */
  private final int[] base;

  /** Per slot and direction: how far the stream has been looked at. */
  private final int[] scan;

  /** HTTP parser states, by index; {@link #httpFree} holds the free indexes. */
  private final HttpFlow[] httpStates;

  private final int[] httpFree;
  private int httpFreeTop;
  private int httpCreated;

  /** Queries waiting for replies, by index; grows on demand (a flow holds at most one). */
  private DnsPending[] dnsStates;

  private int[] dnsFree;
  private int dnsFreeTop;
  private int dnsCreated;
  private final int dnsMax;

  public Analyzers(int maxFlows, int streamSlots, Weirds weirds, SslSink sslSink) {
    this(maxFlows, streamSlots, weirds, AnalyzerSinks.ssl(sslSink));
  }

  /** {@code facts}: receives every connection's facts when it is reported (the detectors). */
  public Analyzers(int maxFlows, int streamSlots, Weirds weirds, SslSink sslSink, FactSink facts) {
    this(
        maxFlows,
        streamSlots,
        weirds,
        new AnalyzerSinks(sslSink, DnsSink.NONE, HttpSink.NONE, facts));
  }

  public Analyzers(int maxFlows, int streamSlots, Weirds weirds, AnalyzerSinks sinks) {
    this.weirds = weirds;
    this.sslSink = sinks.ssl();
    this.dnsSink = sinks.dns();
    this.httpSink = sinks.http();
    this.facts = sinks.facts();
    this.arena = new StreamArena(streamSlots);
    this.parser = new HelloParser(weirds, CAP);
    this.dns = new DnsParser(weirds);
    int n = Math.max(1, maxFlows);
    state = new byte[n];
    slotOf = new int[n];
    service = new byte[n];
    int slots = arena.capacity();
    mode = new byte[slots];
    slotSsl = new SslSession[slots];
    slotStratum = new StratumSession[slots];
    slotHttp = new int[slots];
    slotDns = new int[slots];
    clientDir = new byte[slots];
    dirDone = new byte[slots];
    banner = new byte[slots];
    base = new int[2 * slots];
    scan = new int[2 * slots];
    httpStates = new HttpFlow[Math.min(n, HTTP_STATES)];
    httpFree = new int[httpStates.length];
    dnsMax = n;
    dnsStates = new DnsPending[Math.min(n, DNS_STATES_INITIAL)];
    dnsFree = new int[dnsStates.length];
  }

  /** DNS states allocated at first; the pool doubles when more connections have queries waiting. */
  static final int DNS_STATES_INITIAL = 256;

  /** The flow table whose flow ids these are: DNS and HTTP log before the connection ends. */
  public void bind(FlowTable table) {
    this.table = table;
  }

  public StreamArena arena() {
    return arena;
  }

  // ---- connection start ---------------------------------------------------------------------

  /** The first packet of a connection: its addresses are a fact (trails, connect-back). */
  @Override
  public void onStart(int f, long tsNanos) {
    if (facts != FactSink.NONE) {
      facts.onConnection(f, identity(f));
    }
  }

  // ---- UDP ----------------------------------------------------------------------------------

  @Override
  public void onUdpPayload(int f, boolean isOrig, byte[] buf, int off, int len, long tsNanos) {
    byte st = state[f];
    if (st == NEW) {
      if (dns.parse(buf, off, len, true) == DnsParser.OK) {
        state[f] = UDP_DNS;
        slotOf[f] = -1;
        setService(f, SVC_DNS);
        dnsMessage(f, false, tsNanos);
      } else {
        state[f] = DONE;
      }
    } else if (st == UDP_DNS) {
      if (dns.parse(buf, off, len, false) == DnsParser.OK) {
        dnsMessage(f, false, tsNanos);
      }
    }
  }

  // ---- TCP ----------------------------------------------------------------------------------

  @Override
  public void onTcpPayload(
      int f, boolean isOrig, long rel, byte[] buf, int off, int len, long tsNanos) {
    byte st = state[f];
    int dir = isOrig ? ORIG : RESP;
    if (st == HTTP_STREAM) {
      HttpFlow h = httpStates[slotOf[f]];
      h.segment(role(h, dir), rel, buf, off, len, tsNanos, this);
      afterHttp(f, tsNanos);
      return;
    }
    if (st != NEW && st != ACTIVE) {
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
      mode[slot] = M_UNDECIDED;
      clientDir[slot] = -1;
      dirDone[slot] = 0;
      banner[slot] = 0;
      base[2 * slot] = base[2 * slot + 1] = 0;
      scan[2 * slot] = scan[2 * slot + 1] = 0;
      slotHttp[slot] = -1;
      slotDns[slot] = -1;
      if (slotSsl[slot] != null) {
        slotSsl[slot].reset();
      }
      if (slotStratum[slot] != null) {
        slotStratum[slot].reset();
      }
    }
    int slot = slotOf[f];
    if ((dirDone[slot] & (1 << dir)) != 0) {
      return;
    }
    if (mode[slot] == M_HTTP) {
      httpSegment(f, slot, dir, rel, buf, off, len, tsNanos);
      return;
    }
    int have = arena.add(slot, dir, rel, buf, off, len);
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
    switch (mode[slot]) {
      case M_UNDECIDED -> decide(f, slot, dir, have, ts);
      case M_TLS_WAIT, M_TLS -> tlsStep(f, slot, dir, have, ts);
      case M_DNS -> dnsTcp(f, slot, dir, have, ts);
      case M_UPGRADE -> upgrade(f, slot, dir, have, ts);
      case M_SOCKS -> socks(f, slot, ts);
      case M_STRATUM -> scanStratum(f, slot, dir, arena.buffer(slot, dir), have, have >= CAP);
      default -> {}
    }
  }

  private void decide(int f, int slot, int dir, int have, long ts) {
    byte[] b = arena.buffer(slot, dir);
    boolean full = have >= CAP;
    int r = parser.parse(b, have, full, HelloParser.TYPE_CLIENT_HELLO);
    if (r == HelloParser.NEED_MORE) {
      return;
    }
    if (r == HelloParser.HELLO || r == HelloParser.SSLV2_HELLO) {
      clientDir[slot] = (byte) dir;
      base[2 * slot] = base[2 * slot + 1] = 0;
      onHello(f, slot, dir, r, have, ts);
      return;
    }
    int other = dir ^ 1;
    if (r == HelloParser.NOT_TLS && (b[0] & 0xff) == 22 && arena.contiguous(slot, other) == 0) {
      return; // maybe the server's hello captured first: wait for the other side
    }
    int s = stratum.classify(b, have, full);
    if (s == Stratum.MINING) {
      setService(f, SVC_STRATUM);
      StratumSession m = stratumSession(f);
      m.tsNanos = ts;
      m.minerIsOrig = dir == ORIG;
      m.method = TlsNames.escape(b, stratum.methodStart, stratum.methodEnd);
      mode[slot] = M_STRATUM;
      clientDir[slot] = (byte) dir;
      dirDone[slot] = (byte) (1 << other);
      scanStratum(f, slot, dir, b, have, full);
      return;
    }
    boolean more = s == Stratum.NEED_MORE;
    if (dir == ORIG) {
      int h = httpRequestStart(b, have, full);
      if (h == YES) {
        startHttp(f, slot, dir, ts);
        return;
      }
      int d = dnsTcpStart(b, have, full);
      if (d == YES) {
        mode[slot] = M_DNS;
        clientDir[slot] = (byte) dir;
        setService(f, SVC_DNS);
        dnsTcp(f, slot, dir, have, ts);
        return;
      }
      int k = socksStart(b, have);
      if (k == YES) {
        mode[slot] = M_SOCKS;
        clientDir[slot] = (byte) dir;
        socks(f, slot, ts);
        return;
      }
      more |= h == MORE || d == MORE || k == MORE;
    } else {
      int bn = bannerKind(b, have);
      if (bn > 0) {
        mode[slot] = M_UPGRADE;
        banner[slot] = (byte) bn;
        clientDir[slot] = ORIG;
        upgrade(f, slot, ORIG, arena.contiguous(slot, ORIG), ts);
        return;
      }
      more |= bn == MORE;
    }
    if (!more || full) {
      finish(f);
    }
  }

  /**
   * The miner's lines: look for its login. The Stratum fact goes to the detectors (and the slot is
   * released) when the login is found, when the miner has sent {@link #STRATUM_LINES} complete
   * lines without one (clients authorise within their first lines: {@code mining.configure}, {@code
   * subscribe}, {@code authorize}), when the prefix is full, or when analysis ends otherwise
   * (bypass, active timeout, the connection's end): never later than that.
   */
  private void scanStratum(int f, int slot, int dir, byte[] b, int have, boolean full) {
    if (dir != clientDir[slot]) {
      return;
    }
    int d = 2 * slot + dir;
    int lines = base[d];
    for (int i = scan[d]; i < have; i++) {
      if (b[i] == '\n') {
        lines++;
      }
    }
    base[d] = lines;
    scan[d] = have;
    StratumSession m = stratumSession(f);
    if (stratum.credentials(b, have)) {
      m.login = TlsNames.escape(b, stratum.loginStart, stratum.loginEnd);
      if (stratum.workerStart >= 0) {
        m.login += "." + TlsNames.escape(b, stratum.workerStart, stratum.workerEnd);
      }
    }
    if (stratum.agentStart >= 0 && m.agent == null) {
      m.agent = TlsNames.escape(b, stratum.agentStart, stratum.agentEnd);
    }
    if (m.login != null || full || lines >= STRATUM_LINES) {
      finish(f);
    }
  }

  /** Complete client lines after which a Stratum connection without a login is reported. */
  static final int STRATUM_LINES = 4;

  /** Hands the Stratum fact of {@code f} to the detectors, once. */
  private void stratumFact(int f) {
    StratumSession m = slotStratum[slotOf[f]];
    if (m != null && !m.reported) {
      m.reported = true;
      facts.onStratum(f, identity(f), m);
    }
  }

  private StratumSession stratumSession(int f) {
    int slot = slotOf[f];
    StratumSession s = slotStratum[slot];
    if (s == null) {
      s = new StratumSession();
      slotStratum[slot] = s;
    }
    return s;
  }

  private static final int NO = 0;
  private static final int MORE = -1;
  private static final int YES = 1;

  // ---- TLS ----------------------------------------------------------------------------------

  /** TLS from {@link #base} on: the client's hello first, then the server's. */
  private void tlsStep(int f, int slot, int dir, int have, long ts) {
    int c = clientDir[slot];
    if (mode[slot] == M_TLS_WAIT) {
      if (dir != c) {
        return; // the server's bytes wait for the client's hello
      }
      int from = base[2 * slot + c];
      if (have <= from) {
        return;
      }
      int r =
          parser.parse(
              arena.buffer(slot, c), from, have, have >= CAP, HelloParser.TYPE_CLIENT_HELLO);
      if (r == HelloParser.NEED_MORE) {
        return;
      }
      if (r == HelloParser.HELLO || r == HelloParser.SSLV2_HELLO) {
        onHello(f, slot, c, r, have, ts);
      } else {
        finish(f); // not TLS after all (e.g. STARTTLS refused)
      }
      return;
    }
    if (dir == c) {
      scanClient(f, slot, dir, arena.buffer(slot, dir), have);
    } else {
      analyzeServer(f, slot, dir, arena.buffer(slot, dir), have);
    }
    if (dirDone[slot] == 3) {
      finish(f);
    }
  }

  /** A client hello was parsed (into {@link #parser}) at the client's base. */
  private void onHello(int f, int slot, int c, int r, int have, long ts) {
    service[f] |= (byte) TLS_BIT;
    if (r == HelloParser.SSLV2_HELLO) {
      SslSession s = session(f);
      s.tsNanos = ts;
      s.sslv2 = true;
      s.version = "SSLv2";
      facts.onClientHello(f, identity(f), s);
      finish(f);
      return;
    }
    mode[slot] = M_TLS;
    onClientHello(f, ts);
    scan[2 * slot + c] = parser.consumed;
    scanClient(f, slot, c, arena.buffer(slot, c), have);
    int other = c ^ 1;
    int otherHave = arena.contiguous(slot, other);
    if (otherHave > 0) {
      analyzeServer(f, slot, other, arena.buffer(slot, other), otherHave);
    }
    if (dirDone[slot] == 3) {
      finish(f);
    }
  }

  private void analyzeServer(int f, int slot, int dir, byte[] b, int have) {
    int d = 2 * slot + dir;
    if (base[d] < 0) { // after STARTTLS: the first line that starts with a handshake record
      int pos = scan[d];
      while (pos < have && b[pos] != 22) {
        int lf = HttpFlow.indexOf(b, pos, have, (byte) '\n');
        if (lf < 0) {
          break;
        }
        pos = lf + 1;
      }
      scan[d] = pos;
      if (pos >= have || b[pos] != 22) {
        if (have >= CAP) {
          dirDone[slot] |= (byte) (1 << dir);
        }
        return;
      }
      base[d] = pos;
    }
    int r = parser.parse(b, base[d], have, have >= CAP, HelloParser.TYPE_SERVER_HELLO);
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
      facts.onServerHello(f, identity(f), s);
    }
    dirDone[slot] |= (byte) (1 << dir);
  }

  /** Client records after the hello: ChangeCipherSpec (20) or application data (23) ends it. */
  private void scanClient(int f, int slot, int dir, byte[] b, int have) {
    int d = 2 * slot + dir;
    int pos = scan[d];
    while (pos + 5 <= have) {
      int type = b[pos] & 0xff;
      if (type == 20 || type == 23) {
        SslSession s = session(f);
        s.clientFinished = true;
        s.established = s.serverHello;
        dirDone[slot] |= (byte) (1 << dir);
        return;
      }
      if (type < 20 || type > 24) {
        dirDone[slot] |= (byte) (1 << dir); // not TLS records any more
        return;
      }
      pos += 5 + (((b[pos + 3] & 0xff) << 8) | (b[pos + 4] & 0xff));
    }
    scan[d] = pos;
    if (have >= CAP) {
      dirDone[slot] |= (byte) (1 << dir);
    }
  }

  private void onClientHello(int f, long ts) {
    ClientHello h = parser.client;
    SslSession s = session(f);
    s.tsNanos = ts;
    s.serverName = h.sniLength > 0 ? TlsNames.escape(h.sni, h.sniLength) : null;
    s.ja3 = ja3.compute(h).hash();
    s.ja4 = ja4.compute(h).fingerprint();
    facts.onClientHello(f, identity(f), s);
  }

  private SslSession session(int f) {
    int slot = slotOf[f];
    SslSession s = slotSsl[slot];
    if (s == null) {
      s = new SslSession();
      slotSsl[slot] = s;
    }
    return s;
  }

  private void setService(int f, int svc) {
    service[f] = (byte) ((service[f] & TLS_BIT) | svc);
  }

  // ---- STARTTLS -----------------------------------------------------------------------------

  /** {@code 220 }/{@code 220-} (SMTP, FTP), {@code * OK} (IMAP), {@code +OK} (POP3). */
  private static int bannerKind(byte[] b, int have) {
    if (have < 4) {
      return have >= 1 && (b[0] == '2' || b[0] == '*' || b[0] == '+') ? MORE : NO;
    }
    if (b[0] == '2' && b[1] == '2' && b[2] == '0' && (b[3] == ' ' || b[3] == '-')) {
      return BANNER_220;
    }
    if (b[0] == '*' && b[1] == ' ' && b[2] == 'O' && b[3] == 'K') {
      return BANNER_IMAP;
    }
    if (b[0] == '+' && b[1] == 'O' && b[2] == 'K') {
      return BANNER_POP3;
    }
    return NO;
  }

  /** The client's lines after a banner, until the upgrade command. */
  private void upgrade(int f, int slot, int dir, int have, long ts) {
    if (dir != ORIG) {
      return;
    }
    byte[] b = arena.buffer(slot, ORIG);
    int d = 2 * slot + ORIG;
    int pos = scan[d];
    while (pos < have) {
      int lf = HttpFlow.indexOf(b, pos, have, (byte) '\n');
      if (lf < 0) {
        break;
      }
      int end = lf > pos && b[lf - 1] == '\r' ? lf - 1 : lf;
      int svc = upgradeCommand(b, pos, end, banner[slot]);
      pos = lf + 1;
      if (svc != SVC_NONE) {
        setService(f, svc);
        mode[slot] = M_TLS_WAIT;
        base[d] = pos;
        base[2 * slot + RESP] = -1;
        scan[2 * slot + RESP] = 0;
        scan[d] = pos;
        tlsStep(f, slot, ORIG, have, ts);
        return;
      }
    }
    scan[d] = pos;
    if (have >= CAP) {
      finish(f);
    }
  }

  private static int upgradeCommand(byte[] b, int from, int to, int bannerKind) {
    while (to > from && b[to - 1] == ' ') {
      to--;
    }
    switch (bannerKind) {
      case BANNER_220 -> {
        if (equalsIgnoreCase(b, from, to, "STARTTLS")) {
          return SVC_SMTP;
        }
        if (equalsIgnoreCase(b, from, to, "AUTH TLS")
            || equalsIgnoreCase(b, from, to, "AUTH SSL")
            || equalsIgnoreCase(b, from, to, "AUTH TLS-C")) {
          return SVC_FTP;
        }
      }
      case BANNER_IMAP -> { // "<tag> STARTTLS"
        int sp = HttpFlow.indexOf(b, from, to, (byte) ' ');
        if (sp > from && equalsIgnoreCase(b, sp + 1, to, "STARTTLS")) {
          return SVC_IMAP;
        }
      }
      case BANNER_POP3 -> {
        if (equalsIgnoreCase(b, from, to, "STLS")) {
          return SVC_POP3;
        }
      }
      default -> {}
    }
    return SVC_NONE;
  }

  private static boolean equalsIgnoreCase(byte[] b, int from, int to, String s) {
    if (to - from != s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      int c = b[from + i];
      if (c >= 'a' && c <= 'z') {
        c -= 32;
      }
      if (c != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  // ---- SOCKS5 -------------------------------------------------------------------------------

  private static int socksStart(byte[] b, int have) {
    if (b[0] != 5) {
      return NO;
    }
    if (have < 2) {
      return MORE;
    }
    int n = b[1] & 0xff;
    if (n < 1 || n > 16) {
      return NO;
    }
    if (have < 2 + n) {
      return MORE;
    }
    for (int i = 2; i < 2 + n; i++) {
      int m = b[i] & 0xff;
      if (m > 9 && m < 0x80 || m == 0xff) {
        return NO;
      }
    }
    return YES;
  }

  /**
   * Walks both sides of the SOCKS5 exchange from the start: greeting and method choice, optional
   * username/password (RFC 1929), CONNECT and its success reply; TLS follows both.
   */
  private void socks(int f, int slot, long ts) {
    int c = clientDir[slot];
    int s = c ^ 1;
    byte[] cb = arena.buffer(slot, c);
    byte[] sb = arena.buffer(slot, s);
    int ch = arena.contiguous(slot, c);
    int sh = arena.contiguous(slot, s);
    int r = socksWalk(cb, ch, sb, sh);
    if (r == MORE) {
      if (ch >= CAP || sh >= CAP) {
        finish(f);
      }
      return;
    }
    if (r == NO) {
      finish(f);
      return;
    }
    setService(f, SVC_SOCKS);
    mode[slot] = M_TLS_WAIT;
    base[2 * slot + c] = socksReqEnd;
    base[2 * slot + s] = socksRepEnd;
    tlsStep(f, slot, c, ch, ts);
  }

  private int socksReqEnd;
  private int socksRepEnd;

  private int socksWalk(byte[] cb, int ch, byte[] sb, int sh) {
    int cpos = 2 + (cb[1] & 0xff);
    if (sh < 2) {
      return MORE;
    }
    if (sb[0] != 5) {
      return NO;
    }
    int method = sb[1] & 0xff;
    int spos = 2;
    if (method == 2) {
      if (ch < cpos + 2) {
        return MORE;
      }
      if (cb[cpos] != 1) {
        return NO;
      }
      int ulen = cb[cpos + 1] & 0xff;
      if (ch < cpos + 3 + ulen) {
        return MORE;
      }
      int plen = cb[cpos + 2 + ulen] & 0xff;
      cpos += 3 + ulen + plen;
      if (sh < spos + 2) {
        return MORE;
      }
      if (sb[spos + 1] != 0) {
        return NO;
      }
      spos += 2;
    } else if (method != 0) {
      return NO;
    }
    if (ch < cpos + 5) {
      return MORE;
    }
    if (cb[cpos] != 5 || cb[cpos + 1] != 1) {
      return NO;
    }
    int reqEnd = cpos + 4 + socksAddr(cb, cpos + 3) + 2;
    if (reqEnd < cpos + 6) {
      return NO;
    }
    if (ch < reqEnd) {
      return MORE;
    }
    if (sh < spos + 5) {
      return MORE;
    }
    if (sb[spos] != 5 || sb[spos + 1] != 0) {
      return NO;
    }
    int repEnd = spos + 4 + socksAddr(sb, spos + 3) + 2;
    if (repEnd < spos + 6) {
      return NO;
    }
    if (sh < repEnd) {
      return MORE;
    }
    socksReqEnd = reqEnd;
    socksRepEnd = repEnd;
    return YES;
  }

  /** Address length after the ATYP byte at {@code p} (the byte after it must be readable). */
  private static int socksAddr(byte[] b, int p) {
    return switch (b[p]) {
      case 1 -> 4;
      case 4 -> 16;
      case 3 -> 1 + (b[p + 1] & 0xff);
      default -> -100;
    };
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private static final String[] METHODS = {
    "GET",
    "POST",
    "HEAD",
    "PUT",
    "DELETE",
    "OPTIONS",
    "CONNECT",
    "TRACE",
    "PATCH",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "SEARCH",
    "REPORT"
  };

  /** A request line: a known method, a space, and {@code HTTP/1.} before the line ends. */
  private static int httpRequestStart(byte[] b, int have, boolean full) {
    int i = 0;
    while (i < have && i < 12 && b[i] >= 'A' && b[i] <= 'Z') {
      i++;
    }
    if (i == have) {
      return i < 12 && !full ? MORE : NO;
    }
    if (i == 0 || b[i] != ' ' || !knownMethod(b, i)) {
      return NO;
    }
    int lim = Math.min(have, HttpFlow.LINE_MAX);
    int lf = HttpFlow.indexOf(b, i, lim, (byte) '\n');
    if (lf < 0) {
      return have < HttpFlow.LINE_MAX && !full ? MORE : NO;
    }
    for (int p = i; p + 7 <= lf; p++) {
      if (b[p] == ' ' && HttpFlow.startsWith(b, p + 1, lf, "HTTP/1.")) {
        return YES;
      }
    }
    return NO;
  }

  private static boolean knownMethod(byte[] b, int len) {
    for (String m : METHODS) {
      if (m.length() == len && HttpFlow.startsWith(b, 0, len, m)) {
        return true;
      }
    }
    return false;
  }

  private void startHttp(int f, int slot, int dir, long ts) {
    int i;
    if (httpFreeTop > 0) {
      i = httpFree[--httpFreeTop];
    } else if (httpCreated < httpStates.length) {
      i = httpCreated++;
      httpStates[i] = new HttpFlow(weirds);
    } else {
      weirds.inc(Weirds.HTTP_STATES_EXHAUSTED);
      finish(f);
      return;
    }
    HttpFlow h = httpStates[i];
    h.reset(f, dir);
    slotHttp[slot] = i;
    setService(f, SVC_HTTP);
    mode[slot] = M_HTTP;
    clientDir[slot] = (byte) dir;
    for (int d = 0; d < 2; d++) {
      int have = arena.contiguous(slot, d);
      if (have > 0) {
        h.feed(role(h, d), arena.buffer(slot, d), 0, have, ts, this);
      }
    }
    afterHttp(f, ts);
  }

  private static int role(HttpFlow h, int dir) {
    return dir == h.clientDir ? HttpFlow.REQ : HttpFlow.RSP;
  }

  /** An HTTP connection's segment while it holds a slot (the prefix reorders segments). */
  private void httpSegment(
      int f, int slot, int dir, long rel, byte[] buf, int off, int len, long ts) {
    HttpFlow h = httpStates[slotHttp[slot]];
    int role = role(h, dir);
    if (h.cursor[role] >= CAP) {
      h.segment(role, rel, buf, off, len, ts, this);
    } else {
      int have = arena.add(slot, dir, rel, buf, off, len);
      if (have == StreamArena.DROPPED) {
        weirds.inc(Weirds.TCP_PREFIX_SEGMENT_DROPPED);
      } else if (have > h.cursor[role]) {
        int from = (int) h.cursor[role];
        h.feed(role, arena.buffer(slot, dir), from, have - from, ts, this);
      }
      if (have >= CAP && rel + len > CAP) {
        h.segment(role, rel, buf, off, len, ts, this);
      }
    }
    afterHttp(f, ts);
  }

  private void afterHttp(int f, long ts) {
    HttpFlow h = httpOf(f);
    if (h.getwork) {
      setService(f, SVC_GETWORK);
    }
    if (state[f] != ACTIVE) {
      return;
    }
    int slot = slotOf[f];
    if (h.tunnelReq >= 0 && h.tunnelRsp >= 0) {
      long req = h.tunnelReq;
      long rsp = h.tunnelRsp;
      h.tunnelReq = h.tunnelRsp = -2;
      if (req >= CAP || rsp >= CAP) {
        finish(f);
        return;
      }
      int c = h.clientDir;
      mode[slot] = M_TLS_WAIT;
      clientDir[slot] = (byte) c;
      base[2 * slot + c] = (int) req;
      base[2 * slot + (c ^ 1)] = (int) rsp;
      int have = arena.contiguous(slot, c);
      if (have > req) {
        tlsStep(f, slot, c, have, ts);
      }
      return;
    }
    boolean reqPast = h.stopped(HttpFlow.REQ) || h.cursor[HttpFlow.REQ] >= CAP;
    boolean rspPast = h.stopped(HttpFlow.RSP) || h.cursor[HttpFlow.RSP] >= CAP;
    if (reqPast && rspPast && h.tunnelReq < 0) {
      int i = slotHttp[slot];
      arena.release(slot);
      state[f] = h.stopped(HttpFlow.REQ) && h.stopped(HttpFlow.RSP) ? HTTP_DONE : HTTP_STREAM;
      slotOf[f] = i;
    }
  }

  /** The connection's HTTP state, or null. */
  private HttpFlow httpOf(int f) {
    int i =
        switch (state[f]) {
          case ACTIVE -> slotHttp[slotOf[f]];
          case HTTP_STREAM, HTTP_DONE -> slotOf[f];
          default -> -1;
        };
    return i < 0 ? null : httpStates[i];
  }

  @Override
  public void onHttp(HttpFlow h, HttpTransaction t) {
    httpSink.onHttp(t, identity(h.flow));
  }

  private ConnRecord identity(int f) {
    if (f == reporting) {
      return reportRecord;
    }
    if (table != null) {
      table.identify(f, scratch);
    }
    return scratch;
  }

  // ---- DNS ----------------------------------------------------------------------------------

  /** DNS over TCP: the first message, with its 2-byte length, is a query. */
  private int dnsTcpStart(byte[] b, int have, boolean full) {
    if (have < 2) {
      return full ? NO : MORE;
    }
    int len = DnsParser.u16(b, 0);
    if (len < DnsParser.HEADER || 2 + len > CAP) {
      return NO;
    }
    if (have < 2 + len) {
      return full ? NO : MORE;
    }
    return dns.parse(b, 2, len, true) == DnsParser.OK && !dns.isResponse() ? YES : NO;
  }

  private void dnsTcp(int f, int slot, int dir, int have, long ts) {
    byte[] b = arena.buffer(slot, dir);
    int d = 2 * slot + dir;
    int pos = scan[d];
    while (pos + 2 <= have) {
      int len = DnsParser.u16(b, pos);
      if (pos + 2 + len > have) {
        break;
      }
      if (dns.parse(b, pos + 2, len, false) == DnsParser.OK) {
        dnsMessage(f, true, ts);
      }
      pos += 2 + len;
    }
    scan[d] = pos;
    if (have >= CAP) {
      dirDone[slot] |= (byte) (1 << dir);
      if (dirDone[slot] == 3) {
        finish(f);
      }
    }
  }

  /** Queries of one connection waiting for their replies. */
  private static final class DnsPending {
    static final int MAX = 8;
    final int[] id = new int[MAX];
    final long[] ts = new long[MAX];
    final String[] query = new String[MAX];
    final int[] qtype = new int[MAX];
    final int[] qclass = new int[MAX];
    final int[] flags = new int[MAX];
    boolean tcp;
    int count;
  }

  /** The message in {@link #dns}: a query waits, a reply completes its query's transaction. */
  private void dnsMessage(int f, boolean tcp, long ts) {
    DnsParser m = dns;
    int di = tcp ? slotDns[slotOf[f]] : slotOf[f];
    if (di < 0 && !m.isResponse()) {
      di = dnsAcquire();
      if (tcp) {
        slotDns[slotOf[f]] = di;
      } else {
        slotOf[f] = di;
      }
    }
    DnsPending p = di < 0 ? null : dnsStates[di];
    if (!m.isResponse()) {
      p.tcp = tcp;
      for (int i = 0; i < p.count; i++) {
        if (p.id[i] == m.id) {
          return; // a retransmission: the first one's time counts
        }
      }
      if (p.count == DnsPending.MAX) {
        weirds.inc(Weirds.DNS_PENDING_FULL);
        emitUnanswered(f, p, 0);
      }
      int i = p.count++;
      p.id[i] = m.id;
      p.ts[i] = ts;
      p.query[i] = m.hasQuestion ? m.qname.toString() : null;
      p.qtype[i] = m.hasQuestion ? m.qtype : -1;
      p.qclass[i] = m.hasQuestion ? m.qclass : -1;
      p.flags[i] = m.flags;
      return;
    }
    int q = -1;
    for (int i = 0; p != null && i < p.count; i++) {
      if (p.id[i] == m.id) {
        q = i;
        break;
      }
    }
    if (q < 0) {
      weirds.inc(Weirds.DNS_UNMATCHED_REPLY);
    }
    List<String> answers = new ArrayList<>(m.answerCount);
    List<Long> ttls = new ArrayList<>(m.answerCount);
    for (int i = 0; i < m.answerCount; i++) {
      answers.add(m.answers[i].toString());
      ttls.add(m.ttls[i]);
    }
    int fl = m.flags;
    String query = q >= 0 ? p.query[q] : m.hasQuestion ? m.qname.toString() : null;
    int qtype = q >= 0 ? p.qtype[q] : m.hasQuestion ? m.qtype : -1;
    int qclass = q >= 0 ? p.qclass[q] : m.hasQuestion ? m.qclass : -1;
    DnsTransaction t =
        new DnsTransaction(
            q >= 0 ? p.ts[q] : ts,
            tcp,
            m.id,
            q >= 0 ? ts - p.ts[q] : -1,
            query,
            qclass,
            qtype,
            m.rcode(),
            (fl & DnsParser.FLAG_AA) != 0,
            (fl & DnsParser.FLAG_TC) != 0,
            (fl & DnsParser.FLAG_RD) != 0,
            (fl & DnsParser.FLAG_RA) != 0,
            (fl >>> 4) & 7,
            true,
            List.copyOf(answers),
            List.copyOf(ttls),
            m.rcode() != 0 && m.qdcount == 0);
    if (q >= 0) {
      remove(p, q);
      if (p.count == 0 && !tcp) { // a UDP flow holds a DNS state only while queries wait
        dnsRelease(di);
        slotOf[f] = -1;
      }
    }
    dnsSink.onDns(t, identity(f));
  }

  private int dnsAcquire() {
    if (dnsFreeTop > 0) {
      return dnsFree[--dnsFreeTop];
    }
    if (dnsCreated == dnsStates.length) {
      int grown = (int) Math.min(dnsMax, 2L * dnsStates.length);
      dnsStates = java.util.Arrays.copyOf(dnsStates, grown);
      dnsFree = java.util.Arrays.copyOf(dnsFree, grown);
    }
    int i = dnsCreated++;
    dnsStates[i] = new DnsPending();
    return i;
  }

  private void dnsRelease(int i) {
    DnsPending p = dnsStates[i];
    while (p.count > 0) {
      remove(p, 0);
    }
    dnsFree[dnsFreeTop++] = i;
  }

  /** The connection's DNS state, or -1. */
  private int dnsOf(int f) {
    return switch (state[f]) {
      case ACTIVE -> slotDns[slotOf[f]];
      case UDP_DNS, DNS_DONE -> slotOf[f];
      default -> -1;
    };
  }

  private void emitUnanswered(int f, DnsPending p, int i) {
    int fl = p.flags[i];
    DnsTransaction t =
        new DnsTransaction(
            p.ts[i],
            p.tcp,
            p.id[i],
            -1,
            p.query[i],
            p.qclass[i],
            p.qtype[i],
            -1,
            false,
            (fl & DnsParser.FLAG_TC) != 0,
            (fl & DnsParser.FLAG_RD) != 0,
            false,
            (fl >>> 4) & 7,
            false,
            List.of(),
            List.of(),
            false);
    remove(p, i);
    dnsSink.onDns(t, identity(f));
  }

  private static void remove(DnsPending p, int i) {
    int last = --p.count;
    for (int k = i; k < last; k++) {
      p.id[k] = p.id[k + 1];
      p.ts[k] = p.ts[k + 1];
      p.query[k] = p.query[k + 1];
      p.qtype[k] = p.qtype[k + 1];
      p.qclass[k] = p.qclass[k + 1];
      p.flags[k] = p.flags[k + 1];
    }
    p.query[last] = null;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /**
   * No more analysis for this connection. Its stream slot goes back to the pool: the Stratum fact
   * goes to the detectors (if it has not yet) and a TLS connection's ssl.log line is written now,
   * at the end of its handshake analysis, as Zeek writes it at {@code ssl_established}; HTTP and
   * DNS state that waits for the connection's end moves to the flow ({@code HTTP_DONE}, {@code
   * DNS_DONE}).
   */
  private void finish(int f) {
    switch (state[f]) {
      case ACTIVE -> {
        int slot = slotOf[f];
        if (mode[slot] == M_STRATUM) {
          stratumFact(f);
        }
        if ((service[f] & TLS_BIT) != 0) {
          logSsl(f, slotSsl[slot]);
        }
        int hi = slotHttp[slot];
        int di = slotDns[slot];
        arena.release(slot);
        if (hi >= 0) {
          state[f] = HTTP_DONE;
          slotOf[f] = hi;
        } else if (di >= 0 && dnsStates[di].count > 0) {
          state[f] = DNS_DONE;
          slotOf[f] = di;
        } else {
          if (di >= 0) {
            dnsRelease(di);
          }
          state[f] = DONE;
        }
      }
      case HTTP_STREAM -> state[f] = HTTP_DONE;
      case UDP_DNS -> state[f] = slotOf[f] >= 0 ? DNS_DONE : DONE;
      case HTTP_DONE, DNS_DONE -> {}
      default -> state[f] = DONE;
    }
  }

  private void logSsl(int f, SslSession s) {
    if (s != null && !s.logged) {
      s.logged = true;
      sslSink.onSsl(s, identity(f));
    }
  }

  @Override
  public void onBypass(int f) {
    finish(f);
  }

  @Override
  public void onReport(int f, ConnRecord r, boolean retiring) {
    int svc = service[f] & 0xff;
    r.service = (svc & TLS_BIT) != 0 ? SERVICE_SSL[svc & ~TLS_BIT] : SERVICE[svc];
    reporting = f;
    reportRecord = r;
    try {
      if (state[f] == ACTIVE) { // still analysing: what is known so far, under this part's uid
        int slot = slotOf[f];
        if (mode[slot] == M_STRATUM) {
          stratumFact(f);
        }
        if ((svc & TLS_BIT) != 0) {
          logSsl(f, slotSsl[slot]);
        }
      }
      if (retiring) {
        finish(f);
        if (state[f] == HTTP_DONE) {
          int i = slotOf[f];
          httpStates[i].flush(this);
          httpFree[httpFreeTop++] = i;
        }
        int di = dnsOf(f);
        if (di >= 0) {
          DnsPending p = dnsStates[di];
          while (p.count > 0) {
            emitUnanswered(f, p, 0);
          }
          dnsRelease(di);
        }
      }
    } finally {
      reporting = -1;
      reportRecord = null;
    }
    if (retiring) {
      facts.onRetire(f);
      state[f] = NEW;
      service[f] = SVC_NONE;
    }
  }

  /**
   * Bytes of analyzer state: per flow (state, service with the TLS bit, slot or state index), per
   * stream slot (modes, offsets, the TLS/Stratum references, HTTP/DNS indexes), the HTTP and DNS
   * state pools' references and free lists (as allocated), and the detectors' per-flow state;
   * compressed oops assumed. Without the stream buffers and the objects referenced.
   */
  public long stateBytes() {
    long perFlow = (long) state.length * (1 + 1 + 4);
    long perSlot = (long) mode.length * (4 * 1 + 2 * 4 + 2 * 4 + 2 * 4 + 2 * 4);
    long pools = (long) httpStates.length * (4 + 4) + (long) dnsStates.length * (4 + 4);
    return perFlow + perSlot + pools + facts.stateBytes();
  }
}
