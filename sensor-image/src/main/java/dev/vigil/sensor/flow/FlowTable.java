package dev.vigil.sensor.flow;

import dev.vigil.sensor.decode.Decoder;
import dev.vigil.sensor.decode.Icmp;
import dev.vigil.sensor.decode.PacketInfo;
import dev.vigil.sensor.decode.Tcp;
import java.util.Arrays;

/**
 * Bidirectional connection table: open addressing with linear probing over an {@code int[]} of flow
 * ids, flow state in parallel primitive arrays (struct of arrays), no per-packet objects.
 *
 * <p>Key: the two endpoints (128-bit address + port each) in canonical order (lower endpoint
 * first), the IP protocol and the VLAN ids. Which canonical side originated is a per-flow bit, so
 * both directions find the same flow.
 *
 * <p>Time comes from the packets, so offline runs are reproducible. Each flow sits on one of four
 * LRU lists (TCP, UDP, other, closed) ordered by last activity; each list has one timeout, so
 * expiry only looks at list heads. A full table evicts the least recently active flow (counted in
 * {@link #evictions()}) and logs it like any other.
 *
 * <p>TCP endpoint states and {@code conn_state} follow Zeek's TCP analyzer and {@code
 * Conn::conn_state}; {@code history} uses Zeek's letters (upper case originator).
 */
public final class FlowTable {
  public static final int REASON_IDLE = 0;
  public static final int REASON_CLOSED = 1;
  public static final int REASON_EVICTED = 2;
  public static final int REASON_ACTIVE_TIMEOUT = 3;
  public static final int REASON_END = 4;
  public static final int REASON_REUSED = 5;

  // TCP endpoint states (Zeek TCP_ENDPOINT_*).
  static final byte INACTIVE = 0;
  static final byte SYN_SENT = 1;
  static final byte SYN_ACK_SENT = 2;
  static final byte PARTIAL = 3;
  static final byte ESTABLISHED = 4;
  static final byte CLOSED = 5;
  static final byte RESET = 6;

  private static final int LIST_TCP = 0;
  private static final int LIST_UDP = 1;
  private static final int LIST_OTHER = 2;
  private static final int LIST_CLOSED = 3;
  private static final int LISTS = 4;

  private static final byte F_ORIG_IS_A = 1;
  private static final byte F_BYPASSED = 2;
  private static final byte F_ORIG_SEQ = 4;
  private static final byte F_RESP_SEQ = 8;

  /** History letters, index = bit in {@link #histSeen} (+16 for the responder). */
  private static final String LETTERS = "SHADFRGTWIQ";

  private static final int H_SYN = 0;
  private static final int H_SYNACK = 1;
  private static final int H_ACK = 2;
  private static final int H_DATA = 3;
  private static final int H_FIN = 4;
  private static final int H_RST = 5;
  private static final int H_GAP = 6;
  private static final int H_RETRANS = 7;
  private static final int H_ZERO_WINDOW = 8;
  private static final int H_FIN_RST = 9;
  private static final int H_MULTI = 10;
  static final int HISTORY_MAX = 16;

  private final FlowConfig cfg;
  private final FlowSink sink;
  private final int capacity;
  private final int mask;

  /** Slot = hash << 32 | (flow + 1); 0 = empty. Probing compares hashes without touching flows. */
  private final long[] slots;

  private final long[] listTimeout = new long[LISTS];

  // key, KEY_STRIDE longs per flow in one array so a lookup touches one place:
  // aHi, aLo, bHi, bLo, (aPort << 16 | bPort) << 32 | (vlan+1) << 16 | (innerVlan+1), proto
  private static final int KEY_STRIDE = 6;
  private final long[] keys;
  private final int[] slotOf;

  // bookkeeping
  private final byte[] flags;
  private final byte[] list;
  private final int[] prev;
  private final int[] next;
  private final int[] headOf = new int[LISTS];
  private final int[] tailOf = new int[LISTS];
  private final int[] freeStack;
  private int freeTop;
  private int size;

  // per flow
  private final long[] firstTs;
  private final long[] lastTs;

  /** lastTs when last moved to its list's tail; lists are ordered by it (lazy LRU). */
  private final long[] linkTs;

