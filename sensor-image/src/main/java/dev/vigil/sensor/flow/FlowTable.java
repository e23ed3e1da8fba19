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
 * <p>Key: the two endpoints (address + port each) in canonical order (lower endpoint first), the IP
 * protocol and the VLAN ids, packed into two longs per flow:
 *
 * <pre>
 *   addr: IPv4   a(32) | b(32)
 *         IPv6   0xffffffff | index into the IPv6 side table (4 longs: aHi aLo bHi bLo)
 *   meta: class(3) | vlan+1 (13) | inner vlan+1 (13) | port a (16) | port b (16)
 *         class 1 TCP, 2 UDP, 3 ICMP, 4 ICMPv6; 0 other (the port bits hold the protocol)
 * </pre>
 *
 * An IPv4 pair 255.255.255.255/255.255.255.255 is {@code 0xffffffff_ffffffff}: no IPv6 index is
 * {@code 0xffffffff}, so the two forms never meet. The IPv6 side table starts at 1/16 of the
 * capacity and doubles (up to the capacity) when IPv6 flows need it. Which canonical side
 * originated is a per-flow bit, so both directions find the same flow. A hash slot holds {@code
 * flow + 1} in its low bits and the top bits of the key's hash above them, so probing rarely
 * touches a key that does not match.
 *
 * <p>Counters are 32-bit words (packets, IP bytes and payload bytes per direction, missed bytes);
 * the rare flow that carries a word past 2^32 gets its high words in a small side list ({@link
 * #wideFlows()}). TCP sequence tracking keeps one 32-bit origin per direction: a segment's stream
 * offset is its distance from the direction's high-water mark, taken modulo 2^32.
 *
 * <p>Time comes from the packets, so offline runs are reproducible. Each flow sits on one of four
 * LRU lists (TCP, UDP, other, closed) ordered by last activity; each list has one timeout, so
 * expiry only looks at list heads. A full table evicts the least recently active flow (counted in
 * {@link #evictions()}) and logs it like any other.
 *
 * <p>TCP endpoint states and {@code conn_state} follow Zeek's TCP analyzer and {@code
 * Conn::conn_state}; {@code history} uses Zeek's letters (upper case originator), 5-bit coded.
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

  // flags: bits 0..4 below, bits 5..6 the LRU list
  private static final int F_ORIG_IS_A = 1;
  private static final int F_BYPASSED = 2;
  private static final int F_ORIG_SEQ = 4;
  private static final int F_RESP_SEQ = 8;
  private static final int F_WIDE = 16;
  private static final int LIST_SHIFT = 5;

  /** History letters, index = bit in {@link #hist} (+16 for the responder). */
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

  /** History code of '^'; 1..11 originator letters, 12..22 responder letters. */
  private static final int CODE_CARET = 0;

  private static final int CLASS_OTHER = 0;
  private static final int CLASS_TCP = 1;
  private static final int CLASS_UDP = 2;
  private static final int CLASS_ICMP = 3;
  private static final int CLASS_ICMPV6 = 4;
  private static final long V6_MARK = 0xffffffffL;
  private static final long K1 = 0x9e3779b97f4a7c15L;

  // wide counters: indices of the high words
  private static final int W_PKTS = 0;
  private static final int W_IP_BYTES = 2;
  private static final int W_BYTES = 4;
  private static final int W_MISSED = 6;
  private static final int W_STRIDE = 7;

  private final FlowConfig cfg;
  private final FlowSink sink;
  private final int capacity;
  private final int mask;
  private final int idMask;

  /** Slot = hash tag (bits above idMask) | (flow + 1); 0 = empty. */
  private final int[] slots;

  private final long[] listTimeout = new long[LISTS];

  /** Two longs per flow (addr, meta), adjacent so a lookup touches one place. */
  private final long[] keys;

  /** IPv6 endpoints, 4 longs per entry; grows by doubling up to the capacity. */
  private long[] v6Keys;

  private int[] v6Free;
  private int v6FreeTop;
  private int v6Allocated;

  // bookkeeping
  private final byte[] flags;
  private final int[] prev;
  private final int[] next; // also the free list
  private final int[] headOf = new int[LISTS];
  private final int[] tailOf = new int[LISTS];
  private int freeHead;
  private int size;
  private int peakSize;

  // per flow
  private final long[] firstTs;
  private final long[] lastTs;

  /**
   * lastTs minus the time the flow was last moved to its list's tail (lists are ordered by that
   * time, a lazy LRU); below lazyNanos.
   */
  private final int[] linkDelta;

  private final long lazyNanos;
  private final long[] uidSeq;

  /** Letters seen (bits 0..10 originator, 16..26 responder), length (27..31), code 15 (11..15). */
  private final int[] hist;

  /** History codes 0..11, 5 bits each. */
  private final long[] histLo;

  /** History codes 12..14, 5 bits each. */
  private final short[] histHi;

  private final int[] missed;

  // per endpoint: index 2*flow (orig) and 2*flow+1 (resp); unsigned 32-bit words
  private final int[] pkts;
  private final int[] ipBytes;
  private final int[] bytes; // UDP/ICMP/other payload; TCP: stream high-water mark
  private final int[] seqOrigin; // TCP: sequence number of stream offset 0 (mod 2^32)
  private final byte[] tcpState;

  // flows whose counters passed 2^32: flow id and W_STRIDE high words each
  private int[] wideFlow = new int[4];
  private long[] wideHigh = new long[4 * W_STRIDE];
  private int wideCount;

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

  // the packet being accounted: its IPv6 endpoints in canonical order (for a new side entry)
  private long curAHi;
  private long curALo;
  private long curBHi;
  private long curBLo;

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
    this.capacity = Math.max(1, Math.min(cfg.maxFlows(), 1 << 30));
    int slotCount = Integer.highestOneBit(Math.max(2, capacity * 2 - 1)) << 1;
    this.slots = new int[slotCount];
    this.mask = slotCount - 1;
    int idBits = 32 - Integer.numberOfLeadingZeros(capacity);
    this.idMask = idBits >= 32 ? -1 : (1 << idBits) - 1;
    listTimeout[LIST_TCP] = cfg.tcpIdleNanos();
    listTimeout[LIST_UDP] = cfg.udpIdleNanos();
    listTimeout[LIST_OTHER] = cfg.otherIdleNanos();
    listTimeout[LIST_CLOSED] = cfg.closeDelayNanos();
    int n = capacity;
    keys = new long[2 * n];
    flags = new byte[n];
    prev = new int[n];
    next = new int[n];
    for (int i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1; // free list: pop 0 first
    }
    freeHead = 0;
    firstTs = new long[n];
    lastTs = new long[n];
    linkDelta = new int[n];
    long minTimeout = Long.MAX_VALUE;
    for (long t : listTimeout) {
      minTimeout = Math.min(minTimeout, t);
    }
    // A flow moves to its list's tail at most once per lazyNanos; expiry allows for that slack.
    lazyNanos = Math.max(0, Math.min(100_000_000L, minTimeout / 10));
    uidSeq = new long[n];
    hist = new int[n];
    histLo = new long[n];
    histHi = new short[n];
    missed = new int[n];
    pkts = new int[2 * n];
    ipBytes = new int[2 * n];
    bytes = new int[2 * n];
    seqOrigin = new int[2 * n];
    tcpState = new byte[2 * n];
    growV6(Math.min(n, Math.max(64, n >>> 4)));
    Arrays.fill(headOf, -1);
    Arrays.fill(tailOf, -1);
  }

  /**
   * Bytes of table state per flow of capacity without the IPv6 side table: keys, hash slots (2 per
   * flow), bookkeeping, timestamps, uid, history, counters and TCP state.
   */
  public static int bytesPerFlow() {
    // keys, flags, prev, next, firstTs + lastTs + uid, linkDelta, hist, histLo, histHi, missed
    int perFlow = 2 * 8 + 1 + 4 + 4 + 3 * 8 + 4 + 4 + 8 + 2 + 4;
    int perEndpoint = 4 * 4 + 1;
    return perFlow + 2 * perEndpoint + 2 * 4;
  }

  /** Bytes of flow state held now: the fixed arrays, the IPv6 side table and wide counters. */
  public long stateBytes() {
    long fixed = (long) bytesPerFlow() * capacity + (long) (slots.length - 2 * capacity) * 4;
    return fixed
        + (long) v6Keys.length * 8
        + (long) v6Free.length * 4
        + wideFlow.length * 4L
        + wideHigh.length * 8L;
  }

  public int capacity() {
    return capacity;
  }

  /** IPv6 side-table entries allocated (grows on demand up to the capacity). */
  public int ipv6Allocated() {
    return v6Allocated;
  }

  /** Flows whose counters passed 2^32 (high words held in the side list). */
  public int wideFlows() {
    return wideCount;
  }

  public int size() {
    return size;
  }

  /** Most flows live at once so far. */
  public int peakSize() {
    return peakSize;
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
    long h = p.srcHi * K1 + p.srcLo;
    h = h * K1 + p.dstHi;
    h = h * K1 + p.dstLo;
    h = h * K1 + (((long) p.fragmentId << 8) | (p.proto & 0xff));
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
    if (uidSeq[f] != fragUid[i] || protoOf(f) != p.proto) {
      fragmentsUnmatched++; // the connection ended meanwhile
      return;
    }
    fragmentsAttributed++;
    add(ipBytes, side, p.ipLength, W_IP_BYTES);
    long old = lastTs[f];
    lastTs[f] = now;
    touch(f, listOf(f), old);
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
    long cls;
    if (proto == Decoder.PROTO_TCP || proto == Decoder.PROTO_UDP) {
      sport = p.srcPort;
      dport = p.dstPort;
      cls = proto == Decoder.PROTO_TCP ? CLASS_TCP : CLASS_UDP;
    } else if (proto == Decoder.PROTO_ICMP || proto == Decoder.PROTO_ICMPV6) {
      boolean icmp6 = proto == Decoder.PROTO_ICMPV6;
      int cp = Icmp.counterpart(p.icmpType, icmp6);
      sport = p.icmpType;
      dport = cp >= 0 ? cp : p.icmpCode;
      cls = icmp6 ? CLASS_ICMPV6 : CLASS_ICMP;
    } else {
      sport = 0;
      dport = 0;
      cls = CLASS_OTHER;
    }
    boolean srcIsA = compareEndpoints(p.srcHi, p.srcLo, sport, p.dstHi, p.dstLo, dport) <= 0;
    int kPorts = srcIsA ? (sport << 16) | dport : (dport << 16) | sport;
    if (cls == CLASS_OTHER) {
      kPorts = proto & 0xff;
    }
    long meta =
        cls << 58
            | (long) (p.vlan + 1) << 45
            | (long) (p.innerVlan + 1) << 32
            | (kPorts & 0xffffffffL);
    long aHi = srcIsA ? p.srcHi : p.dstHi;
    long aLo = srcIsA ? p.srcLo : p.dstLo;
    long bHi = srcIsA ? p.dstHi : p.srcHi;
    long bLo = srcIsA ? p.dstLo : p.srcLo;
    int h;
    int f;
    long addr;
    boolean v6 = !(isV4(aHi, aLo) && isV4(bHi, bLo));
    if (!v6) {
      addr = aLo << 32 | (bLo & 0xffffffffL);
      h = hashV4(addr, meta);
      f = findV4(h, addr, meta);
    } else {
      addr = -1;
      curAHi = aHi;
      curALo = aLo;
      curBHi = bHi;
      curBLo = bLo;
      h = hashV6(aHi, aLo, bHi, bLo, meta);
      f = findV6(h, aHi, aLo, bHi, bLo, meta);
    }
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
    long old;
    if (f < 0) {
      boolean flip = tcp && (p.tcpFlags & (Tcp.SYN | Tcp.ACK)) == (Tcp.SYN | Tcp.ACK);
      boolean origIsA = flip != srcIsA;
      f = create(h, addr, meta, origIsA, now, v6);
      if (flip) {
        appendHistory(f, CODE_CARET);
      }
      observer.onStart(f, now);
      old = now;
    } else {
      old = lastTs[f];
    }
    int fl = flags[f];
    boolean isOrig = srcIsA == ((fl & F_ORIG_IS_A) != 0);
    int side = 2 * f + (isOrig ? 0 : 1);
    if (p.firstFragment) {
      long fh = fragmentHash(p);
      int fi = (int) fh & (FRAG_SLOTS - 1);
      fragKey[fi] = fh;
      fragUid[fi] = uidSeq[f];
      fragSide[fi] = side;
    }
    add(pkts, side, 1, W_PKTS);
    add(ipBytes, side, p.ipLength, W_IP_BYTES);
    lastTs[f] = now;
    boolean bypassed = (fl & F_BYPASSED) != 0;
    if (bypassed) {
      bypassedPackets++;
    }
    if (tcp) {
      tcpPacket(f, side, isOrig, p, bypassed);
    } else {
      add(bytes, side, p.payloadLength, W_BYTES);
      if (proto == Decoder.PROTO_UDP && !bypassed) {
        addHistory(f, isOrig, H_DATA);
        int cap = Math.min(p.payloadLength, p.payloadCaptured);
        if (frame != null && cap > 0) {
          observer.onUdpPayload(f, isOrig, frame, p.payloadOffset, cap, p.tsNanos);
        }
      }
    }
    touch(f, tcp && isTcpOver(f) ? LIST_CLOSED : listOf(f), old);
    if (!bypassed && (cfg.bypassBytes() > 0 || cfg.bypassPackets() > 0)) {
      long totalBytes =
          counter(ipBytes, 2 * f, W_IP_BYTES) + counter(ipBytes, 2 * f + 1, W_IP_BYTES);
      long totalPkts = counter(pkts, 2 * f, W_PKTS) + counter(pkts, 2 * f + 1, W_PKTS);
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

    // Sequence space: stream offsets from the first data byte (ISN + 1 after a SYN).
    int seqBit = isOrig ? F_ORIG_SEQ : F_RESP_SEQ;
    int dataStart = syn ? p.tcpSeq + 1 : p.tcpSeq;
    if ((flags[f] & seqBit) == 0 || (syn && tcpState[side] <= SYN_ACK_SENT)) {
      flags[f] |= (byte) seqBit;
      seqOrigin[side] = dataStart;
      bytes[side] = 0;
      if ((flags[f] & F_WIDE) != 0) {
        setHigh(f, W_BYTES + (side & 1), 0);
      }
    }
    if (len > 0 && !rst) {
      int high = bytes[side];
      // distance of the segment's first byte from the high-water mark (mod 2^32, signed)
      int relD = dataStart - seqOrigin[side] - high;
      long endD = (long) relD + len;
      if (endD > 0) {
        add(bytes, side, endD, W_BYTES);
      }
      if (!bypassed) {
        if (relD > 0) {
          add(missed, f, relD, W_MISSED);
          addHistory(f, isOrig, H_GAP);
        } else if (endD <= 0) {
          addHistory(f, isOrig, H_RETRANS);
        }
        int cap = Math.min(len, p.payloadCaptured);
        if (frame != null && cap > 0) {
          long rel = Integer.toUnsignedLong(high) + relD;
          if ((flags[f] & F_WIDE) != 0) {
            rel += highOf(f, W_BYTES + (side & 1)) << 32;
          }
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

  // ---- counters ----------------------------------------------------------------------------

  /** Adds {@code v} (0..2^32) to the unsigned word {@code a[i]}; a carry goes to the side list. */
  private void add(int[] a, int i, long v, int w) {
    long t = Integer.toUnsignedLong(a[i]) + v;
    a[i] = (int) t;
    if ((t >>> 32) != 0) {
      int f = a == missed ? i : i >>> 1;
      int word = a == missed ? w : w + (i & 1);
      setHigh(f, word, highOf(f, word) + (t >>> 32));
    }
  }

  private long counter(int[] a, int i, int w) {
    long v = Integer.toUnsignedLong(a[i]);
    int f = a == missed ? i : i >>> 1;
    if ((flags[f] & F_WIDE) != 0) {
      v += highOf(f, a == missed ? w : w + (i & 1)) << 32;
    }
    return v;
  }

  private int wideIndex(int f) {
    if ((flags[f] & F_WIDE) == 0) {
      return -1;
    }
    for (int i = 0; i < wideCount; i++) {
      if (wideFlow[i] == f) {
        return i;
      }
    }
    return -1;
  }

  private long highOf(int f, int word) {
    int i = wideIndex(f);
    return i < 0 ? 0 : wideHigh[i * W_STRIDE + word];
  }

  private void setHigh(int f, int word, long v) {
    int i = wideIndex(f);
    if (i < 0) {
      if (v == 0) {
        return;
      }
      if (wideCount == wideFlow.length) {
        wideFlow = Arrays.copyOf(wideFlow, 2 * wideCount);
        wideHigh = Arrays.copyOf(wideHigh, 2 * wideCount * W_STRIDE);
      }
      i = wideCount++;
      wideFlow[i] = f;
      Arrays.fill(wideHigh, i * W_STRIDE, (i + 1) * W_STRIDE, 0);
      flags[f] |= F_WIDE;
    }
    wideHigh[i * W_STRIDE + word] = v;
  }

  private void dropWide(int f) {
    int i = wideIndex(f);
    if (i >= 0) {
      int last = --wideCount;
      wideFlow[i] = wideFlow[last];
      System.arraycopy(wideHigh, last * W_STRIDE, wideHigh, i * W_STRIDE, W_STRIDE);
    }
    flags[f] &= (byte) ~F_WIDE;
  }

  // ---- expiry -------------------------------------------------------------------------------

  /** Retires flows idle past their list's timeout at packet time {@code now}. */
  public void expire(long now) {
    for (int l = 0; l < LISTS; l++) {
      long timeout = listTimeout[l];
      int f;
      // linkTs <= lastTs < linkTs + lazyNanos, so this retires only idle flows, at most
      // lazyNanos late.
      while ((f = headOf[l]) >= 0 && now - (lastTs[f] - linkDelta[f]) > timeout + lazyNanos) {
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

  private static boolean isV4(long hi, long lo) {
    return hi == PacketInfo.V4_MAPPED_HI
        && (lo & 0xffffffff00000000L) == PacketInfo.V4_MAPPED_LO_PREFIX;
  }

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

  private static int hashV4(long addr, long meta) {
    long h = Uids.mix(addr * K1 + meta);
    return (int) (h ^ (h >>> 32));
  }

  private static int hashV6(long aHi, long aLo, long bHi, long bLo, long meta) {
    long h = aHi * K1 + aLo;
    h = h * K1 + bHi;
    h = h * K1 + bLo;
    h = Uids.mix(h * K1 + meta);
    return (int) (h ^ (h >>> 32));
  }

  private int hashOf(int f) {
    long addr = keys[2 * f];
    long meta = keys[2 * f + 1];
    if (isV6Key(addr)) {
      int e = 4 * (int) addr;
      return hashV6(v6Keys[e], v6Keys[e + 1], v6Keys[e + 2], v6Keys[e + 3], meta);
    }
    return hashV4(addr, meta);
  }

  private static boolean isV6Key(long addr) {
    return (addr >>> 32) == V6_MARK && (int) addr != -1;
  }

  private int findV4(int h, long addr, long meta) {
    int tag = h & ~idMask;
    int i = h & mask;
    while (true) {
      int v = slots[i];
      if (v == 0) {
        return -1;
      }
      if ((v & ~idMask) == tag) {
        int f = (v & idMask) - 1;
        if (keys[2 * f] == addr && keys[2 * f + 1] == meta) {
          return f;
        }
      }
      i = (i + 1) & mask;
    }
  }

  private int findV6(int h, long aHi, long aLo, long bHi, long bLo, long meta) {
    int tag = h & ~idMask;
    int i = h & mask;
    while (true) {
      int v = slots[i];
      if (v == 0) {
        return -1;
      }
      if ((v & ~idMask) == tag) {
        int f = (v & idMask) - 1;
        long addr = keys[2 * f];
        if (keys[2 * f + 1] == meta && isV6Key(addr)) {
          int e = 4 * (int) addr;
          if (v6Keys[e + 1] == aLo
              && v6Keys[e + 3] == bLo
              && v6Keys[e] == aHi
              && v6Keys[e + 2] == bHi) {
            return f;
          }
        }
      }
      i = (i + 1) & mask;
    }
  }

  private void growV6(int entries) {
    int old = v6Allocated;
    v6Keys = v6Keys == null ? new long[4 * entries] : Arrays.copyOf(v6Keys, 4 * entries);
    v6Free = v6Free == null ? new int[entries] : Arrays.copyOf(v6Free, entries);
    for (int e = entries - 1; e >= old; e--) {
      v6Free[v6FreeTop++] = e;
    }
    v6Allocated = entries;
  }

  private int create(int h, long addr, long meta, boolean origIsA, long now, boolean v6) {
    if (freeHead < 0) {
      evictOldest();
    }
    int f = freeHead;
    freeHead = next[f];
    size++;
    if (size > peakSize) {
      peakSize = size;
    }
    flowsCreated++;
    if (v6) {
      if (v6FreeTop == 0) {
        growV6((int) Math.min(capacity, 2L * v6Allocated));
      }
      int e = v6Free[--v6FreeTop];
      v6Keys[4 * e] = curAHi;
      v6Keys[4 * e + 1] = curALo;
      v6Keys[4 * e + 2] = curBHi;
      v6Keys[4 * e + 3] = curBLo;
      addr = V6_MARK << 32 | e;
    }
    keys[2 * f] = addr;
    keys[2 * f + 1] = meta;
    flags[f] = (byte) (origIsA ? F_ORIG_IS_A : 0);
    firstTs[f] = now;
    lastTs[f] = now;
    uidSeq[f] = nextUid++;
    hist[f] = 0;
    histLo[f] = 0;
    histHi[f] = 0;
    missed[f] = 0;
    for (int s = 2 * f; s < 2 * f + 2; s++) {
      pkts[s] = 0;
      ipBytes[s] = 0;
      bytes[s] = 0;
      seqOrigin[s] = 0;
      tcpState[s] = INACTIVE;
    }
    int i = h & mask;
    while (slots[i] != 0) {
      i = (i + 1) & mask;
    }
    slots[i] = (h & ~idMask) | (f + 1);
    int cls = (int) (meta >>> 58);
    int l = cls == CLASS_TCP ? LIST_TCP : cls == CLASS_UDP ? LIST_UDP : LIST_OTHER;
    linkTail(f, l);
    return f;
  }

  /** Active timeout: report what the flow did so far and continue it under a new uid. */
  private void restart(int f, long now) {
    emit(f, REASON_ACTIVE_TIMEOUT, lastTs[f]);
    firstTs[f] = now;
    uidSeq[f] = nextUid++;
    hist[f] = 0;
    histLo[f] = 0;
    histHi[f] = 0;
    missed[f] = 0;
    boolean tcp = protoOf(f) == Decoder.PROTO_TCP;
    for (int s = 2 * f; s < 2 * f + 2; s++) {
      pkts[s] = 0;
      ipBytes[s] = 0;
      if (tcp) {
        seqOrigin[s] += bytes[s]; // the next part counts from here
      }
      bytes[s] = 0;
    }
    dropWide(f);
    if (tcp) {
      // stream offsets restart with the part: content analysis does not carry across
      observer.onBypass(f);
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
    long addr = keys[2 * f];
    if (isV6Key(addr)) {
      v6Free[v6FreeTop++] = (int) addr;
    }
    keys[2 * f] = 0;
    keys[2 * f + 1] = -1; // matches no packet
    if ((flags[f] & F_WIDE) != 0) {
      dropWide(f);
    }
    next[f] = freeHead;
    freeHead = f;
    size--;
  }

  private void removeSlot(int f) {
    int i = hashOf(f) & mask;
    while ((slots[i] & idMask) != f + 1) {
      i = (i + 1) & mask;
    }
    slots[i] = 0;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      int v = slots[j];
      if (v == 0) {
        return;
      }
      int home = hashOf((v & idMask) - 1) & mask;
      // Move the entry at j back to the hole at i unless its home lies cyclically in (i, j].
      boolean stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays) {
        slots[i] = v;
        slots[j] = 0;
        i = j;
      }
    }
  }

  private int listOf(int f) {
    return (flags[f] >>> LIST_SHIFT) & 3;
  }

  private void linkTail(int f, int l) {
    linkDelta[f] = 0;
    prev[f] = tailOf[l];
    next[f] = -1;
    if (tailOf[l] >= 0) {
      next[tailOf[l]] = f;
    } else {
      headOf[l] = f;
    }
    tailOf[l] = f;
    flags[f] = (byte) ((flags[f] & ~(3 << LIST_SHIFT)) | (l << LIST_SHIFT));
  }

  private void unlink(int f) {
    int l = listOf(f);
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

  /** The flow's lastTs moved from {@code old}; requeue it on list {@code l} when due. */
  private void touch(int f, int l, long old) {
    long delta = linkDelta[f] + (lastTs[f] - old);
    if (listOf(f) == l) {
      if (delta < lazyNanos && delta > Integer.MIN_VALUE) {
        linkDelta[f] = (int) delta;
        return;
      }
      if (tailOf[l] == f) {
        linkDelta[f] = 0;
        return;
      }
    }
    unlink(f);
    linkTail(f, l);
  }

  private void addHistory(int f, boolean isOrig, int letter) {
    int bit = 1 << (letter + (isOrig ? 0 : 16));
    if ((hist[f] & bit) != 0) {
      return;
    }
    hist[f] |= bit;
    appendHistory(f, letter + (isOrig ? 1 : 12));
  }

  private void appendHistory(int f, int code) {
    int h = hist[f];
    int len = h >>> 27;
    if (len >= HISTORY_MAX) {
      return;
    }
    if (len < 12) {
      histLo[f] |= (long) code << (5 * len);
    } else if (len < 15) {
      histHi[f] |= (short) (code << (5 * (len - 12)));
    } else {
      h |= code << 11;
    }
    hist[f] = (h & 0x07ffffff) | ((len + 1) << 27);
  }

  private int historyCode(int f, int i) {
    if (i < 12) {
      return (int) (histLo[f] >>> (5 * i)) & 31;
    }
    if (i < 15) {
      return (histHi[f] >>> (5 * (i - 12))) & 31;
    }
    return (hist[f] >>> 11) & 31;
  }

  private int protoOf(int f) {
    long meta = keys[2 * f + 1];
    return switch ((int) (meta >>> 58)) {
      case CLASS_TCP -> Decoder.PROTO_TCP;
      case CLASS_UDP -> Decoder.PROTO_UDP;
      case CLASS_ICMP -> Decoder.PROTO_ICMP;
      case CLASS_ICMPV6 -> Decoder.PROTO_ICMPV6;
      default -> (int) meta & 0xff;
    };
  }

  // ---- reporting ---------------------------------------------------------------------------

  private void emit(int f, int reason, long last) {
    ConnRecord r = rec;
    int fl = flags[f];
    identify(f, r);
    r.durationNanos = last - firstTs[f];
    int o = 2 * f;
    r.origPkts = counter(pkts, o, W_PKTS);
    r.respPkts = counter(pkts, o + 1, W_PKTS);
    r.origIpBytes = counter(ipBytes, o, W_IP_BYTES);
    r.respIpBytes = counter(ipBytes, o + 1, W_IP_BYTES);
    r.origBytes = counter(bytes, o, W_BYTES);
    r.respBytes = counter(bytes, o + 1, W_BYTES);
    r.missedBytes = counter(missed, f, W_MISSED);
    r.history.setLength(0);
    int len = hist[f] >>> 27;
    for (int i = 0; i < len; i++) {
      int c = historyCode(f, i);
      if (c == CODE_CARET) {
        r.history.append('^');
      } else if (c <= 11) {
        r.history.append(LETTERS.charAt(c - 1));
      } else {
        r.history.append(Character.toLowerCase(LETTERS.charAt(c - 12)));
      }
    }
    r.connState = connState(f, r);
    r.bypassed = (fl & F_BYPASSED) != 0;
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
    long addr = keys[2 * f];
    long meta = keys[2 * f + 1];
    r.proto = protoOf(f);
    long aHi;
    long aLo;
    long bHi;
    long bLo;
    if (isV6Key(addr)) {
      int e = 4 * (int) addr;
      aHi = v6Keys[e];
      aLo = v6Keys[e + 1];
      bHi = v6Keys[e + 2];
      bLo = v6Keys[e + 3];
    } else {
      aHi = PacketInfo.V4_MAPPED_HI;
      aLo = PacketInfo.V4_MAPPED_LO_PREFIX | (addr >>> 32);
      bHi = PacketInfo.V4_MAPPED_HI;
      bLo = PacketInfo.V4_MAPPED_LO_PREFIX | (addr & 0xffffffffL);
    }
    r.origHi = origIsA ? aHi : bHi;
    r.origLo = origIsA ? aLo : bLo;
    r.respHi = origIsA ? bHi : aHi;
    r.respLo = origIsA ? bLo : aLo;
    int ports = (int) meta;
    int pa = (int) (meta >>> 58) == CLASS_OTHER ? 0 : ports >>> 16;
    int pb = (int) (meta >>> 58) == CLASS_OTHER ? 0 : ports & 0xffff;
    r.origPort = origIsA ? pa : pb;
    r.respPort = origIsA ? pb : pa;
    r.ipVersion = isV4(r.origHi, r.origLo) ? 4 : 6;
    r.vlan = (int) (meta >>> 45 & 0x1fff) - 1;
    r.innerVlan = (int) (meta >>> 32 & 0x1fff) - 1;
  }

  /** Zeek's {@code Conn::conn_state}. */
  private String connState(int f, ConnRecord r) {
    int proto = r.proto;
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
