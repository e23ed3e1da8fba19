package dev.vigil.sensor.bench;

import dev.vigil.sensor.decode.Decoder;
import dev.vigil.sensor.flow.ConnRecord;
import dev.vigil.sensor.log.ConnLogWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * {@code ConnLogGen <conn.log> <records> [seed]}: writes a conn.log of HPC-centre-like connections
 * through the sensor's own {@link ConnLogWriter} (the exact bytes the sensor writes and ships), for
 * the storage benchmark. One hour of traffic: 4 000 compute and login nodes in 10.0.0.0/16 talking
 * to a few hundred services (Slurm, NFS/Lustre, LDAP, DNS, HTTPS mirrors) and to outside addresses;
 * 80 % TCP with Zeek-like states and histories, 18 % UDP, 2 % ICMP; byte counts heavy-tailed; 10 %
 * IPv6; a VLAN tag on a quarter of the links.
 */
public final class ConnLogGen {
  private static final int[] TCP_PORTS = {443, 443, 443, 80, 22, 6817, 6818, 2049, 988, 389, 636};
  private static final String[] TCP_SERVICE = {
    "ssl", "ssl", "ssl", "http", "ssh", null, null, null, null, "ldap", "ssl"
  };
  private static final String[][] STATES = {
    {"SF", "ShADadFf"},
    {"SF", "ShADadfF"},
    {"SF", "ShADadFfR"},
    {"S0", "S"},
    {"REJ", "Sr"},
    {"RSTO", "ShADadR"},
    {"OTH", "DdA"},
    {"S1", "ShADad"}
  };

  private ConnLogGen() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    long n = Long.parseLong(args[1]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
    try (ConnLogWriter w = new ConnLogWriter(out, seed)) {
      write(w, n, seed);
    }
  }

  /**
   * Writes {@code n} records through {@code w} (with its shipper, if any): the generator behind
   * {@link #main}, for tests that ship what the sensor ships.
   */
  public static void write(ConnLogWriter w, long n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long t0 = 1_763_900_000_000_000_000L; // 2025-11-23T12:13:20Z, in ns
    long span = 3_600_000_000_000L;
    ConnRecord r = new ConnRecord();
    for (long i = 0; i < n; i++) {
      r.startNanos = t0 + span * i / n + rnd.nextLong(1_000_000);
      r.uidSeq = i;
      r.ipVersion = rnd.nextInt(10) == 0 ? 6 : 4;
      int node = rnd.nextInt(4000);
      int kind = rnd.nextInt(100);
      r.vlan = node % 4 == 0 ? 100 + node % 8 : -1;
      r.innerVlan = -1;
      r.history.setLength(0);
      r.service = null;
      if (r.ipVersion == 4) {
        r.origHi = 0;
        r.origLo = 0x0A00_0000L | (node >> 8) << 8 | (node & 0xff);
        r.respHi = 0;
        r.respLo =
            kind < 70
                ? 0x0A01_0000L | rnd.nextInt(300)
                : (rnd.nextInt(223) + 1L) << 24 | rnd.nextInt(1 << 24);
      } else {
        r.origHi = 0x2001_0db8_0000_0000L;
        r.origLo = node;
        r.respHi = 0x2001_0db8_ffff_0000L;
        r.respLo = rnd.nextInt(300);
      }
      r.origPort = 32768 + rnd.nextInt(28232);
      long dur;
      if (kind < 80) {
        r.proto = Decoder.PROTO_TCP;
        int s = rnd.nextInt(TCP_PORTS.length);
        r.respPort = TCP_PORTS[s];
        r.service = TCP_SERVICE[s];
        String[] st = STATES[rnd.nextInt(10) < 7 ? 0 : rnd.nextInt(STATES.length)];
        r.connState = st[0];
        r.history.append(st[1]);
        dur = (long) (Math.exp(rnd.nextDouble() * 12) * 100_000);
        r.origPkts = 3 + (long) Math.exp(rnd.nextDouble() * 7);
        r.respPkts = 2 + (long) Math.exp(rnd.nextDouble() * 8);
        r.origBytes = r.origPkts * rnd.nextInt(40, 1400);
        r.respBytes = r.respPkts * rnd.nextInt(40, 1400);
        r.origIpBytes = r.origBytes + 52 * r.origPkts;
        r.respIpBytes = r.respBytes + 52 * r.respPkts;
      } else if (kind < 98) {
        r.proto = Decoder.PROTO_UDP;
        r.respPort = rnd.nextInt(4) == 0 ? 123 : 53;
        r.service = r.respPort == 53 ? "dns" : null;
        r.connState = "SF";
        r.history.append("Dd");
        dur = rnd.nextLong(100_000, 5_000_000);
        r.origPkts = 1;
        r.respPkts = 1;
        r.origBytes = rnd.nextInt(30, 80);
        r.respBytes = rnd.nextInt(60, 400);
        r.origIpBytes = r.origBytes + 28;
        r.respIpBytes = r.respBytes + 28;
      } else {
        r.proto = Decoder.PROTO_ICMP;
        r.origPort = 8;
        r.respPort = 0;
        r.connState = "OTH";
        dur = rnd.nextLong(1_000_000, 10_000_000_000L);
        r.origPkts = rnd.nextInt(1, 10);
        r.respPkts = r.origPkts;
        r.origBytes = r.origPkts * 56;
        r.respBytes = r.origBytes;
        r.origIpBytes = r.origPkts * 84;
        r.respIpBytes = r.origIpBytes;
      }
      r.durationNanos = dur;
      r.missedBytes = rnd.nextInt(200) == 0 ? rnd.nextInt(1, 100_000) : 0;
      w.onConnection(r);
    }
  }
}
