package dev.vigil.sensor.capture;

import java.io.IOException;

/** The capture file as a whole cannot be read (unknown magic, corrupt block structure). */
public final class CaptureFormatException extends IOException {
  public CaptureFormatException(String message) {
    super(message);
  }
}
