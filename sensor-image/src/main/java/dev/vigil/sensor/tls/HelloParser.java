package dev.vigil.sensor.tls;

import dev.vigil.sensor.decode.Weirds;

/**
 * Finds and parses the first TLS hello in a stream prefix (the contiguous bytes of one direction
 * from its first data byte). Emits the {@link ClientHello} / {@link ServerHello} fact; computes
 * nothing else.
 *
 * <pre>
 * record:     type(1)=22  version(2)=3.x  length(2)  fragment(length)
 * handshake:  msg_type(1)  length(3)  body           (may span several records)
 * ClientHello body:
 *   version(2) random(32) session_id(1+n) cipher_suites(2+2n) compression(1+n)
 *   [extensions(2+n): type(2) length(2) data]
 * ServerHello body:
 *   version(2) random(32) session_id(1+n) cipher_suite(2) compression(1) [extensions(2+n)]
 * SSLv2 CLIENT-HELLO: length(2, high bit set) msg_type(1)=1 version(2) ...
 * </pre>
 *
 * Bounds are checked before every read; malformed input counts a named weird and returns {@link
 * #MALFORMED}; nothing throws and nothing is allocated.
 */
public final class HelloParser {
  /** The prefix may hold a hello but is not complete yet. */
  public static final int NEED_MORE = 0;

  /** The stream does not start with a TLS handshake of the expected kind. */
  public static final int NOT_TLS = 1;

  /** The hello was parsed into the fact. */
  public static final int HELLO = 2;

  /** An SSLv2-format CLIENT-HELLO (no fingerprint). */
  public static final int SSLV2_HELLO = 3;

  /** TLS records that do not hold a well-formed hello (a weird was counted). */
  public static final int MALFORMED = 4;

  /** The hello does not fit in the analyzed prefix. */
  public static final int TOO_LARGE = 5;

  public static final int TYPE_CLIENT_HELLO = 1;
  public static final int TYPE_SERVER_HELLO = 2;

  static final int CONTENT_HANDSHAKE = 22;
  static final int MAX_RECORD = 16384 + 2048;

  private final Weirds weirds;
  private final byte[] scratch;
  public final ClientHello client = new ClientHello();
  public final ServerHello server = new ServerHello();

  /** After {@link #HELLO}: stream offset just past the record holding the hello's last byte. */
  public int consumed;

  /**
   * @param maxHello largest handshake message kept (the analyzed prefix size is enough).
   */
  public HelloParser(Weirds weirds, int maxHello) {
    this.weirds = weirds;
    this.scratch = new byte[maxHello];
  }

  /**
   * Parses the first handshake message of {@code b[0, len)} if it is a hello of {@code type}.
   *
   * @param complete no more bytes will be added to the prefix (buffer full or stream over)
   */
  public int parse(byte[] b, int len, boolean complete, int type) {
    return parse(b, 0, len, complete, type);
  }