  private final long lazyNanos;
  private final long[] uidSeq;
  private final int[] histSeen;
  private final byte[] histLen;
  private final byte[] history;
  private final long[] missed;

  // per endpoint: index 2*flow (orig) and 2*flow+1 (resp)
  private final long[] pkts;
  private final long[] ipBytes;
  private final long[] bytes; // UDP/ICMP/other payload; TCP: relative seq high-water
  private final long[] bytesBase; // subtracted after an active-timeout restart
  private final byte[] tcpState;
  private final int[] lastSeq;
  private final long[] lastRel;
  private final long[] expected;

  /**
   * Later fragments find their connection here: a direct-mapped cache from a 64-bit hash of
   * (source, destination, identification, protocol) to the flow and side of the first fragment.
   */
  private static final int FRAG_SLOTS = 1 << 12;

  private final long[] fragKey = new long[FRAG_SLOTS];
  private final long[] fragUid = new long[FRAG_SLOTS];
  private final int[] fragSide = new int[FRAG_SLOTS];
  private long fragmentsAttributed;
  private long fragmentsUnmatched;

  private long nextUid;
  private long flowsCreated;
  private long evictions;
  private long bypassedFlows;
  private long bypassedPackets;
  private long activeTimeouts;
  private final ConnRecord rec = new ConnRecord();
  private final FlowObserver observer;

  /** Frame buffer of the packet being accounted (for the observer), or null. */
  private byte[] frame;

  public FlowTable(FlowConfig cfg, FlowSink sink) {
    this(cfg, sink, 0);
  }

  /** {@code uidBase}: the first flow number (workers sharing one log use disjoint ranges). */
  public FlowTable(FlowConfig cfg, FlowSink sink, long uidBase) {
    this(cfg, sink, uidBase, FlowObserver.NONE);
  }

  /** With content analysis: {@code observer} sees TCP payload and names services. */
  public FlowTable(FlowConfig cfg, FlowSink sink, long uidBase, FlowObserver observer) {
    this.observer = observer;
    this.nextUid = uidBase;
    this.cfg = cfg;
    this.sink = sink;
    this.capacity = Math.max(1, cfg.maxFlows());
    int slotCount = Integer.highestOneBit(Math.max(2, capacity * 2 - 1)) << 1;
    this.slots = new long[slotCount];
    this.mask = slotCount - 1;
    listTimeout[LIST_TCP] = cfg.tcpIdleNanos();
    listTimeout[LIST_UDP] = cfg.udpIdleNanos();
    listTimeout[LIST_OTHER] = cfg.otherIdleNanos();
    listTimeout[LIST_CLOSED] = cfg.closeDelayNanos();
    int n = capacity;
    keys = new long[n * KEY_STRIDE];
    slotOf = new int[n];
    flags = new byte[n];
    list = new byte[n];
    prev = new int[n];
    next = new int[n];
    freeStack = new int[n];
    for (int i = 0; i < n; i++) {
      freeStack[i] = n - 1 - i; // pop 0 first
    }
    freeTop = n;
    firstTs = new long[n];
    lastTs = new long[n];
    linkTs = new long[n];
    long minTimeout = Long.MAX_VALUE;
    for (long t : listTimeout) {
      minTimeout = Math.min(minTimeout, t);
    }
    // A flow moves to its list's tail at most once per lazyNanos; expiry allows for that slack.
    lazyNanos = Math.max(0, Math.min(100_000_000L, minTimeout / 10));
    uidSeq = new long[n];
    histSeen = new int[n];
    histLen = new byte[n];
    history = new byte[n * HISTORY_MAX];
    missed = new long[n];
    pkts = new long[2 * n];
    ipBytes = new long[2 * n];
    bytes = new long[2 * n];
    bytesBase = new long[2 * n];
    tcpState = new byte[2 * n];
    lastSeq = new int[2 * n];
    lastRel = new long[2 * n];
    expected = new long[2 * n];
    Arrays.fill(headOf, -1);
    Arrays.fill(tailOf, -1);
  }

