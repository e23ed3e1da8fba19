package dev.vigil.sensor.analyzer;

import dev.vigil.sensor.decode.Weirds;

/**
 * Parses one DNS message (RFC 1035) into reusable fields: header, the first question, and the
 * answer section's records as Zeek prints them. Names follow compression pointers, which must point
 * strictly backwards (a pointer at or after its own position is a loop: {@code
 * DNS_label_forward_compress_offset}); a name is at most 255 bytes and 128 jumps. Malformed input
 * counts a named weird and returns {@link #MALFORMED}; nothing is thrown.
 *
 * <pre>
 *   0  1  2  3  4  5  6  7  8  9 10 11
 *  +-----+-----+-----+-----+-----+-----+
 *  | id  |flags|qdcnt|ancnt|nscnt|arcnt|   then questions (name, type, class) and
 *  +-----+-----+-----+-----+-----+-----+   records (name, type, class, ttl(4), rdlen, rdata)
 * </pre>
 *
 * Fields are valid after {@link #OK} until the next call. Strings are not built here: the query and
 * answers are appended to reusable {@link StringBuilder}s.
 */
public final class DnsParser {
  public static final int OK = 0;

  /** Not a DNS message (only in {@code strict} mode, before any weird is counted). */
  public static final int NOT_DNS = 1;

  public static final int MALFORMED = 2;

  static final int HEADER = 12;
  static final int MAX_NAME = 255;
  static final int MAX_JUMPS = 128;

  /** Answer records kept (more are parsed and counted, not kept). */
  public static final int MAX_ANSWERS = 32;

  static final int FLAG_QR = 0x8000;
  static final int FLAG_AA = 0x0400;
  static final int FLAG_TC = 0x0200;
  static final int FLAG_RD = 0x0100;
  static final int FLAG_RA = 0x0080;

  private final Weirds weirds;

  public int id;
  public int flags;
  public int qdcount;
  public int ancount;
  public int nscount;
  public int arcount;
  public boolean hasQuestion;
  public final StringBuilder qname = new StringBuilder(64);
  public int qtype;
  public int qclass;
  public int answerCount;
  public final StringBuilder[] answers = new StringBuilder[MAX_ANSWERS];
  public final long[] ttls = new long[MAX_ANSWERS];

  public DnsParser(Weirds weirds) {
    this.weirds = weirds;
    for (int i = 0; i < MAX_ANSWERS; i++) {
      answers[i] = new StringBuilder(48);
    }
  }

  public boolean isResponse() {
    return (flags & FLAG_QR) != 0;
  }

  public int opcode() {
    return (flags >>> 11) & 0xf;
  }

  public int rcode() {
    return flags & 0xf;
  }

  /**
   * Parses {@code b[off, off + len)}.
   *
   * @param strict deciding whether a flow is DNS at all: the header must look like DNS (opcode
   *     query/status/notify/update, one question in a query, few records) or {@link #NOT_DNS} is
   *     returned without a weird, and the records must end exactly at the end of the message
   */
  public int parse(byte[] b, int off, int len, boolean strict) {
    hasQuestion = false;
    answerCount = 0;
    qname.setLength(0);
    if (len < HEADER || off < 0 || off + len > b.length) {
      if (strict) {
        return NOT_DNS;
      }
      weirds.inc(Weirds.DNS_TRUNCATED_LEN_LT_HDR_LEN);
      return MALFORMED;
    }
    id = u16(b, off);
    flags = u16(b, off + 2);
    qdcount = u16(b, off + 4);
    ancount = u16(b, off + 6);
    nscount = u16(b, off + 8);
    arcount = u16(b, off + 10);
    if (strict) {
      int op = opcode();
      boolean opOk = op == 0 || op == 2 || op == 4 || op == 5;
      boolean qOk = isResponse() ? qdcount <= 1 : qdcount == 1;
      if (!opOk || !qOk || ancount > 256 || nscount > 256 || arcount > 256 || (flags & 0x40) != 0) {
        return NOT_DNS;
      }
    }
    int end = off + len;
    int p = off + HEADER;
    for (int q = 0; q < qdcount; q++) {
      StringBuilder name = q == 0 ? qname : null;
      p = name(b, off, end, p, name);
      if (p < 0) {
        return MALFORMED;
      }
      if (p + 4 > end) {
        weirds.inc(Weirds.DNS_TRUNCATED_MSG);
        return MALFORMED;
      }
      if (q == 0) {
        hasQuestion = true;
        qtype = u16(b, p);
        qclass = u16(b, p + 2);
      }
      p += 4;
    }
    int records = ancount + nscount + arcount;
    for (int r = 0; r < records; r++) {
      boolean answer = r < ancount;
      p = name(b, off, end, p, null);
      if (p < 0) {
        return MALFORMED;
      }
      if (p + 10 > end) {
        weirds.inc(Weirds.DNS_TRUNCATED_MSG);
        return MALFORMED;
      }
      int type = u16(b, p);
      long ttl = ((long) u16(b, p + 4) << 16) | u16(b, p + 6);
      int rdlen = u16(b, p + 8);
      int rd = p + 10;
      if (rd + rdlen > end) {
        weirds.inc(Weirds.DNS_TRUNCATED_MSG);
        return MALFORMED;
      }
      if (answer && answerCount < MAX_ANSWERS) {
        StringBuilder a = answers[answerCount];
        a.setLength(0);
        if (!rdata(b, off, rd, rdlen, type, a)) {
          return MALFORMED;
        }
        if (a.length() > 0) {
          ttls[answerCount++] = ttl;
        }
      }
      p = rd + rdlen;
    }
    if (strict && p != end) {
      return NOT_DNS;
    }
    return OK;
  }