  /**
   * As {@link #parse(byte[], int, boolean, int)} for a TLS stream that starts at {@code from} in
   * the prefix (after STARTTLS, an HTTP CONNECT or a SOCKS exchange); {@link #consumed} is then an
   * offset in {@code b} as well.
   */
  public int parse(byte[] b, int from, int len, boolean complete, int type) {
    if (len - from < 1) {
      return complete ? NOT_TLS : NEED_MORE;
    }
    int first = b[from] & 0xff;
    if (first != CONTENT_HANDSHAKE) {
      if (type == TYPE_CLIENT_HELLO && (first & 0x80) != 0) {
        if (len - from < 5) {
          return complete ? NOT_TLS : NEED_MORE;
        }
        int v = ((b[from + 3] & 0xff) << 8) | (b[from + 4] & 0xff);
        int n = ((first & 0x7f) << 8) | (b[from + 1] & 0xff);
        if (b[from + 2] == 1 && (v == 0x0002 || (v >= 0x0300 && v <= 0x0304)) && n >= 9) {
          return SSLV2_HELLO;
        }
      }
      return NOT_TLS;
    }
    if (len - from < 3) {
      return complete ? NOT_TLS : NEED_MORE;
    }
    if (b[from + 1] != 3 || (b[from + 2] & 0xff) > 4) {
      return NOT_TLS;
    }
    // Gather the first handshake message, which may span records.
    int pos = from;
    int gathered = 0;
    int need = -1;
    while (need < 0 || gathered < need) {
      if (pos + 5 > len) {
        return incomplete(complete);
      }
      if ((b[pos] & 0xff) != CONTENT_HANDSHAKE || b[pos + 1] != 3) {
        weirds.inc(Weirds.TLS_BAD_RECORD);
        return MALFORMED;
      }
      int rl = ((b[pos + 3] & 0xff) << 8) | (b[pos + 4] & 0xff);
      if (rl == 0 || rl > MAX_RECORD) {
        weirds.inc(Weirds.TLS_BAD_RECORD);
        return MALFORMED;
      }
      if (pos + 5 + rl > len) {
        return incomplete(complete);
      }
      if (need < 0 && rl >= 4 && rl <= scratch.length) {
        // The first record holds the message header: when it holds the whole message (the usual
        // case), parse it in place instead of gathering a copy; the checks are those below.
        int q = pos + 5;
        if ((b[q] & 0xff) != type) {
          return NOT_TLS;
        }
        int n = 4 + (((b[q + 1] & 0xff) << 16) | ((b[q + 2] & 0xff) << 8) | (b[q + 3] & 0xff));
        if (n > scratch.length) {
          weirds.inc(Weirds.TLS_HELLO_TOO_LARGE);
          return TOO_LARGE;
        }
        if (n <= rl) {
          consumed = q + rl;
          return hello(b, q + 4, q + n, type);
        }
      }
      int take = Math.min(rl, scratch.length - gathered);
      System.arraycopy(b, pos + 5, scratch, gathered, take);
      gathered += take;
      pos += 5 + rl;
      if (need < 0 && gathered >= 4) {
        if ((scratch[0] & 0xff) != type) {
          return NOT_TLS;
        }
        need = 4 + (((scratch[1] & 0xff) << 16) | ((scratch[2] & 0xff) << 8) | (scratch[3] & 0xff));
        if (need > scratch.length) {
          weirds.inc(Weirds.TLS_HELLO_TOO_LARGE);
          return TOO_LARGE;
        }
      }
      if (need < 0 && gathered == scratch.length) {
        return TOO_LARGE;
      }
    }
    consumed = pos;
    return hello(scratch, 4, need, type);
  }

  /** Parses the hello body {@code b[p, end)} into the fact. */
  private int hello(byte[] b, int p, int end, int type) {
    boolean ok = type == TYPE_CLIENT_HELLO ? parseClient(b, p, end) : parseServer(b, p, end);
    if (!ok) {
      weirds.inc(Weirds.TLS_BAD_HELLO);
      return MALFORMED;
    }
    return HELLO;
  }