  /** Bytes of table state per flow slot (arrays above divided by capacity, slots included). */
  public static int bytesPerFlow() {
    int perFlow = KEY_STRIDE * 8 + 4 + 2 + 2 * 4 + 4 * 8 + 4 + 1 + HISTORY_MAX + 8;
    int perEndpoint = 4 * 8 + 1 + 4 + 2 * 8;
    return perFlow + 2 * perEndpoint + 2 * 8 + 4; // + slots (2 longs per flow) + free stack
  }

  public int size() {
    return size;
  }

  public long flowsCreated() {
    return flowsCreated;
  }

  public long evictions() {
    return evictions;
  }

  public long bypassedFlows() {
    return bypassedFlows;
  }

  public long bypassedPackets() {
    return bypassedPackets;
  }

  public long activeTimeouts() {
    return activeTimeouts;
  }

  /** Later fragments whose bytes were added to their datagram's connection. */
  public long fragmentsAttributed() {
    return fragmentsAttributed;
  }

  /** Later fragments seen before (or without) their first fragment: not attributed. */
  public long fragmentsUnmatched() {
    return fragmentsUnmatched;
  }

  private static long fragmentHash(PacketInfo p) {
    long h = p.srcHi * 0x9e3779b97f4a7c15L + p.srcLo;
    h = h * 0x9e3779b97f4a7c15L + p.dstHi;
    h = h * 0x9e3779b97f4a7c15L + p.dstLo;
    h = h * 0x9e3779b97f4a7c15L + (((long) p.fragmentId << 8) | (p.proto & 0xff));
    h = Uids.mix(h);
    return h == 0 ? 1 : h;
  }

  /**
   * A later fragment: like Zeek after reassembly, its data bytes count towards the datagram's IP
   * bytes, and the datagram stays one packet.
   */
  private void laterFragment(PacketInfo p, long now) {
    long h = fragmentHash(p);
    int i = (int) h & (FRAG_SLOTS - 1);
    if (fragKey[i] != h) {
      fragmentsUnmatched++;
      return;
    }
    int side = fragSide[i];
    int f = side >>> 1;
    if (uidSeq[f] != fragUid[i] || (keys[f * KEY_STRIDE + 5] != p.proto)) {
      fragmentsUnmatched++; // the connection ended meanwhile
      return;
    }
    fragmentsAttributed++;
    ipBytes[side] += p.ipLength;
    lastTs[f] = now;
    touch(f, list[f]);
  }

  // ---- packet path ---------------------------------------------------------------------

  /** Accounts one decoded packet (no payload analysis). */
  public void onPacket(PacketInfo p) {
    onPacket(p, null);
  }

  /**
   * Accounts one decoded packet; {@code buf} is the frame the decoder read (its payload bytes are
   * at {@link PacketInfo#payloadOffset}), shown to the observer for flows that are not bypassed.
   */
  public void onPacket(PacketInfo p, byte[] buf) {
    frame = buf;
    account(p);
    frame = null;
  }

