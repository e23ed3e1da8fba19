package dev.vigil.sensor.analyzer;

import java.nio.charset.StandardCharsets;

/**
 * Recognises Bitcoin-style mining over HTTP JSON-RPC (the pre-Stratum "getwork" protocol and its
 * successor): a POST body whose {@code "method"} is {@code getwork}, {@code getblocktemplate} or
 * {@code submitblock}. Other JSON-RPC over HTTP (Ethereum node calls such as {@code
 * eth_blockNumber}, wallet RPC, web APIs) does not match. Reads bytes in place; allocates nothing.
 */
final class Getwork {
  private static final byte[] METHOD = "\"method\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[][] METHODS = {
    "getwork".getBytes(StandardCharsets.US_ASCII),
    "getblocktemplate".getBytes(StandardCharsets.US_ASCII),
    "submitblock".getBytes(StandardCharsets.US_ASCII),
  };

  private Getwork() {}

  /** Whether the (start of the) body {@code b[0, len)} is a mining JSON-RPC call. */
  static boolean matches(byte[] b, int len) {
    int i = 0;
    while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
      i++;
    }
    if (i == len || (b[i] != '{' && b[i] != '[')) {
      return false;
    }
    int m = indexOf(b, i, len, METHOD);
    if (m < 0) {
      return false;
    }
    int p = m + METHOD.length;
    while (p < len && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r' || b[p] == '\n')) {
      p++;
    }
    if (p >= len || b[p] != ':') {
      return false;
    }
    p++;
    while (p < len && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r' || b[p] == '\n')) {
      p++;
    }
    if (p >= len || b[p] != '"') {
      return false;
    }
    int vs = p + 1;
    int ve = vs;
    while (ve < len && b[ve] != '"') {
      ve++;
    }
    if (ve >= len) {
      return false;
    }
    for (byte[] name : METHODS) {
      if (ve - vs == name.length && indexOf(b, vs, ve, name) == vs) {
        return true;
      }
    }
    return false;
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
