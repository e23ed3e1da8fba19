package dev.vigil.sensor.analyzer;

import java.nio.charset.StandardCharsets;

/**
 * Recognises Stratum mining from the first message a client sends: one line of JSON-RPC whose
 * {@code "method"} is a mining method.
 *
 * <ul>
 *   <li>Stratum v1 (Bitcoin and most pools): {@code mining.subscribe}, {@code mining.authorize},
 *       {@code mining.submit}, {@code mining.notify}, {@code mining.configure}, {@code
 *       mining.extranonce.subscribe}, {@code mining.set_difficulty};
 *   <li>xmrig/Monero: {@code login} with {@code "pass"} or {@code "agent"} in its params, {@code
 *       submit} with {@code "job_id"} and {@code "nonce"}, {@code job} with {@code "blob"} and
 *       {@code "job_id"};
 *   <li>Ethereum proxy: {@code eth_submitLogin}, {@code eth_getWork}, {@code eth_submitWork},
 *       {@code eth_submitHashrate}.
 * </ul>
 *
 * Ordinary JSON-RPC (Ethereum node calls such as {@code eth_blockNumber}, LSP with its {@code
 * Content-Length} header, web APIs with other methods or a {@code login} without mining params)
 * does not match. Reads bytes in place; allocates nothing.
 */
public final class Stratum {
  public static final int NEED_MORE = 0;
  public static final int OTHER = 1;
  public static final int MINING = 2;

  /** Longest first line looked at. */
  static final int MAX_LINE = 4096;

  private static final byte[] METHOD = ascii("\"method\"");
  private static final byte[][] MINING_METHODS = {
    ascii("mining.subscribe"),
    ascii("mining.authorize"),
    ascii("mining.submit"),
    ascii("mining.notify"),
    ascii("mining.configure"),
    ascii("mining.extranonce.subscribe"),
    ascii("mining.set_difficulty"),
    ascii("eth_submitLogin"),
    ascii("eth_getWork"),
    ascii("eth_submitWork"),
    ascii("eth_submitHashrate"),
  };
  private static final byte[] LOGIN = ascii("login");
  private static final byte[] SUBMIT = ascii("submit");
  private static final byte[] JOB = ascii("job");
  private static final byte[] PASS = ascii("\"pass\"");
  private static final byte[] AGENT = ascii("\"agent\"");
  private static final byte[] JOB_ID = ascii("\"job_id\"");
  private static final byte[] NONCE = ascii("\"nonce\"");
  private static final byte[] BLOB = ascii("\"blob\"");

  private static final byte[] AUTHORIZE = ascii("mining.authorize");
  private static final byte[] SUBSCRIBE = ascii("mining.subscribe");
  private static final byte[] ETH_LOGIN = ascii("eth_submitLogin");
  private static final byte[] PARAMS = ascii("params");
  private static final byte[] LOGIN_KEY = ascii("login");
  private static final byte[] AGENT_KEY = ascii("agent");
  private static final byte[] WORKER_KEY = ascii("worker");

  /** Longest login, worker or agent string kept. */
  static final int MAX_VALUE = 256;

  /** After {@link #classify} returned {@link #MINING}: the method name's bounds and line end. */
  public int methodStart;

  public int methodEnd;
  public int lineEnd;

  /** After {@link #credentials} found one: the bounds of the login (worker name, wallet). */
  public int loginStart;

  public int loginEnd;

  /** After {@link #credentials}: the bounds of the miner's agent string, or -1. */
  public int agentStart = -1;