  private void account(PacketInfo p) {
    long now = p.tsNanos;
    expire(now);
    if (p.laterFragment) {
      laterFragment(p, now);
      return;
    }
    int proto = p.proto;
    int sport;
    int dport;
    if (proto == Decoder.PROTO_TCP || proto == Decoder.PROTO_UDP) {
      sport = p.srcPort;
      dport = p.dstPort;
    } else if (proto == Decoder.PROTO_ICMP || proto == Decoder.PROTO_ICMPV6) {
      int cp = Icmp.counterpart(p.icmpType, proto == Decoder.PROTO_ICMPV6);
      sport = p.icmpType;
      dport = cp >= 0 ? cp : p.icmpCode;
    } else {
      sport = 0;
      dport = 0;
    }
    boolean srcIsA = compareEndpoints(p.srcHi, p.srcLo, sport, p.dstHi, p.dstLo, dport) <= 0;
    long kaHi = srcIsA ? p.srcHi : p.dstHi;
    long kaLo = srcIsA ? p.srcLo : p.dstLo;
    long kbHi = srcIsA ? p.dstHi : p.srcHi;
    long kbLo = srcIsA ? p.dstLo : p.srcLo;
    int kPorts = srcIsA ? (sport << 16) | dport : (dport << 16) | sport;
    int kVlans = ((p.vlan + 1) << 16) | (p.innerVlan + 1);
    int h = hash(kaHi, kaLo, kbHi, kbLo, kPorts, proto, kVlans);

    int f = find(h, kaHi, kaLo, kbHi, kbLo, kPorts, proto, kVlans);
    boolean tcp = proto == Decoder.PROTO_TCP;
    if (f >= 0) {
      if (cfg.activeTimeoutNanos() > 0 && now - firstTs[f] >= cfg.activeTimeoutNanos()) {
        activeTimeouts++;
        restart(f, now);
      } else if (tcp
          && (p.tcpFlags & (Tcp.SYN | Tcp.ACK)) == Tcp.SYN
          && isTcpOver(f)
          && (flags[f] & F_BYPASSED) == 0) {
        // A fresh SYN on a finished connection: port reuse, a new connection.
        retire(f, REASON_REUSED);
        f = -1;
      }
    }
    if (f < 0) {
      boolean flip = tcp && (p.tcpFlags & (Tcp.SYN | Tcp.ACK)) == (Tcp.SYN | Tcp.ACK);
      boolean origIsA = flip != srcIsA;
      f = create(h, kaHi, kaLo, kbHi, kbLo, kPorts, proto, kVlans, origIsA, now);
      if (flip) {
        appendHistoryChar(f, '^');
      }
    }
    boolean isOrig = srcIsA == ((flags[f] & F_ORIG_IS_A) != 0);
    int side = 2 * f + (isOrig ? 0 : 1);
    if (p.firstFragment) {
      long fh = fragmentHash(p);
      int fi = (int) fh & (FRAG_SLOTS - 1);
      fragKey[fi] = fh;
      fragUid[fi] = uidSeq[f];
      fragSide[fi] = side;
    }
    pkts[side]++;
    ipBytes[side] += p.ipLength;
    lastTs[f] = now;
    boolean bypassed = (flags[f] & F_BYPASSED) != 0;
    if (bypassed) {
      bypassedPackets++;
    }
    if (tcp) {
      tcpPacket(f, side, isOrig, p, bypassed);
    } else {
      bytes[side] += p.payloadLength;
      if (proto == Decoder.PROTO_UDP && !bypassed) {
        addHistory(f, isOrig, H_DATA);
        int cap = Math.min(p.payloadLength, p.payloadCaptured);
        if (frame != null && cap > 0) {
          observer.onUdpPayload(f, isOrig, frame, p.payloadOffset, cap, p.tsNanos);
        }
      }
    }
    touch(f, tcp && isTcpOver(f) ? LIST_CLOSED : list[f]);
    if (!bypassed && (cfg.bypassBytes() > 0 || cfg.bypassPackets() > 0)) {
      long totalBytes = ipBytes[2 * f] + ipBytes[2 * f + 1];
      long totalPkts = pkts[2 * f] + pkts[2 * f + 1];
      if ((cfg.bypassBytes() > 0 && totalBytes >= cfg.bypassBytes())
          || (cfg.bypassPackets() > 0 && totalPkts >= cfg.bypassPackets())) {
        flags[f] |= F_BYPASSED;
        bypassedFlows++;
        observer.onBypass(f);
      }
    }
  }

