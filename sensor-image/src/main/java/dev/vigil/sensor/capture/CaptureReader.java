package dev.vigil.sensor.capture;

import java.io.Closeable;
import java.io.IOException;

/**
 * A source of frames: a pcap or pcapng file now; a TPACKET_V3 ring, libpcap or DPDK later. Each
 * {@link #next} hands at most one frame to the handler without allocating.
 */
public interface CaptureReader extends Closeable {
  /**
   * Reads the next record; calls {@code handler} if it is a packet. Returns false at the end of
   * input. Structural damage that makes the rest unreadable throws {@link CaptureFormatException};
   * a file cut in the middle of its last record ends the input and counts a weird.
   */
  boolean next(PacketHandler handler) throws IOException;

  /** Human-readable format name, e.g. "pcap (nanosecond, little-endian)". */
  String describe();
}