  public int agentEnd;

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Looks for the miner's credentials in the client's complete lines of {@code b[0, len)}: the
   * worker of {@code mining.authorize} (first parameter, e.g. {@code wallet.rig1}), the {@code
   * login} of an xmrig {@code login}, the wallet of {@code eth_submitLogin} (with its {@code
   * worker} appended after a dot, as pools show it). Also notes a {@code mining.subscribe} user
   * agent or an xmrig {@code agent} in {@link #agentStart}/{@link #agentEnd}. Returns true when a
   * login was found ({@link #loginStart}/{@link #loginEnd}; for eth with a worker, {@link
   * #workerStart}/{@link #workerEnd} too). Reads in place; runs on mining connections only.
   */
  public boolean credentials(byte[] b, int len) {
    agentStart = -1;
    workerStart = -1;
    int start = 0;
    while (start < len) {
      int eol = -1;
      for (int j = start; j < len; j++) {
        if (b[j] == '\n') {
          eol = j;
          break;
        }
      }
      if (eol < 0) {
        return false; // wait for the line end
      }
      if (methodOf(b, start, eol) && lineCredentials(b, start, eol)) {
        return true;
      }
      start = eol + 1;
    }
    return false;
  }

  /** eth_submitLogin's {@code worker}, or -1. */
  public int workerStart = -1;

  public int workerEnd;

  private boolean methodOf(byte[] b, int from, int to) {
    int m = indexOf(b, from, to, METHOD);
    if (m < 0) {
      return false;
    }
    int[] v = stringAfterColon(b, m + METHOD.length, to);
    if (v == null) {
      return false;
    }
    methodStart = v[0];
    methodEnd = v[1];
    return true;
  }

  private boolean lineCredentials(byte[] b, int from, int to) {
    int ms = methodStart;
    int me = methodEnd;
    if (equals(b, ms, me, SUBSCRIBE)) {
      int[] a = firstParam(b, from, to);
      if (a != null) {
        agentStart = a[0];
        agentEnd = a[1];
      }
      return false;
    }
    if (equals(b, ms, me, AUTHORIZE) || equals(b, ms, me, ETH_LOGIN)) {
      int[] l = firstParam(b, from, to);
      if (l == null) {
        return false;
      }
      loginStart = l[0];
      loginEnd = l[1];
      if (equals(b, ms, me, ETH_LOGIN)) {
        int[] w = valueOfKey(b, from, to, WORKER_KEY);
        if (w != null) {
          workerStart = w[0];
          workerEnd = w[1];
        }
      }
      return true;
    }
    if (equals(b, ms, me, LOGIN)) {
      int[] a = valueOfKey(b, from, to, AGENT_KEY);
      if (a != null) {
        agentStart = a[0];
        agentEnd = a[1];
      }
      int[] l = valueOfKey(b, from, to, LOGIN_KEY);
      if (l != null) {
        loginStart = l[0];
        loginEnd = l[1];
        return true;
      }
    }
    return false;
  }

  /** The first element of {@code "params": [ "..." ...]} when it is a string. */
  private static int[] firstParam(byte[] b, int from, int to) {
    int p = keyEnd(b, from, to, PARAMS);
    if (p < 0) {
      return null;
    }
    p = skipSpace(b, p, to);
    if (p >= to || b[p] != '[') {
      return null;
    }
    p = skipSpace(b, p + 1, to);
    return string(b, p, to);
  }

  /** The string value of {@code "key": "..."} anywhere in the line. */
  private static int[] valueOfKey(byte[] b, int from, int to, byte[] key) {
    int p = keyEnd(b, from, to, key);
    return p < 0 ? null : string(b, skipSpace(b, p, to), to);
  }

  /** The position after {@code "key" :} (a key, not a value), or -1. */
  private static int keyEnd(byte[] b, int from, int to, byte[] key) {
    for (int i = from; i + key.length + 2 <= to; i++) {
      if (b[i] == '"'
          && equals(b, i + 1, i + 1 + key.length, key)
          && b[i + 1 + key.length] == '"') {
        int p = skipSpace(b, i + key.length + 2, to);
        if (p < to && b[p] == ':') {
          return p + 1;
        }
      }
    }
    return -1;
  }

  private static int[] stringAfterColon(byte[] b, int p, int to) {
    p = skipSpace(b, p, to);
    if (p >= to || b[p] != ':') {
      return null;
    }
    return string(b, skipSpace(b, p + 1, to), to);
  }

  /** A JSON string starting at {@code p}: its content bounds (escapes kept), or null. */
  private static int[] string(byte[] b, int p, int to) {
    if (p >= to || b[p] != '"') {
      return null;
    }
    int s = p + 1;
    int e = s;
    while (e < to && b[e] != '"') {
      e += b[e] == '\\' ? 2 : 1;
    }
    if (e >= to || e - s > MAX_VALUE) {
      return null;
    }
    return new int[] {s, e};
  }

  private static int skipSpace(byte[] b, int p, int to) {
    while (p < to && (b[p] == ' ' || b[p] == '\t')) {
      p++;
    }
    return p;
  }

  /**
   * Classifies the stream prefix {@code b[0, len)}.
   *
   * @param complete no more bytes will come
   */
  public int classify(byte[] b, int len, boolean complete) {
    int i = 0;
    while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
      i++;
    }
    if (i == len) {
      return complete ? OTHER : NEED_MORE;
    }
    if (b[i] != '{') {
      return OTHER;
    }
    int start = i;
    int limit = Math.min(len, start + MAX_LINE);
    int eol = -1;
    for (int j = start; j < limit; j++) {
      if (b[j] == '\n') {
        eol = j;
        break;
      }
    }
    if (eol < 0) {
      if (!complete && limit == len && len - start < MAX_LINE) {
        return NEED_MORE;
      }
      eol = limit; // no line end within the limit: judge what we have
    }
    int m = indexOf(b, start, eol, METHOD);
    if (m < 0) {
      return OTHER;
    }
    int p = m + METHOD.length;
    while (p < eol && (b[p] == ' ' || b[p] == '\t')) {
      p++;
    }
    if (p >= eol || b[p] != ':') {
      return OTHER;
    }
    p++;
    while (p < eol && (b[p] == ' ' || b[p] == '\t')) {
      p++;
    }
    if (p >= eol || b[p] != '"') {
      return OTHER;
    }
    int vs = p + 1;
    int ve = vs;
    while (ve < eol && b[ve] != '"') {
      ve++;
    }
    if (ve >= eol) {
      return OTHER;
    }
    methodStart = vs;
    methodEnd = ve;
    lineEnd = eol;
    for (byte[] name : MINING_METHODS) {
      if (equals(b, vs, ve, name)) {
        return MINING;
      }
    }
    if (equals(b, vs, ve, LOGIN)) {
      return has(b, start, eol, PASS) || has(b, start, eol, AGENT) ? MINING : OTHER;
    }
    if (equals(b, vs, ve, SUBMIT)) {
      return has(b, start, eol, JOB_ID) && has(b, start, eol, NONCE) ? MINING : OTHER;
    }
    if (equals(b, vs, ve, JOB)) {
      return has(b, start, eol, BLOB) && has(b, start, eol, JOB_ID) ? MINING : OTHER;
    }
    return OTHER;
  }

  private static boolean equals(byte[] b, int from, int to, byte[] s) {
    if (to - from != s.length) {
      return false;
    }
    for (int i = 0; i < s.length; i++) {
      if (b[from + i] != s[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean has(byte[] b, int from, int to, byte[] s) {
    return indexOf(b, from, to, s) >= 0;
  }

  private static int indexOf(byte[] b, int from, int to, byte[] s) {
    outer:
    for (int i = from; i + s.length <= to; i++) {
      for (int k = 0; k < s.length; k++) {
        if (b[i + k] != s[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