  /**
   * TCP analysis. A bypassed flow keeps only what teardown and byte counts need: the sequence
   * high-water mark and FIN/RST endpoint states. History, gaps and retransmissions stop.
   */
  private void tcpPacket(int f, int side, boolean isOrig, PacketInfo p, boolean bypassed) {
    int fl = p.tcpFlags;
    int len = p.payloadLength;
    boolean syn = (fl & Tcp.SYN) != 0;
    boolean fin = (fl & Tcp.FIN) != 0;
    boolean rst = (fl & Tcp.RST) != 0;
    boolean ack = (fl & Tcp.ACK) != 0;
    int peer = side ^ 1;

    if (!bypassed) {
      int set = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
      if (set > 1) {
        addHistory(f, isOrig, fin && rst ? H_FIN_RST : H_MULTI);
      } else if (set == 1) {
        if (syn) {
          addHistory(f, isOrig, ack ? H_SYNACK : H_SYN);
        } else if (fin) {
          addHistory(f, isOrig, H_FIN);
        } else {
          addHistory(f, isOrig, H_RST);
        }
      } else if (len > 0) {
        addHistory(f, isOrig, H_DATA);
      } else if (ack) {
        addHistory(f, isOrig, H_ACK);
      }
      if (p.tcpWindow == 0 && set == 0) {
        addHistory(f, isOrig, H_ZERO_WINDOW);
      }
    }

    // Sequence space: relative offsets from the first data byte (ISN + 1 after a SYN).
    byte seqBit = isOrig ? F_ORIG_SEQ : F_RESP_SEQ;
    int dataStart = syn ? p.tcpSeq + 1 : p.tcpSeq;
    if ((flags[f] & seqBit) == 0 || (syn && tcpState[side] <= SYN_ACK_SENT)) {
      flags[f] |= seqBit;
      lastSeq[side] = dataStart;
      lastRel[side] = 0;
      bytes[side] = 0;
      bytesBase[side] = 0;
      expected[side] = 0;
    }
    if (len > 0 && !rst) {
      long rel = lastRel[side] + (dataStart - lastSeq[side]);
      lastSeq[side] = dataStart;
      lastRel[side] = rel;
      long end = rel + len;
      if (end > bytes[side]) {
        bytes[side] = end;
      }
      if (!bypassed) {
        long exp = expected[side];
        if (rel > exp) {
          missed[f] += rel - exp;
          addHistory(f, isOrig, H_GAP);
          expected[side] = end;
        } else if (end <= exp) {
          addHistory(f, isOrig, H_RETRANS);
        } else {
          expected[side] = end;
        }
        int cap = Math.min(len, p.payloadCaptured);
        if (frame != null && cap > 0) {
          observer.onTcpPayload(f, isOrig, rel, frame, p.payloadOffset, cap, p.tsNanos);
        }
      }
    }

    // Endpoint state machine (Zeek TCP_Analyzer::UpdateStateMachine, simplified).
    byte es = tcpState[side];
    byte ps = tcpState[peer];
    switch (es) {
      case INACTIVE -> {
        if (syn) {
          if (isOrig) {
            es = ack ? SYN_ACK_SENT : SYN_SENT;
          } else {
            if (ps == SYN_SENT || ps == SYN_ACK_SENT) {
              ps = ESTABLISHED;
            }
            es = ESTABLISHED;
          }
        }
        if (fin) {
          es = CLOSED;
        }
        if (rst) {
          es = RESET;
        }
        if (es == INACTIVE) {
          if (ps == SYN_SENT || ps == SYN_ACK_SENT) {
            // Answer without SYN-ACK, e.g. asymmetric capture.
            ps = ESTABLISHED;
            es = ESTABLISHED;
          } else {
            es = PARTIAL;
          }
        }
      }
      case SYN_SENT, SYN_ACK_SENT -> {
        if (fin) {
          es = CLOSED;
        }
        if (rst) {
          es = RESET;
        } else if (!syn && ack && ps != INACTIVE) {
          es = ESTABLISHED;
        }
      }
      case ESTABLISHED, PARTIAL -> {
        if (syn && es == PARTIAL && ps == INACTIVE && !ack) {
          es = SYN_SENT;
        }
        if (fin && !rst) {
          es = CLOSED;
        }
        if (rst) {
          es = RESET;
        }
      }
      case CLOSED -> {
        if (rst && ps != CLOSED) {
          es = RESET;
        }
      }
      default -> {}
    }
    tcpState[side] = es;
    tcpState[peer] = ps;
  }

  private boolean isTcpOver(int f) {
    byte o = tcpState[2 * f];
    byte r = tcpState[2 * f + 1];
    return (o == CLOSED && r == CLOSED) || o == RESET || r == RESET;
  }

  // ---- expiry -------------------------------------------------------------------------------

