package dev.vigil.sensor.decode;

/** Big-endian unsigned reads over a byte array. Callers check bounds first; these never do. */
public final class Bytes {
  private Bytes() {}

  public static int u8(byte[] b, int i) {
    return b[i] & 0xff;
  }

  public static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  /** Unsigned 32-bit value as a Java int (compare with {@link Integer#compareUnsigned}). */
  public static int i32(byte[] b, int i) {
    return ((b[i] & 0xff) << 24)
        | ((b[i + 1] & 0xff) << 16)
        | ((b[i + 2] & 0xff) << 8)
        | (b[i + 3] & 0xff);
  }

  public static long u32(byte[] b, int i) {
    return i32(b, i) & 0xffffffffL;
  }

  public static long i64(byte[] b, int i) {
    return ((long) i32(b, i) << 32) | (i32(b, i + 4) & 0xffffffffL);
  }

  public static int u16le(byte[] b, int i) {
    return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8);
  }

  public static int i32le(byte[] b, int i) {
    return (b[i] & 0xff)
        | ((b[i + 1] & 0xff) << 8)
        | ((b[i + 2] & 0xff) << 16)
        | ((b[i + 3] & 0xff) << 24);
  }
}
