package dev.vigil.sensor.capture;

/** Receives captured frames. {@code buf} is the reader's own buffer: valid only during the call. */
@FunctionalInterface
public interface PacketHandler {
  void onPacket(
      int linkType, int ifIndex, long tsNanos, byte[] buf, int off, int capLen, int wireLen);
}