  /** Retires flows idle past their list's timeout at packet time {@code now}. */
  public void expire(long now) {
    for (int l = 0; l < LISTS; l++) {
      long timeout = listTimeout[l];
      int f;
      // linkTs <= lastTs < linkTs + lazyNanos, so this retires only idle flows, at most
      // lazyNanos late.
      while ((f = headOf[l]) >= 0 && now - linkTs[f] > timeout + lazyNanos) {
        if (now - lastTs[f] > timeout) {
          retire(f, l == LIST_CLOSED ? REASON_CLOSED : REASON_IDLE);
        } else { // packet times went backwards (direct use of the table): requeue
          unlink(f);
          linkTail(f, l);
        }
      }
    }
  }

  /** Retires every flow, oldest first (end of input or shutdown). */
  public void flushAll() {
    if (size == 0) {
      return;
    }
    int[] live = new int[size];
    int n = 0;
    for (int l = 0; l < LISTS; l++) {
      for (int f = headOf[l]; f >= 0; f = next[f]) {
        live[n++] = f;
      }
    }
    long[] order = new long[n];
    for (int i = 0; i < n; i++) {
      order[i] = uidSeq[live[i]];
    }
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (x, y) -> Long.compare(order[x], order[y]));
    for (Integer i : idx) {
      retire(live[i], REASON_END);
    }
  }

  // ---- table mechanics ----------------------------------------------------------------------

  private static int compareEndpoints(long hi1, long lo1, int p1, long hi2, long lo2, int p2) {
    int c = Long.compareUnsigned(hi1, hi2);
    if (c != 0) {
      return c;
    }
    c = Long.compareUnsigned(lo1, lo2);
    if (c != 0) {
      return c;
    }
    return Integer.compare(p1, p2);
  }

  private static int hash(long aHi, long aLo, long bHi, long bLo, int ports, int proto, int vl) {
    long h = aHi * 0x9e3779b97f4a7c15L + aLo;
    h = h * 0x9e3779b97f4a7c15L + bHi;
    h = h * 0x9e3779b97f4a7c15L + bLo;
    h = h * 0x9e3779b97f4a7c15L + ((long) ports << 32 | (proto & 0xff) | ((long) vl << 8));
    h = Uids.mix(h);
    return (int) (h ^ (h >>> 32));
  }

  private int find(
      int h, long kaHi, long kaLo, long kbHi, long kbLo, int kPorts, int proto, int kv) {
    int i = h & mask;
    long pv = ((long) kPorts << 32) | (kv & 0xffffffffL);
    while (true) {
      long v = slots[i];
      if (v == 0) {
        return -1;
      }
      if ((int) (v >>> 32) == h) {
        int f = (int) v - 1;
        int k = f * KEY_STRIDE;
        if (keys[k + 1] == kaLo
            && keys[k + 3] == kbLo
            && keys[k + 4] == pv
            && keys[k] == kaHi
            && keys[k + 2] == kbHi
            && keys[k + 5] == proto) {
          return f;
        }
      }
      i = (i + 1) & mask;
    }
  }

  private int create(
      int h,
      long kaHi,
      long kaLo,
      long kbHi,
      long kbLo,
      int kPorts,
      int proto,
      int kv,
      boolean origIsA,
      long now) {
    if (freeTop == 0) {
      evictOldest();
    }
    int f = freeStack[--freeTop];
    size++;
    flowsCreated++;
    int k = f * KEY_STRIDE;
    keys[k] = kaHi;
    keys[k + 1] = kaLo;
    keys[k + 2] = kbHi;
    keys[k + 3] = kbLo;
    keys[k + 4] = ((long) kPorts << 32) | (kv & 0xffffffffL);
    keys[k + 5] = proto;
    flags[f] = origIsA ? F_ORIG_IS_A : 0;
    firstTs[f] = now;
    lastTs[f] = now;
    uidSeq[f] = nextUid++;
    histSeen[f] = 0;
    histLen[f] = 0;
    missed[f] = 0;
    for (int s = 2 * f; s < 2 * f + 2; s++) {
      pkts[s] = 0;
      ipBytes[s] = 0;
      bytes[s] = 0;
      bytesBase[s] = 0;
      tcpState[s] = INACTIVE;
      lastSeq[s] = 0;
      lastRel[s] = 0;
      expected[s] = 0;
    }
    int i = h & mask;
    while (slots[i] != 0) {
      i = (i + 1) & mask;
    }
    slots[i] = ((long) h << 32) | (f + 1);
    slotOf[f] = i;
    int l =
        proto == Decoder.PROTO_TCP ? LIST_TCP : proto == Decoder.PROTO_UDP ? LIST_UDP : LIST_OTHER;
    list[f] = (byte) l;
    linkTail(f, l);
    return f;
  }

  /** Active timeout: report what the flow did so far and continue it under a new uid. */
  private void restart(int f, long now) {
    emit(f, REASON_ACTIVE_TIMEOUT, lastTs[f]);
    firstTs[f] = now;
    uidSeq[f] = nextUid++;
    histSeen[f] = 0;
    histLen[f] = 0;
    missed[f] = 0;
    for (int s = 2 * f; s < 2 * f + 2; s++) {
      pkts[s] = 0;
      ipBytes[s] = 0;
      if (keys[f * KEY_STRIDE + 5] == Decoder.PROTO_TCP) {
        bytesBase[s] = bytes[s];
      } else {
        bytes[s] = 0;
      }
    }
  }

  private void evictOldest() {
    int victim = -1;
    for (int l = 0; l < LISTS; l++) {
      int f = headOf[l];
      if (f >= 0 && (victim < 0 || lastTs[f] < lastTs[victim])) {
        victim = f;
      }
    }
    evictions++;
    retire(victim, REASON_EVICTED);
  }

  private void retire(int f, int reason) {
    emit(f, reason, lastTs[f]);
    unlink(f);
    removeSlot(f);
    freeStack[freeTop++] = f;
    size--;
  }

  private void removeSlot(int f) {
    int i = slotOf[f];
    slots[i] = 0;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      long v = slots[j];
      if (v == 0) {
        return;
      }
      int home = (int) (v >>> 32) & mask;
      // Move the entry at j back to the hole at i unless its home lies cyclically in (i, j].
      boolean stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays) {
        slots[i] = v;
        slotOf[(int) v - 1] = i;
        slots[j] = 0;
        i = j;
      }
    }
  }

  private void linkTail(int f, int l) {
    linkTs[f] = lastTs[f];
    prev[f] = tailOf[l];
    next[f] = -1;
    if (tailOf[l] >= 0) {
      next[tailOf[l]] = f;
    } else {
      headOf[l] = f;
    }
    tailOf[l] = f;
    list[f] = (byte) l;
  }

  private void unlink(int f) {
    int l = list[f];
    int pv = prev[f];
    int nx = next[f];
    if (pv >= 0) {
      next[pv] = nx;
    } else {
      headOf[l] = nx;
    }
    if (nx >= 0) {
      prev[nx] = pv;
    } else {
      tailOf[l] = pv;
    }
  }

  private void touch(int f, int l) {
    if (list[f] == l) {
      if (lastTs[f] - linkTs[f] < lazyNanos) {
        return;
      }
      if (tailOf[l] == f) {
        linkTs[f] = lastTs[f];
        return;
      }
    }
    unlink(f);
    linkTail(f, l);
  }

  private void addHistory(int f, boolean isOrig, int letter) {
    int bit = 1 << (letter + (isOrig ? 0 : 16));
    if ((histSeen[f] & bit) != 0) {
      return;
    }
    histSeen[f] |= bit;
    char c = LETTERS.charAt(letter);
    appendHistoryChar(f, isOrig ? c : Character.toLowerCase(c));
  }

  private void appendHistoryChar(int f, char c) {
    int len = histLen[f];
    if (len < HISTORY_MAX) {
      history[f * HISTORY_MAX + len] = (byte) c;
      histLen[f] = (byte) (len + 1);
    }
  }

  // ---- reporting ---------------------------------------------------------------------------

  private void emit(int f, int reason, long last) {
    ConnRecord r = rec;
    identify(f, r);
    r.durationNanos = last - firstTs[f];
    int o = 2 * f;
    r.origPkts = pkts[o];
    r.respPkts = pkts[o + 1];
    r.origIpBytes = ipBytes[o];
    r.respIpBytes = ipBytes[o + 1];
    r.origBytes = Math.max(0, bytes[o] - bytesBase[o]);
    r.respBytes = Math.max(0, bytes[o + 1] - bytesBase[o + 1]);
    r.missedBytes = missed[f];
    r.history.setLength(0);
    for (int i = 0; i < histLen[f]; i++) {
      r.history.append((char) history[f * HISTORY_MAX + i]);
    }
    r.connState = connState(f, r);
    r.bypassed = (flags[f] & F_BYPASSED) != 0;
    r.reason = reason;
    r.service = null;
    observer.onReport(f, r, reason != REASON_ACTIVE_TIMEOUT);
    sink.onConnection(r);
  }

  /**
   * Fills the identity of live flow {@code f} into {@code r}: uid, start, protocol, endpoints and
   * VLANs (for analyzers that log before the connection ends, e.g. a DNS reply).
   */
  public void identify(int f, ConnRecord r) {
    boolean origIsA = (flags[f] & F_ORIG_IS_A) != 0;
    r.uidSeq = uidSeq[f];
    r.startNanos = firstTs[f];
    int k = f * KEY_STRIDE;
    r.proto = (int) keys[k + 5];
    r.origHi = origIsA ? keys[k] : keys[k + 2];
    r.origLo = origIsA ? keys[k + 1] : keys[k + 3];
    r.respHi = origIsA ? keys[k + 2] : keys[k];
    r.respLo = origIsA ? keys[k + 3] : keys[k + 1];
    int ports = (int) (keys[k + 4] >>> 32);
    int pa = ports >>> 16;
    int pb = ports & 0xffff;
    r.origPort = origIsA ? pa : pb;
    r.respPort = origIsA ? pb : pa;
    r.ipVersion =
        (r.origHi == PacketInfo.V4_MAPPED_HI
                && (r.origLo & 0xffffffff00000000L) == PacketInfo.V4_MAPPED_LO_PREFIX)
            ? 4
            : 6;
    int v = (int) keys[k + 4];
    r.vlan = (v >>> 16) - 1;
    r.innerVlan = (v & 0xffff) - 1;
  }

  /** Zeek's {@code Conn::conn_state}. */
  private String connState(int f, ConnRecord r) {
    int proto = (int) keys[f * KEY_STRIDE + 5];
    if (proto == Decoder.PROTO_TCP) {
      byte os = tcpState[2 * f];
      byte rs = tcpState[2 * f + 1];
      boolean oInactive = os == INACTIVE || os == PARTIAL;
      boolean rInactive = rs == INACTIVE || rs == PARTIAL;
      if (rs == RESET) {
        if (os == SYN_SENT
            || os == SYN_ACK_SENT
            || (os == RESET && r.origBytes == 0 && r.respBytes == 0)) {
          return "REJ";
        }
        return oInactive ? "RSTRH" : "RSTR";
      }
      if (os == RESET) {
        if (rInactive) {
          return isSynThenRst(r.history) ? "RSTOS0" : "OTH";
        }
        return "RSTO";
      }
      if (rs == CLOSED && os == CLOSED) {
        return "SF";
      }
      if (os == CLOSED) {
        return rInactive ? "SH" : "S2";
      }
      if (rs == CLOSED) {
        return oInactive ? "SHR" : "S3";
      }
      if (os == SYN_SENT && rs == INACTIVE) {
        return "S0";
      }
      if (os == ESTABLISHED && rs == ESTABLISHED) {
        return "S1";
      }
      return "OTH";
    }
    if (proto == Decoder.PROTO_UDP) {
      boolean o = r.origPkts > 0;
      boolean rr = r.respPkts > 0;
      return o ? (rr ? "SF" : "S0") : (rr ? "SHR" : "OTH");
    }
    return "OTH";
  }

  /** History matches {@code ^?S[^HAFGIQ]*R.*}. */
  static boolean isSynThenRst(CharSequence h) {
    int i = 0;
    if (i < h.length() && h.charAt(i) == '^') {
      i++;
    }
    if (i >= h.length() || h.charAt(i) != 'S') {
      return false;
    }
    for (i++; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c == 'R') {
        return true;
      }
      if ("HAFGIQ".indexOf(c) >= 0) {
        return false;
      }
    }
    return false;
  }
}
