package dev.vigil.sensor.capture;

import dev.vigil.sensor.decode.Weirds;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens a capture file by its magic number, not its name. */
public final class CaptureFiles {
  private CaptureFiles() {}

  static final int BUFFER = 4 << 20;

  public static CaptureReader open(Path file, Weirds weirds) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    InputBuffer in = new InputBuffer(ch, BUFFER);
    try {
      if (!in.ensure(4)) {
        throw new CaptureFormatException("file is empty or shorter than any capture header");
      }
      byte[] b = in.buf();
      int p = in.pos();
      int magic =
          ((b[p] & 0xff) << 24)
              | ((b[p + 1] & 0xff) << 16)
              | ((b[p + 2] & 0xff) << 8)
              | (b[p + 3] & 0xff);
      if (magic == PcapngReader.SHB) {
        return new PcapngReader(in, weirds);
      }
      if (magic == PcapReader.MAGIC_MICRO
          || magic == PcapReader.MAGIC_NANO
          || magic == Integer.reverseBytes(PcapReader.MAGIC_MICRO)
          || magic == Integer.reverseBytes(PcapReader.MAGIC_NANO)) {
        return new PcapReader(in, weirds);
      }
      throw new CaptureFormatException(
          String.format(
              "unknown capture format (magic 0x%08x): expected pcap (a1b2c3d4/a1b23c4d) or pcapng"
                  + " (0a0d0d0a)",
              magic));
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }
}