  /** The answer's text as Zeek's dns.log prints it; empty for types it leaves out (OPT). */
  private boolean rdata(byte[] b, int msg, int rd, int rdlen, int type, StringBuilder a) {
    int end = rd + rdlen;
    switch (type) {
      case 1 -> { // A
        if (rdlen != 4) {
          weirds.inc(Weirds.DNS_TRUNCATED_MSG);
          return false;
        }
        a.append(b[rd] & 0xff).append('.').append(b[rd + 1] & 0xff).append('.');
        a.append(b[rd + 2] & 0xff).append('.').append(b[rd + 3] & 0xff);
      }
      case 28 -> { // AAAA
        if (rdlen != 16) {
          weirds.inc(Weirds.DNS_TRUNCATED_MSG);
          return false;
        }
        appendIpv6(b, rd, a);
      }
      case 2, 5, 12 -> { // NS, CNAME, PTR
        return name(b, msg, end, rd, a) >= 0;
      }
      case 15 -> { // MX: preference, exchange
        if (rdlen < 3) {
          weirds.inc(Weirds.DNS_TRUNCATED_MSG);
          return false;
        }
        return name(b, msg, end, rd + 2, a) >= 0;
      }
      case 33 -> { // SRV: priority, weight, port, target
        if (rdlen < 7) {
          weirds.inc(Weirds.DNS_TRUNCATED_MSG);
          return false;
        }
        return name(b, msg, end, rd + 6, a) >= 0;
      }
      case 6 -> { // SOA: the primary name server
        return name(b, msg, end, rd, a) >= 0;
      }
      case 16 -> { // TXT: "TXT <len> <string>" per character-string, space separated
        int p = rd;
        while (p < end) {
          int l = b[p] & 0xff;
          if (p + 1 + l > end) {
            weirds.inc(Weirds.DNS_TRUNCATED_MSG);
            return false;
          }
          if (p > rd) {
            a.append(' ');
          }
          a.append("TXT ").append(l).append(' ');
          appendText(b, p + 1, l, a);
          p += 1 + l;
        }
        if (rdlen == 0) {
          a.append("TXT 0 ");
        }
      }
      case 41 -> {} // OPT (EDNS): not an answer
      default -> a.append("<unknown type=").append(type).append('>');
    }
    return true;
  }

  /**
   * Reads the name at {@code p} in the message starting at {@code msg} (ends at {@code end}),
   * appending it lower-cased and dot-separated to {@code out} (may be null). Returns the offset
   * after the name where it started (not where a pointer led), or -1 with a weird counted.
   */
  int name(byte[] b, int msg, int end, int p, StringBuilder out) {
    int after = -1;
    int jumps = 0;
    int total = 0;
    int pos = p;
    while (true) {
      if (pos >= end) {
        weirds.inc(Weirds.DNS_TRUNCATED_MSG);
        return -1;
      }
      int l = b[pos] & 0xff;
      int kind = l & 0xc0;
      if (kind == 0xc0) {
        if (pos + 1 >= end) {
          weirds.inc(Weirds.DNS_TRUNCATED_MSG);
          return -1;
        }
        int target = msg + (((l & 0x3f) << 8) | (b[pos + 1] & 0xff));
        if (target >= pos) {
          weirds.inc(Weirds.DNS_LABEL_FORWARD_COMPRESS_OFFSET);
          return -1;
        }
        if (++jumps > MAX_JUMPS) {
          weirds.inc(Weirds.DNS_NAME_TOO_LONG);
          return -1;
        }
        if (after < 0) {
          after = pos + 2;
        }
        pos = target;
        continue;
      }
      if (kind != 0) {
        weirds.inc(Weirds.DNS_BAD_LABEL_TYPE);
        return -1;
      }
      if (l == 0) {
        return after >= 0 ? after : pos + 1;
      }
      if (pos + 1 + l > end) {
        weirds.inc(Weirds.DNS_TRUNCATED_MSG);
        return -1;
      }
      total += l + 1;
      if (total > MAX_NAME) {
        weirds.inc(Weirds.DNS_NAME_TOO_LONG);
        return -1;
      }
      if (out != null) {
        if (total > l + 1) {
          out.append('.');
        }
        for (int i = pos + 1; i <= pos + l; i++) {
          int c = b[i] & 0xff;
          if (c >= 'A' && c <= 'Z') {
            out.append((char) (c + 32));
          } else if (c < 0x20 || c > 0x7e || c == '\\') {
            escape(out, c);
          } else {
            out.append((char) c);
          }
        }
      }
      pos += 1 + l;
    }
  }

  private static void appendText(byte[] b, int p, int l, StringBuilder a) {
    for (int i = p; i < p + l; i++) {
      int c = b[i] & 0xff;
      if (c < 0x20 || c > 0x7e || c == '\\') {
        escape(a, c);
      } else {
        a.append((char) c);
      }
    }
  }

  private static void escape(StringBuilder out, int c) {
    out.append("\\x")
        .append(Character.forDigit(c >>> 4, 16))
        .append(Character.forDigit(c & 15, 16));
  }

  /** RFC 5952 text of the 16 bytes at {@code p}. */
  static void appendIpv6(byte[] b, int p, StringBuilder sb) {
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (u16(b, p + 2 * i) == 0) {
        int j = i;
        while (j < 8 && u16(b, p + 2 * j) == 0) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (i > 0 && i != bestStart + bestLen) {
        sb.append(':');
      }
      sb.append(Integer.toHexString(u16(b, p + 2 * i)));
    }
  }

  static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }
}
