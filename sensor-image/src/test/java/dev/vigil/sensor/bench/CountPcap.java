package dev.vigil.sensor.bench;

import dev.vigil.sensor.capture.CaptureFiles;
import dev.vigil.sensor.capture.CaptureReader;
import dev.vigil.sensor.decode.Weirds;
import java.io.IOException;
import java.nio.file.Path;

/** Prints how many packets a capture file holds. */
public final class CountPcap {
  private CountPcap() {}

  public static void main(String[] args) throws IOException {
    long[] n = new long[1];
    try (CaptureReader r = CaptureFiles.open(Path.of(args[0]), new Weirds())) {
      while (r.next((lt, ifi, ts, b, off, cap, wire) -> n[0]++)) {
        // count
      }
    }
    System.out.println(n[0]);
  }
}
