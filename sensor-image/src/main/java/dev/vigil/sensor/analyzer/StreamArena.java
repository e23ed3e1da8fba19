package dev.vigil.sensor.analyzer;

/**
 * A bounded pool of TCP stream-prefix buffers: the first {@link #CAP} bytes of each direction of a
 * connection, in sequence order, for the content analyzers.
 *
 * <p>A slot holds two directions ({@code slot * 2 + dir}, dir 0 = originator). Each direction's
 * buffer is indexed by the byte's offset in the stream (0 = first data byte after the SYN, or the
 * first byte seen when the capture starts mid-connection), so segments are copied straight to their
 * place whatever order they arrive in. {@link #contiguous} is the length of the gap-free prefix;
 * segments beyond a hole are remembered as up to {@link #HOLES} byte ranges and joined into the
 * prefix when the hole fills. Retransmitted bytes inside the prefix are not copied again (first
 * copy wins, as in Zeek's reassembler).
 *
 * <p>Buffers are allocated the first time their slot is used and reused afterwards: in steady state
 * nothing is allocated. A full pool refuses new connections ({@link #acquire} returns -1).
 */
public final class StreamArena {
  /** Bytes kept per direction. A ClientHello with post-quantum key shares is about 2 KB. */
  public static final int CAP = 8192;

  /** Out-of-order ranges remembered per direction beyond the contiguous prefix. */
  public static final int HOLES = 4;

  /** {@link #add} result: the segment was outside the window or behind too many holes. */
  public static final int DROPPED = -1;

  private final int slots;
  private final byte[][] bufs;
  private final int[] have;
  private final int[] rangeStart;
  private final int[] rangeEnd;
  private final int[] free;
  private int freeTop;

  public StreamArena(int slots) {
    this.slots = Math.max(1, slots);
    bufs = new byte[2 * this.slots][];
    have = new int[2 * this.slots];
    rangeStart = new int[2 * this.slots * HOLES];
    rangeEnd = new int[2 * this.slots * HOLES];
    free = new int[this.slots];
    for (int i = 0; i < this.slots; i++) {
      free[i] = this.slots - 1 - i;
    }
    freeTop = this.slots;
  }

  public int capacity() {
    return slots;
  }

  public int inUse() {
    return slots - freeTop;
  }

  /** A free slot with both directions empty, or -1 when the pool is exhausted. */
  public int acquire() {
    if (freeTop == 0) {
      return -1;
    }
    int s = free[--freeTop];
    for (int d = 2 * s; d < 2 * s + 2; d++) {
      have[d] = 0;
      if (bufs[d] == null) {
        bufs[d] = new byte[CAP];
      }
      for (int i = d * HOLES; i < d * HOLES + HOLES; i++) {
        rangeStart[i] = 0;
        rangeEnd[i] = 0;
      }
    }
    return s;
  }

  public void release(int s) {
    free[freeTop++] = s;
  }

  /** The buffer of one direction; its first {@link #contiguous} bytes are the stream prefix. */
  public byte[] buffer(int s, int dir) {
    return bufs[2 * s + dir];
  }

  public int contiguous(int s, int dir) {
    return have[2 * s + dir];
  }

  /**
   * Adds a segment whose first byte is at stream offset {@code rel}. Returns the contiguous prefix
   * length afterwards, or {@link #DROPPED} when no byte of the segment could be kept (before the
   * stream start, beyond {@link #CAP}, or no free range for an out-of-order segment).
   */
  public int add(int s, int dir, long rel, byte[] src, int off, int len) {
    int d = 2 * s + dir;
    if (len <= 0) {
      return have[d];
    }
    if (rel < 0) { // starts before the stream start (e.g. a retransmission of the SYN's data)
      if (rel + len <= 0) {
        return have[d];
      }
      off += (int) -rel;
      len += (int) rel;
      rel = 0;
    }
    if (rel >= CAP) {
      return have[d] >= CAP ? have[d] : DROPPED;
    }
    int start = (int) rel;
    int end = (int) Math.min(rel + len, CAP);
    if (off < 0 || off + (end - start) > src.length) {
      return DROPPED;
    }
    byte[] buf = bufs[d];
    int h = have[d];
    if (start <= h) {
      if (end > h) {
        System.arraycopy(src, off + (h - start), buf, h, end - h);
        have[d] = end;
        absorbRanges(d);
      }
      return have[d];
    }
    // Out of order: keep the bytes and remember the range, merging with overlapping ones.
    int base = d * HOLES;
    int slot = -1;
    int ns = start;
    int ne = end;
    for (int i = base; i < base + HOLES; i++) {
      if (rangeEnd[i] == 0) {
        if (slot < 0) {
          slot = i;
        }
      } else if (rangeStart[i] <= ne && ns <= rangeEnd[i]) {
        ns = Math.min(ns, rangeStart[i]);
        ne = Math.max(ne, rangeEnd[i]);
        rangeStart[i] = 0;
        rangeEnd[i] = 0;
        if (slot < 0) {
          slot = i;
        }
      }
    }
    if (slot < 0) {
      return DROPPED;
    }
    System.arraycopy(src, off, buf, start, end - start);
    rangeStart[slot] = ns;
    rangeEnd[slot] = ne;
    return have[d];
  }

  private void absorbRanges(int d) {
    int base = d * HOLES;
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = base; i < base + HOLES; i++) {
        if (rangeEnd[i] != 0 && rangeStart[i] <= have[d]) {
          if (rangeEnd[i] > have[d]) {
            have[d] = rangeEnd[i];
          }
          rangeStart[i] = 0;
          rangeEnd[i] = 0;
          changed = true;
        }
      }
    }
  }
}
