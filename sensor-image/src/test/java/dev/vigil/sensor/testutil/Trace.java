package dev.vigil.sensor.testutil;

import java.util.ArrayList;
import java.util.List;

/** An ordered list of frames with timestamps, written by {@link PcapWriter}. */
public final class Trace {
  /** One captured frame. {@code wireLen} ≥ {@code data.length} (snap-length cut). */
  public record Frame(long tsNanos, int linkType, int ifIndex, byte[] data, int wireLen) {}

  public static final long T0 = 1_700_000_000_000_000_000L;

  private final List<Frame> frames = new ArrayList<>();
  private long now = T0;
  private int linkType = 1;

  public Trace linkType(int lt) {
    this.linkType = lt;
    return this;
  }

  public long now() {
    return now;
  }

  /** Advances the clock by {@code micros} and adds the frame. */
  public Trace add(long micros, byte[] frame) {
    now += micros * 1000L;
    frames.add(new Frame(now, linkType, 0, frame, frame.length));
    return this;
  }

  public Trace add(Frame f) {
    frames.add(f);
    return this;
  }

  public Trace addTruncated(long micros, byte[] frame, int snap) {
    now += micros * 1000L;
    byte[] cut = java.util.Arrays.copyOf(frame, Math.min(snap, frame.length));
    frames.add(new Frame(now, linkType, 0, cut, frame.length));
    return this;
  }

  public List<Frame> frames() {
    return frames;
  }
}
