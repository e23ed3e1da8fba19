package dev.vigil.sensor.decode;

/**
 * UDP header (RFC 768); VXLAN (4789) and Geneve (6081) ride on it.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Source Port          |       Destination Port        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Length (4)            |           Checksum            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Udp {
  private Udp() {}

  public static final int HEADER_LENGTH = 8;
  public static final int LENGTH_OFFSET = 4;
  public static final int PORT_VXLAN = 4789;
  public static final int PORT_GENEVE = 6081;
}
