package dev.vigil.sensor.capture;

/**
 * A live source of frames read by one worker thread: {@link #next} returns true after a frame or a
 * timeout without traffic (so the worker can notice {@link #stop}), false once stopped.
 */
public interface LiveCapture extends CaptureReader {
  /** Kernel counters since the previous call: {packets, drops}. */
  long[] statistics();

  /** Makes {@link #next} return false; callable from any thread. */
  void stop();

  /** Frees the native resources; only from the reading thread, after the last {@link #next}. */
  void release();
}
