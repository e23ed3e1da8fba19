package dev.vigil.sensor.capture;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Refilling window over a channel: {@link #ensure} makes {@code n} bytes readable at {@link #pos()}
 * in {@link #buf()}, compacting and growing (up to {@link #MAX}) as needed. One array for the whole
 * file, so records are decoded in place.
 */
final class InputBuffer implements Closeable {
  static final int MAX = 256 << 20;
  private final ReadableByteChannel ch;
  private byte[] buf;
  private ByteBuffer bb;
  private int pos;
  private int limit;
  private boolean eof;
  private long consumedBefore;

  InputBuffer(ReadableByteChannel ch, int initial) {
    this.ch = ch;
    this.buf = new byte[initial];
    this.bb = ByteBuffer.wrap(buf);
  }

  byte[] buf() {
    return buf;
  }

  int pos() {
    return pos;
  }

  int available() {
    return limit - pos;
  }

  /** File offset of {@link #pos()}. */
  long offset() {
    return consumedBefore + pos;
  }

  void skip(int n) {
    pos += n;
  }

  /**
   * Returns true when {@code n} bytes are readable at {@link #pos()}; false at end of input with
   * fewer. Throws if {@code n} exceeds {@link #MAX}.
   */
  boolean ensure(int n) throws IOException {
    if (limit - pos >= n) {
      return true;
    }
    if (n > MAX || n < 0) {
      throw new CaptureFormatException("record of " + n + " bytes at offset " + offset());
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      consumedBefore += pos;
      limit -= pos;
      pos = 0;
    }
    if (n > buf.length) {
      byte[] nb = new byte[Math.max(n, Math.min(MAX, buf.length * 2))];
      System.arraycopy(buf, 0, nb, 0, limit);
      buf = nb;
      bb = ByteBuffer.wrap(buf);
    }
    while (limit < n && !eof) {
      bb.limit(buf.length).position(limit);
      int r = ch.read(bb);
      if (r < 0) {
        eof = true;
      } else {
        limit += r;
      }
    }
    return limit - pos >= n;
  }

  /** Reads exactly {@code n} bytes or throws {@link EOFException}. */
  void require(int n) throws IOException {
    if (!ensure(n)) {
      throw new EOFException("unexpected end of file at offset " + offset());
    }
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }
}
