package dev.vigil.sensor.analyzer;

import dev.vigil.sensor.decode.Weirds;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.x parsing of one connection, both directions, fed in-order bytes ({@link #feed}) from the
 * stream prefix and, past it, straight from the segments ({@link #segment}). Requests are queued as
 * their headers end and paired with responses in order (pipelining); a transaction is handed out
 * when its response is complete. Bodies are measured, not kept: by {@code Content-Length}, by
 * chunks, or up to the end of the connection (a response without either). Lines are kept up to
 * {@link #LINE_MAX} bytes. A CONNECT answered with 2xx ends the parsing: what follows is a tunnel
 * ({@link #tunnelReq}, {@link #tunnelRsp}). The first {@link #PEEK} bytes of each request body are
 * kept for the getwork check ({@link Getwork}).
 *
 * <p>Instances come from a per-worker pool and are reused; strings are built once per request and
 * response line and header of interest, never per packet.
 */
final class HttpFlow {
  static final int LINE_MAX = 4096;
  static final int PEEK = 1024;
  static final int MAX_PENDING = 16;

  static final int REQ = 0;
  static final int RSP = 1;

  private static final int S_LINE = 0;
  private static final int S_HEADERS = 1;
  private static final int S_BODY = 2;
  private static final int S_CHUNK_SIZE = 3;
  private static final int S_CHUNK_DATA = 4;
  private static final int S_CHUNK_END = 5;
  private static final int S_TRAILER = 6;
  private static final int S_EOF = 7;
  private static final int S_STOP = 8;

  /** Receives completed transactions. */
  interface Out {
    void onHttp(HttpFlow flow, HttpTransaction t);
  }

  private final Weirds weirds;
  int flow;
  int clientDir;

  private final byte[][] line = {new byte[LINE_MAX], new byte[LINE_MAX]};
  private final int[] lineLen = new int[2];
  private final boolean[] lineCut = new boolean[2];
  private final int[] st = new int[2];
  private final long[] remaining = new long[2];
  final long[] cursor = new long[2];
  private final boolean[] chunked = new boolean[2];
  private final long[] contentLength = new long[2];

  // Requests whose headers ended, oldest first (a ring).
  private final long[] qTs = new long[MAX_PENDING];
  private final int[] qDepth = new int[MAX_PENDING];
  private final String[] qMethod = new String[MAX_PENDING];
  private final String[] qUri = new String[MAX_PENDING];
  private final String[] qVersion = new String[MAX_PENDING];
  private final String[] qHost = new String[MAX_PENDING];
  private final String[] qReferrer = new String[MAX_PENDING];
  private final String[] qAgent = new String[MAX_PENDING];
  private final long[] qBody = new long[MAX_PENDING];
  private int qHead;
  private int qSize;
  private int depth;

  // The request being read (before its headers end).
  private long reqTs;
  private String method;
  private String uri;
  private String reqVersion;
  private String host;
  private String referrer;
  private String agent;

  // The response being read.
  private boolean rspStarted;
  private long rspTs;
  private int status;
  private String statusMsg;
  private String rspVersion;
  private long rspBody;

  private final byte[] peek = new byte[PEEK];
  private int peekLen;

  /** JSON-RPC getwork/getblocktemplate/submitblock seen in a POST body. */
  boolean getwork;

  /** Stream offsets where a CONNECT tunnel starts, or -1. */
  long tunnelReq = -1;

  long tunnelRsp = -1;

  HttpFlow(Weirds weirds) {
    this.weirds = weirds;
  }

  void reset(int flow, int clientDir) {
    this.flow = flow;
    this.clientDir = clientDir;
    for (int r = 0; r < 2; r++) {
      lineLen[r] = 0;
      lineCut[r] = false;
      st[r] = S_LINE;
      remaining[r] = 0;
      cursor[r] = 0;
      chunked[r] = false;
      contentLength[r] = -1;
    }
    for (int i = 0; i < MAX_PENDING; i++) {
      qMethod[i] = qUri[i] = qVersion[i] = qHost[i] = qReferrer[i] = qAgent[i] = null;
    }
    qHead = qSize = depth = 0;
    method = uri = reqVersion = host = referrer = agent = null;
    rspStarted = false;
    statusMsg = rspVersion = null;
    peekLen = 0;
    getwork = false;
    tunnelReq = tunnelRsp = -1;
  }

  boolean stopped(int role) {
    return st[role] == S_STOP;
  }

  /**
   * A segment at stream offset {@code rel}: overlap with what was fed is skipped; a gap inside a
   * body of known length (or a body up to the end) is counted as body, any other gap stops the
   * direction ({@code HTTP_content_gap}).
   */
  void segment(int role, long rel, byte[] b, int off, int len, long ts, Out out) {
    long cur = cursor[role];
    if (rel + len <= cur || st[role] == S_STOP) {
      return;
    }
    if (rel > cur) {
      long gap = rel - cur;
      int s = st[role];
      if ((s == S_BODY || s == S_CHUNK_DATA) && remaining[role] > gap) {
        remaining[role] -= gap;
        countBody(role, gap);
      } else if (s == S_EOF) {
        rspBody += gap;
      } else {
        weirds.inc(Weirds.HTTP_CONTENT_GAP);
        st[role] = S_STOP;
        return;
      }
      cursor[role] = rel;
      cur = rel;
    }
    int skip = (int) (cur - rel);
    feed(role, b, off + skip, len - skip, ts, out);
  }

  /** In-order bytes of one direction. */
  void feed(int role, byte[] b, int off, int len, long ts, Out out) {
    int p = off;
    int end = off + len;
    while (p < end) {
      int s = st[role];
      switch (s) {
        case S_STOP -> {
          cursor[role] += end - p;
          return;
        }
        case S_BODY, S_CHUNK_DATA -> {
          int n = (int) Math.min(remaining[role], end - p);
          if (role == REQ) {
            keepPeek(b, p, n);
          }
          countBody(role, n);
          remaining[role] -= n;
          p += n;
          cursor[role] += n;
          if (remaining[role] == 0) {
            if (s == S_CHUNK_DATA) {
              st[role] = S_CHUNK_END;
            } else {
              messageDone(role, ts, out);
            }
          }
        }
        case S_EOF -> {
          rspBody += end - p;
          cursor[role] += end - p;
          return;
        }
        default -> {
          int c = b[p++] & 0xff;
          cursor[role]++;
          if (c == '\n') {
            int l = lineLen[role];
            if (l > 0 && line[role][l - 1] == '\r') {
              l--;
            }
            lineLen[role] = 0;
            boolean cut = lineCut[role];
            lineCut[role] = false;
            if (cut) {
              weirds.inc(Weirds.HTTP_LINE_TOO_LONG);
            }
            onLine(role, line[role], l, ts, out);
          } else if (lineLen[role] < LINE_MAX) {
            line[role][lineLen[role]++] = (byte) c;
          } else {
            lineCut[role] = true;
          }
        }
      }
    }
  }

  private void countBody(int role, long n) {
    if (role == REQ) {
      if (qSize > 0) {
        qBody[(qHead + qSize - 1) % MAX_PENDING] += n;
      }
    } else {
      rspBody += n;
    }
  }

  private void keepPeek(byte[] b, int p, int n) {
    int k = Math.min(n, PEEK - peekLen);
    if (k > 0) {
      System.arraycopy(b, p, peek, peekLen, k);
      peekLen += k;
    }
  }

  private void onLine(int role, byte[] l, int n, long ts, Out out) {
    switch (st[role]) {
      case S_LINE -> {
        if (n == 0) {
          return; // CRLF between messages
        }
        if (role == REQ ? requestLine(l, n, ts) : statusLine(l, n, ts)) {
          st[role] = S_HEADERS;
          chunked[role] = false;
          contentLength[role] = -1;
        } else {
          weirds.inc(role == REQ ? Weirds.BAD_HTTP_REQUEST : Weirds.BAD_HTTP_REPLY);
          st[role] = S_STOP;
        }
      }
      case S_HEADERS -> {
        if (n == 0) {
          headersDone(role, ts, out);
        } else {
          header(role, l, n);
        }
      }
      case S_CHUNK_SIZE -> {
        long size = 0;
        int i = 0;
        int digits = 0;
        while (i < n && l[i] != ';' && l[i] != ' ' && l[i] != '\t') {
          int d = Character.digit(l[i], 16);
          if (d < 0 || digits >= 15) {
            weirds.inc(Weirds.HTTP_BAD_CHUNK_SIZE);
            st[role] = S_STOP;
            return;
          }
          size = size * 16 + d;
          digits++;
          i++;
        }
        if (digits == 0) {
          weirds.inc(Weirds.HTTP_BAD_CHUNK_SIZE);
          st[role] = S_STOP;
          return;
        }
        if (size == 0) {
          st[role] = S_TRAILER;
        } else {
          remaining[role] = size;
          st[role] = S_CHUNK_DATA;
        }
      }
      case S_CHUNK_END -> st[role] = S_CHUNK_SIZE;
      case S_TRAILER -> {
        if (n == 0) {
          messageDone(role, ts, out);
        }
      }
      default -> {}
    }
  }

  private boolean requestLine(byte[] l, int n, long ts) {
    int sp1 = indexOf(l, 0, n, (byte) ' ');
    if (sp1 <= 0 || !isToken(l, 0, sp1)) {
      return false;
    }
    int u = sp1 + 1;
    int sp2 = indexOf(l, u, n, (byte) ' ');
    int uriEnd = sp2 < 0 ? n : sp2;
    if (uriEnd <= u) {
      return false;
    }
    String version = null;
    if (sp2 >= 0) {
      if (!startsWith(l, sp2 + 1, n, "HTTP/")) {
        return false;
      }
      version = ascii(l, sp2 + 6, n - sp2 - 6);
    } else {
      version = "0.9";
    }
    reqTs = ts;
    method = ascii(l, 0, sp1);
    uri = ascii(l, u, uriEnd - u);
    reqVersion = version;
    host = referrer = agent = null;
    peekLen = 0;
    return true;
  }

  private boolean statusLine(byte[] l, int n, long ts) {
    if (!startsWith(l, 0, n, "HTTP/")) {
      return false;
    }
    int sp1 = indexOf(l, 5, n, (byte) ' ');
    if (sp1 < 0 || sp1 + 4 > n) {
      return false;
    }
    int code = 0;
    for (int i = sp1 + 1; i < sp1 + 4; i++) {
      if (l[i] < '0' || l[i] > '9') {
        return false;
      }
      code = code * 10 + (l[i] - '0');
    }
    if (!rspStarted) {
      rspStarted = true;
      rspTs = ts;
      rspBody = 0;
    }
    status = code;
    rspVersion = ascii(l, 5, sp1 - 5);
    int m = sp1 + 4;
    statusMsg = m < n ? ascii(l, m + 1, n - m - 1) : null;
    return true;
  }

  private void header(int role, byte[] l, int n) {
    int colon = indexOf(l, 0, n, (byte) ':');
    if (colon <= 0) {
      return;
    }
    int v = colon + 1;
    while (v < n && (l[v] == ' ' || l[v] == '\t')) {
      v++;
    }
    int ve = n;
    while (ve > v && (l[ve - 1] == ' ' || l[ve - 1] == '\t')) {
      ve--;
    }
    if (nameIs(l, colon, "content-length")) {
      long len = 0;
      boolean ok = ve > v;
      for (int i = v; i < ve && ok; i++) {
        ok = l[i] >= '0' && l[i] <= '9' && len < (1L << 50);
        len = len * 10 + (l[i] - '0');
      }
      if (ok) {
        contentLength[role] = len;
      }
    } else if (nameIs(l, colon, "transfer-encoding")) {
      chunked[role] = containsIgnoreCase(l, v, ve, "chunked");
    } else if (role == REQ) {
      if (nameIs(l, colon, "host")) {
        host = hostWithoutPort(l, v, ve);
      } else if (nameIs(l, colon, "referer")) {
        referrer = ascii(l, v, ve - v);
      } else if (nameIs(l, colon, "user-agent")) {
        agent = ascii(l, v, ve - v);
      }
    }
  }

  private void headersDone(int role, long ts, Out out) {
    if (role == REQ) {
      if (qSize == MAX_PENDING) { // a client far ahead of its server: log the oldest unanswered
        emit(out, false);
      }
      int i = (qHead + qSize) % MAX_PENDING;
      qTs[i] = reqTs;
      qDepth[i] = ++depth;
      qMethod[i] = method;
      qUri[i] = uri;
      qVersion[i] = reqVersion;
      qHost[i] = host;
      qReferrer[i] = referrer;
      qAgent[i] = agent;
      qBody[i] = 0;
      qSize++;
      if ("CONNECT".equals(method)) {
        tunnelReq = cursor[REQ];
        st[REQ] = S_STOP; // what follows is the tunnel (or nothing, if refused)
        return;
      }
      if (chunked[REQ]) {
        st[REQ] = S_CHUNK_SIZE;
      } else if (contentLength[REQ] > 0) {
        remaining[REQ] = contentLength[REQ];
        st[REQ] = S_BODY;
      } else {
        messageDone(REQ, ts, out);
      }
      return;
    }
    if (status >= 100 && status < 200 && status != 101) {
      st[RSP] = S_LINE; // interim response: the final one follows
      return;
    }
    String reqMethod = qSize > 0 ? qMethod[qHead] : null;
    if (status == 101) {
      emit(out, true);
      st[RSP] = S_STOP;
      st[REQ] = S_STOP;
      return;
    }
    if ("CONNECT".equals(reqMethod) && status >= 200 && status < 300) {
      tunnelRsp = cursor[RSP];
      emit(out, true);
      st[RSP] = S_STOP;
      return;
    }
    if ("HEAD".equals(reqMethod) || status == 204 || status == 304) {
      messageDone(RSP, ts, out);
    } else if (chunked[RSP]) {
      st[RSP] = S_CHUNK_SIZE;
    } else if (contentLength[RSP] >= 0) {
      if (contentLength[RSP] == 0) {
        messageDone(RSP, ts, out);
      } else {
        remaining[RSP] = contentLength[RSP];
        st[RSP] = S_BODY;
      }
    } else {
      st[RSP] = S_EOF;
    }
  }

  private void messageDone(int role, long ts, Out out) {
    st[role] = S_LINE;
    if (role == REQ) {
      if (peekLen > 0 && "POST".equals(method) && Getwork.matches(peek, peekLen)) {
        getwork = true;
      }
      peekLen = 0;
    } else {
      emit(out, true);
    }
  }

  /** Hands out the oldest request with the response read so far (if {@code withResponse}). */
  private void emit(Out out, boolean withResponse) {
    boolean haveReq = qSize > 0;
    if (withResponse && !haveReq) {
      weirds.inc(Weirds.UNMATCHED_HTTP_REPLY);
    }
    int i = qHead;
    boolean rsp = withResponse && rspStarted;
    HttpTransaction t =
        new HttpTransaction(
            haveReq ? qTs[i] : rspTs,
            haveReq ? qDepth[i] : depth + 1,
            haveReq ? qMethod[i] : null,
            haveReq ? qHost[i] : null,
            haveReq ? qUri[i] : null,
            haveReq ? qReferrer[i] : null,
            haveReq ? qVersion[i] : rspVersion,
            haveReq ? qAgent[i] : null,
            haveReq ? qBody[i] : 0,
            rsp ? rspBody : 0,
            rsp ? status : -1,
            rsp ? statusMsg : null);
    if (haveReq) {
      qMethod[i] = qUri[i] = qVersion[i] = qHost[i] = qReferrer[i] = qAgent[i] = null;
      qHead = (qHead + 1) % MAX_PENDING;
      qSize--;
    } else if (withResponse) {
      depth++;
    }
    if (withResponse) {
      rspStarted = false;
      statusMsg = rspVersion = null;
      rspBody = 0;
    }
    out.onHttp(this, t);
  }

  /** The connection ended: a response read up to the end, then requests left without one. */
  void flush(Out out) {
    if (rspStarted) {
      emit(out, true);
    }
    while (qSize > 0) {
      emit(out, false);
    }
    if (st[REQ] == S_HEADERS && method != null) { // a request cut inside its headers
      headersDone(REQ, reqTs, (f, t) -> {});
      while (qSize > 0) {
        emit(out, false);
      }
    }
  }

  // ---- byte helpers -------------------------------------------------------------------------

  private static boolean isToken(byte[] l, int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = l[i];
      if (!((c >= 'A' && c <= 'Z') || c == '-' || c == '_')) {
        return false;
      }
    }
    return to - from <= 20;
  }

  static int indexOf(byte[] l, int from, int to, byte c) {
    for (int i = from; i < to; i++) {
      if (l[i] == c) {
        return i;
      }
    }
    return -1;
  }

  static boolean startsWith(byte[] l, int from, int to, String s) {
    if (to - from < s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (l[from + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean nameIs(byte[] l, int n, String lower) {
    if (n != lower.length()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      int c = l[i];
      if (c >= 'A' && c <= 'Z') {
        c += 32;
      }
      if (c != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static boolean containsIgnoreCase(byte[] l, int from, int to, String lower) {
    outer:
    for (int i = from; i + lower.length() <= to; i++) {
      for (int k = 0; k < lower.length(); k++) {
        int c = l[i + k];
        if (c >= 'A' && c <= 'Z') {
          c += 32;
        }
        if (c != lower.charAt(k)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** {@code example.com:8080} → {@code example.com}; {@code [::1]:80} → {@code [::1]}. */
  private static String hostWithoutPort(byte[] l, int v, int ve) {
    int e = ve;
    if (v < ve && l[v] == '[') {
      int close = indexOf(l, v, ve, (byte) ']');
      e = close >= 0 ? close + 1 : ve;
    } else {
      int colon = indexOf(l, v, ve, (byte) ':');
      if (colon >= 0) {
        e = colon;
      }
    }
    return ascii(l, v, e - v);
  }

  private static String ascii(byte[] l, int off, int len) {
    return len <= 0 ? "" : new String(l, off, len, StandardCharsets.ISO_8859_1);
  }
}
