package dev.vigil.sensor.capture;

import dev.vigil.sensor.decode.Weirds;
import java.io.IOException;
import java.util.Arrays;

/**
 * pcapng file (draft-ietf-opsawg-pcapng): sections, several interfaces, per-interface timestamp
 * resolution and offset.
 *
 * <pre>
 *  Every block:
 *   0  block type         (4)
 *   4  block total length (4, includes these 12 bytes of framing, multiple of 4)
 *   8  body ...
 *  -4  block total length (4, repeated)
 *
 *  Section Header Block (0x0a0d0d0a): byte-order magic 0x1a2b3c4d (4), major (2), minor (2),
 *      section length (8), options. Sets the byte order of everything up to the next SHB and
 *      forgets the interfaces of the previous section.
 *  Interface Description Block (1): link type (2), reserved (2), snaplen (4), options:
 *      if_tsresol (9, 1 byte: 10^-n, or 2^-n with the top bit), if_tsoffset (14, 8 bytes, s).
 *  Enhanced Packet Block (6): interface id (4), timestamp high (4), low (4), captured length
 *      (4), original length (4), data padded to 4.
 *  Simple Packet Block (3): original length (4), data; interface 0, no timestamp.
 *  Packet Block (2, obsolete): interface id (2), drops (2), timestamp high, low, captured
 *      length, original length, data.
 *  Options: code (2), length (2), value padded to 4; code 0 ends them.
 * </pre>
 */
public final class PcapngReader implements CaptureReader {
  public static final int SHB = 0x0a0d0d0a;

