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

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
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