  private int incomplete(boolean complete) {
    if (complete) {
      weirds.inc(Weirds.TLS_HELLO_TOO_LARGE);
      return TOO_LARGE;
    }
    return NEED_MORE;
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  /**
   * Appends the {@code bytes / 2} big-endian u16 values at {@code b[p]} to {@code dst} after its
   * first {@code count}; returns the new count. Values past {@code dst}'s capacity are dropped and
   * counted as one weird. The caller has checked {@code b[p, p + bytes)} is in bounds.
   */
  private int u16s(byte[] b, int p, int bytes, int[] dst, int count) {
    int n = bytes >> 1;
    if (n > dst.length - count) {
      n = dst.length - count;
      weirds.inc(Weirds.TLS_LIST_TRUNCATED);
    }
    for (int i = 0; i < n; i++) {
      dst[count + i] = ((b[p + 2 * i] & 0xff) << 8) | (b[p + 2 * i + 1] & 0xff);
    }
    return count + n;
  }

  /** ClientHello body in {@code b[p, end)}. */
  boolean parseClient(byte[] b, int p, int end) {
    ClientHello h = client;
    h.reset();
    if (p + 2 + 32 + 1 > end) {
      return false;
    }
    h.version = u16(b, p);
    p += 34;
    p += 1 + (b[p] & 0xff); // session id
    if (p + 2 > end) {
      return false;
    }
    int cl = u16(b, p);
    p += 2;
    if ((cl & 1) != 0 || p + cl > end) {
      return false;
    }
    h.cipherCount = u16s(b, p, cl, h.ciphers, h.cipherCount);
    p += cl;
    if (p + 1 > end) {
      return false;
    }
    p += 1 + (b[p] & 0xff); // compression methods
    if (p > end) {
      return false;
    }
    if (p == end) {
      return true; // no extensions
    }
    if (p + 2 > end) {
      return false;
    }
    int el = u16(b, p);
    p += 2;
    if (p + el > end) {
      return false;
    }
    int extEnd = p + el;
    while (p < extEnd) {
      if (p + 4 > extEnd) {
        return false;
      }
      int et = u16(b, p);
      int len = u16(b, p + 2);
      p += 4;
      if (p + len > extEnd) {
        return false;
      }
      if (h.extensionCount < ClientHello.MAX_EXTENSIONS) {
        h.extensions[h.extensionCount++] = et;
      } else {
        weirds.inc(Weirds.TLS_LIST_TRUNCATED);
      }
      if (!clientExtension(h, et, b, p, p + len)) {
        return false;
      }
      p += len;
    }
    return true;
  }

  private boolean clientExtension(ClientHello h, int et, byte[] b, int p, int end) {
    switch (et) {
      case 0x0000 -> { // server_name: list(2) { type(1) len(2) name }
        h.hasSni = true;
        if (end - p < 2) {
          return end == p; // an empty extension is tolerated, a 1-byte one is not
        }
        int ll = u16(b, p);
        int q = p + 2;
        int le = Math.min(end, q + ll);
        while (q + 3 <= le) {
          int nt = b[q] & 0xff;
          int nl = u16(b, q + 1);
          q += 3;
          if (q + nl > le) {
            return false;
          }
          if (nt == 0 && h.sniLength == 0) {
            h.sniLength = Math.min(nl, ClientHello.MAX_NAME);
            System.arraycopy(b, q, h.sni, 0, h.sniLength);
          }
          q += nl;
        }
      }
      case 0x0010 -> { // ALPN: list(2) { len(1) name }
        h.hasAlpn = true;
        if (end - p >= 3) {
          int nl = b[p + 2] & 0xff;
          if (p + 3 + nl > end) {
            return false;
          }
          h.alpnLength = Math.min(nl, ClientHello.MAX_NAME);
          System.arraycopy(b, p + 3, h.alpn, 0, h.alpnLength);
        }
      }
      case 0x000a -> { // supported_groups: list(2) u16...
        if (end - p < 2) {
          return false;
        }
        int ll = Math.min(u16(b, p), end - p - 2);
        h.groupCount = u16s(b, p + 2, ll, h.groups, h.groupCount);
      }
      case 0x000b -> { // ec_point_formats: list(1) u8...
        if (end - p < 1) {
          return false;
        }
        int ll = Math.min(b[p] & 0xff, end - p - 1);
        for (int i = 0; i < ll; i++) {
          if (h.pointFormatCount < ClientHello.MAX_POINT_FORMATS) {
            h.pointFormats[h.pointFormatCount++] = b[p + 1 + i] & 0xff;
          } else {
            weirds.inc(Weirds.TLS_LIST_TRUNCATED);
            break;
          }
        }
      }
      case 0x000d -> { // signature_algorithms: list(2) u16...
        if (end - p < 2) {
          return false;
        }
        int ll = Math.min(u16(b, p), end - p - 2);
        h.sigAlgCount = u16s(b, p + 2, ll, h.sigAlgs, h.sigAlgCount);
      }
      case 0x002b -> { // supported_versions (client): list(1) u16...
        if (end - p < 1) {
          return false;
        }
        int ll = Math.min(b[p] & 0xff, end - p - 1);
        h.versionCount = u16s(b, p + 1, ll, h.versions, h.versionCount);
      }
      default -> {}
    }
    return true;
  }

  /** ServerHello body in {@code b[p, end)}. */
  boolean parseServer(byte[] b, int p, int end) {
    ServerHello h = server;
    h.reset();
    if (p + 2 + 32 + 1 > end) {
      return false;
    }
    h.version = u16(b, p);
    p += 34;
    p += 1 + (b[p] & 0xff);
    if (p + 3 > end) {
      return false;
    }
    h.cipher = u16(b, p);
    p += 3; // cipher + compression method
    if (p == end) {
      return true;
    }
    if (p + 2 > end) {
      return false;
    }
    int el = u16(b, p);
    p += 2;
    if (p + el > end) {
      return false;
    }
    int extEnd = p + el;
    while (p < extEnd) {
      if (p + 4 > extEnd) {
        return false;
      }
      int et = u16(b, p);
      int len = u16(b, p + 2);
      p += 4;
      if (p + len > extEnd) {
        return false;
      }
      if (h.extensionCount < ServerHello.MAX_EXTENSIONS) {
        h.extensions[h.extensionCount++] = et;
      } else {
        weirds.inc(Weirds.TLS_LIST_TRUNCATED);
      }
      if (et == 0x002b && len >= 2) {
        h.selectedVersion = u16(b, p);
      } else if (et == 0x0010 && len >= 3) {
        int nl = b[p + 2] & 0xff;
        if (p + 3 + nl > p + len) {
          return false;
        }
        h.alpnLength = Math.min(nl, ClientHello.MAX_NAME);
        System.arraycopy(b, p + 3, h.alpn, 0, h.alpnLength);
      }
      p += len;
    }
    return true;
  }
}
