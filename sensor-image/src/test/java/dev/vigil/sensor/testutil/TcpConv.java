package dev.vigil.sensor.testutil;

/**
 * A TCP conversation between a client and a server that keeps both sequence numbers right, so tests
 * say what happens ("client sends 100 bytes") rather than computing numbers.
 */
public final class TcpConv {
  private final Trace trace;
  private final Wrap wrap;
  private final String client;
  private final String server;
  private final int cport;
  private final int sport;
  private int cseq;
  private int sseq;

  public TcpConv(Trace trace, Wrap wrap, String client, int cport, String server, int sport) {
    this.trace = trace;
    this.wrap = wrap;
    this.client = client;
    this.server = server;
    this.cport = cport;
    this.sport = sport;
    this.cseq = 1000 + cport * 7;
    this.sseq = 900_000 + sport * 13;
  }

  /** Client → server segment; advances the client's sequence number. */
  public TcpConv c(long micros, int flags, byte[] data) {
    byte[] seg = Frames.tcp(cport, sport, cseq, ack(flags, sseq), flags, data);
    trace.add(micros, wrap.frame(client, server, 6, seg));
    cseq += data.length + ((flags & (Frames.TCP_SYN | Frames.TCP_FIN)) != 0 ? 1 : 0);
    return this;
  }

  /** Server → client segment. */
  public TcpConv s(long micros, int flags, byte[] data) {
    byte[] seg = Frames.tcp(sport, cport, sseq, ack(flags, cseq), flags, data);
    trace.add(micros, wrap.frame(server, client, 6, seg));
    sseq += data.length + ((flags & (Frames.TCP_SYN | Frames.TCP_FIN)) != 0 ? 1 : 0);
    return this;
  }

  /** Client segment sent at {@code offset} bytes ahead of the current sequence (a gap). */
  public TcpConv cSkip(long micros, int skip, byte[] data) {
    cseq += skip;
    return c(micros, Frames.TCP_ACK | Frames.TCP_PSH, data);
  }

  /** Re-sends the client's last {@code n} bytes (a retransmission). */
  public TcpConv cRetransmit(long micros, byte[] data) {
    cseq -= data.length;
    return c(micros, Frames.TCP_ACK | Frames.TCP_PSH, data);
  }

  /**
   * Client data cut at {@code cuts} (ascending offsets) into segments sent in {@code order}
   * (segment indexes; an index may repeat: a retransmission). The sequence advances by all of it.
   */
  public TcpConv cSplit(long micros, byte[] data, int[] cuts, int... order) {
    return split(true, micros, data, cuts, order);
  }

  /** Server side of {@link #cSplit}. */
  public TcpConv sSplit(long micros, byte[] data, int[] cuts, int... order) {
    return split(false, micros, data, cuts, order);
  }

  private TcpConv split(boolean client, long micros, byte[] data, int[] cuts, int[] order) {
    int[] bounds = new int[cuts.length + 2];
    System.arraycopy(cuts, 0, bounds, 1, cuts.length);
    bounds[cuts.length + 1] = data.length;
    int base = client ? cseq : sseq;
    for (int i : order) {
      byte[] seg = java.util.Arrays.copyOfRange(data, bounds[i], bounds[i + 1]);
      int seq = base + bounds[i];
      if (client) {
        trace.add(
            micros, wrap.frame(client(), server, 6, Frames.tcp(cport, sport, seq, sseq, PSH, seg)));
      } else {
        trace.add(
            micros, wrap.frame(server, client(), 6, Frames.tcp(sport, cport, seq, cseq, PSH, seg)));
      }
    }
    if (client) {
      cseq += data.length;
    } else {
      sseq += data.length;
    }
    return this;
  }

  private String client() {
    return client;
  }

  private static int ack(int flags, int peerSeq) {
    return (flags & Frames.TCP_ACK) != 0 ? peerSeq : 0;
  }

  public static final int SYN = Frames.TCP_SYN;
  public static final int SYNACK = Frames.TCP_SYN | Frames.TCP_ACK;
  public static final int ACK = Frames.TCP_ACK;
  public static final int PSH = Frames.TCP_ACK | Frames.TCP_PSH;
  public static final int FIN = Frames.TCP_FIN | Frames.TCP_ACK;
  public static final int RST = Frames.TCP_RST;
  public static final int RSTACK = Frames.TCP_RST | Frames.TCP_ACK;
  public static final byte[] NONE = new byte[0];

  /** Handshake, request, two-segment response, FIN exchange: Zeek "ShADadFf", SF. */
  public TcpConv fullExchange(int req, int resp) {
    c(10, SYN, NONE).s(100, SYNACK, NONE).c(100, ACK, NONE);
    c(50, PSH, Frames.payload(req, 1));
    s(200, ACK, NONE);
    s(300, PSH, Frames.payload(resp / 2, 2));
    s(10, PSH, Frames.payload(resp - resp / 2, 3));
    c(50, ACK, NONE);
    c(1000, FIN, NONE).s(100, FIN, NONE).c(100, ACK, NONE);
    return this;
  }
}
