package dev.vigil.sensor.bench;

import dev.vigil.sensor.testutil.MixedTraffic;
import dev.vigil.sensor.testutil.Trace;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a benchmark pcap of at least N packets: chunks of {@link MixedTraffic} (TCP, UDP, ICMP
 * over Ethernet, 802.1Q, VXLAN, GRE, IPv6), each chunk shifted later in time and to its own address
 * space. Usage: {@code BenchPcap <out.pcap> <packets>}.
 */
public final class BenchPcap {
  private BenchPcap() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    long want = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
    long written = 0;
    long shift = 0;
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
      ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
      h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
      h.putInt(262144).putInt(1);
      os.write(h.array());
      ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      for (int chunk = 0; written < want; chunk++) {
        Trace t = MixedTraffic.generate(2000, 1000 + chunk);
        long last = Trace.T0;
        for (Trace.Frame f : t.frames()) {
          byte[] d = f.data();
          // each chunk starts after the previous one ends (a repeated 5-tuple continues its flow)
          long ts = f.tsNanos() + shift;
          r.clear();
          r.putInt((int) (ts / 1_000_000_000L)).putInt((int) (ts % 1_000_000_000L / 1000));
          r.putInt(d.length).putInt(f.wireLen());
          os.write(r.array());
          os.write(d);
          written++;
          last = Math.max(last, f.tsNanos());
        }
        shift += last - Trace.T0 + 1_000_000L;
      }
    }
    System.out.println(written);
  }
}