  private static final long[] POW10 = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L
  };

  static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;
  static final int IDB = 1;
  static final int PB = 2;
  static final int SPB = 3;
  static final int EPB = 6;
  static final int OPT_TSRESOL = 9;
  static final int OPT_TSOFFSET = 14;

  private final InputBuffer in;
  private final Weirds weirds;
  private boolean swapped;
  private int ifCount;
  private int[] linkTypes = new int[4];
  private int[] snaplens = new int[4];
  private int[] tsresol = new int[4];
  private long[] tsOffset = new long[4];
  private long lastTs;

  PcapngReader(InputBuffer in, Weirds weirds) throws IOException {
    this.in = in;
    this.weirds = weirds;
    in.require(12);
    if (be32(in.buf(), in.pos()) != SHB) {
      throw new CaptureFormatException("not a pcapng file");
    }
  }

  private static int be32(byte[] b, int i) {
    return ((b[i] & 0xff) << 24)
        | ((b[i + 1] & 0xff) << 16)
        | ((b[i + 2] & 0xff) << 8)
        | (b[i + 3] & 0xff);
  }

  private int i32(byte[] b, int i) {
    int v = be32(b, i);
    return swapped ? Integer.reverseBytes(v) : v;
  }

  private int u16(byte[] b, int i) {
    int v = ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    return swapped ? ((v & 0xff) << 8) | (v >>> 8) : v;
  }

  @Override
  public boolean next(PacketHandler handler) throws IOException {
    while (true) {
      if (!in.ensure(12)) {
        if (in.available() > 0) {
          weirds.inc(Weirds.BAD_CAPTURE_RECORD);
        }
        return false;
      }
      byte[] b = in.buf();
      int p = in.pos();
      int type = be32(b, p);
      if (type == SHB) {
        int magic = be32(b, p + 8);
        if (magic == BYTE_ORDER_MAGIC) {
          swapped = false;
        } else if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
          swapped = true;
        } else {
          throw new CaptureFormatException(
              "corrupt pcapng section header at offset " + in.offset() + " (byte-order magic)");
        }
        ifCount = 0;
      } else {
        type = i32(b, p);
      }
      int len = i32(b, p + 4);
      if (len < 12 || (len & 3) != 0 || len > InputBuffer.MAX) {
        throw new CaptureFormatException(
            "corrupt pcapng block at offset " + in.offset() + ": length " + (len & 0xffffffffL));
      }
      if (!in.ensure(len)) {
        weirds.inc(Weirds.BAD_CAPTURE_RECORD); // file cut inside its last block
        in.skip(in.available());
        return false;
      }
      b = in.buf();
      p = in.pos();
      if (i32(b, p + len - 4) != len) {
        throw new CaptureFormatException(
            "corrupt pcapng block at offset " + in.offset() + ": trailing length mismatch");
      }
      in.skip(len);
      int body = p + 8;
      int bodyLen = len - 12;
      switch (type) {
        case SHB -> {
          if (bodyLen < 16) {
            throw new CaptureFormatException("pcapng section header too short");
          }
        }
        case IDB -> {
          if (bodyLen < 8) {
            throw new CaptureFormatException("pcapng interface description too short");
          }
          addInterface(b, body, bodyLen);
        }
        case EPB -> {
          if (bodyLen < 20) {
            weirds.inc(Weirds.BAD_CAPTURE_RECORD);
            continue;
          }
          int ifId = i32(b, body);
          long ts = ((long) i32(b, body + 4) << 32) | (i32(b, body + 8) & 0xffffffffL);
          int cap = i32(b, body + 12);
          int orig = i32(b, body + 16);
          if (cap < 0 || cap > bodyLen - 20) {
            weirds.inc(Weirds.BAD_CAPTURE_RECORD);
            continue;
          }
          if (ifId < 0 || ifId >= ifCount) {
            weirds.inc(Weirds.PCAPNG_UNKNOWN_INTERFACE);
            continue;
          }
          if (orig < cap) {
            weirds.inc(Weirds.BAD_CAPTURE_RECORD);
            orig = cap;
          }
          lastTs = toNanos(ifId, ts);
          handler.onPacket(linkTypes[ifId], ifId, lastTs, b, body + 20, cap, orig);
          return true;
        }
        case SPB -> {
          if (bodyLen < 4 || ifCount == 0) {
            weirds.inc(ifCount == 0 ? Weirds.PCAPNG_UNKNOWN_INTERFACE : Weirds.BAD_CAPTURE_RECORD);
            continue;
          }
          int orig = i32(b, body);
          int cap = Math.min(bodyLen - 4, orig < 0 ? Integer.MAX_VALUE : orig);
          if (snaplens[0] > 0) {
            cap = Math.min(cap, snaplens[0]);
          }
          // No timestamp: reuse the last one so packet-time timeouts stay monotonic.
          handler.onPacket(linkTypes[0], 0, lastTs, b, body + 4, cap, Math.max(orig, cap));
          return true;
        }
        case PB -> {
          if (bodyLen < 20) {
            weirds.inc(Weirds.BAD_CAPTURE_RECORD);
            continue;
          }
          int ifId = u16(b, body);
          long ts = ((long) i32(b, body + 4) << 32) | (i32(b, body + 8) & 0xffffffffL);
          int cap = i32(b, body + 12);
          int orig = i32(b, body + 16);
          if (cap < 0 || cap > bodyLen - 20 || ifId >= ifCount) {
            weirds.inc(
                ifId >= ifCount ? Weirds.PCAPNG_UNKNOWN_INTERFACE : Weirds.BAD_CAPTURE_RECORD);
            continue;
          }
          lastTs = toNanos(ifId, ts);
          handler.onPacket(linkTypes[ifId], ifId, lastTs, b, body + 20, cap, Math.max(orig, cap));
          return true;
        }
        default -> {
          // name resolution, statistics, custom, decryption secrets ...: not needed here
        }
      }
    }
  }

  private void addInterface(byte[] b, int body, int bodyLen) {
    if (ifCount == linkTypes.length) {
      int n = ifCount * 2;
      linkTypes = Arrays.copyOf(linkTypes, n);
      snaplens = Arrays.copyOf(snaplens, n);
      tsresol = Arrays.copyOf(tsresol, n);
      tsOffset = Arrays.copyOf(tsOffset, n);
    }
    int i = ifCount++;
    linkTypes[i] = u16(b, body);
    snaplens[i] = i32(b, body + 4);
    tsresol[i] = 6;
    tsOffset[i] = 0;
    int p = body + 8;
    int end = body + bodyLen;
    while (end - p >= 4) {
      int code = u16(b, p);
      int olen = u16(b, p + 2);
      p += 4;
      if (code == 0 || olen > end - p) {
        break;
      }
      if (code == OPT_TSRESOL && olen >= 1) {
        tsresol[i] = b[p] & 0xff;
      } else if (code == OPT_TSOFFSET && olen >= 8) {
        long hi = i32(b, p) & 0xffffffffL;
        long lo = i32(b, p + 4) & 0xffffffffL;
        tsOffset[i] = swapped ? (lo << 32) | hi : (hi << 32) | lo;
      }
      p += (olen + 3) & ~3;
    }
  }

  private long toNanos(int ifId, long ts) {
    int res = tsresol[ifId];
    long nanos;
    if ((res & 0x80) == 0) {
      if (res <= 9) {
        nanos = ts * POW10[9 - res];
      } else if (res <= 18) {
        nanos = Long.divideUnsigned(ts, POW10[res - 9]);
      } else {
        nanos = 0;
      }
    } else {
      int e = res & 0x7f;
      if (e >= 64) {
        nanos = 0;
      } else {
        long whole = e == 0 ? ts : ts >>> e;
        long frac = e == 0 ? 0 : ts & ((1L << e) - 1);
        nanos = whole * 1_000_000_000L + (long) (frac * (1e9 / Math.pow(2, e)));
      }
    }
    return nanos + tsOffset[ifId] * 1_000_000_000L;
  }

  @Override
  public String describe() {
    return "pcapng (" + (swapped ? "little-endian" : "big-endian") + ")";
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
