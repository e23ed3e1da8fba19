package dev.vigil.sensor.demo;

import static dev.vigil.sensor.testutil.TcpConv.ACK;
import static dev.vigil.sensor.testutil.TcpConv.FIN;
import static dev.vigil.sensor.testutil.TcpConv.NONE;
import static dev.vigil.sensor.testutil.TcpConv.PSH;
import static dev.vigil.sensor.testutil.TcpConv.SYN;
import static dev.vigil.sensor.testutil.TcpConv.SYNACK;

import dev.vigil.sensor.testutil.PcapWriter;
import dev.vigil.sensor.testutil.TcpConv;
import dev.vigil.sensor.testutil.TlsHellos;
import dev.vigil.sensor.testutil.Trace;
import dev.vigil.sensor.testutil.Wrap;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The capture {@code make demo} runs the sensor on: a border link of the example site with ordinary
 * traffic and three findings for the example policies (see {@code examples/demo/}):
 *
 * <ol>
 *   <li>a compute node (10.20.1.15) opening TLS to 198.51.100.23 — an address on the example's
 *       cobaltstrike trail, outside the allowed destinations (connect-back), SNI {@code
 *       cdn-update.example} (trail domain), with a ClientHello whose JA3 the demo policy
 *       blocklists;
 *   <li>a Stratum mining session from 10.20.3.7 to the pool 203.0.113.45:3333 (xmrig trail), login
 *       {@code 4AdemoWalletXyz.rig07};
 *   <li>benign traffic: internal HTTPS to 10.30.0.5, and to the vendor licence server in
 *       192.0.2.0/24 (allowed).
 * </ol>
 *
 * Timestamps start at the given time (default now), so the demo's daily indices are current. Usage:
 * {@code DemoCapture <out.pcap> [epoch-seconds]}.
 */
public final class DemoCapture {

  /** The demo beacon's ClientHello: an old-style client with RSA and CBC suites, no ALPN. */
  public static TlsHellos.Client beacon() {
    return TlsHellos.client()
        .ciphers(49192, 49191, 49172, 49171, 159, 158, 57, 51, 157, 156, 61, 60, 53, 47, 10)
        .sni("cdn-update.example")
        .groups(23, 24)
        .pointFormats(0)
        .sigAlgs(0x0401, 0x0501, 0x0201, 0x0403, 0x0503)
        .ext(23, new byte[0])
        .ext(65281, new byte[] {0});
  }

  private static final byte[] SERVER_HELLO =
      TlsHellos.record(
          22, TlsHellos.serverHello(0x0303, 49192, new int[] {65281}, new byte[][] {{0}}));

  private DemoCapture() {}

  public static Trace trace() {
    Trace t = new Trace();
    for (int i = 0; i < 5; i++) {
      new TcpConv(t, Wrap.ethernetV4(), "10.20.1." + (20 + i), 41000 + i, "10.30.0.5", 443)
          .fullExchange(600 + 40 * i, 9000 + 500 * i);
    }
    TcpConv beacon = open(t, "10.20.1.15", 51515, "198.51.100.23", 443);
    beacon.c(10, PSH, beacon().record()).s(10, PSH, SERVER_HELLO);
    beacon.c(10, PSH, TlsHellos.CHANGE_CIPHER_SPEC);
    close(beacon);
    TcpConv miner = open(t, "10.20.3.7", 40001, "203.0.113.45", 3333);
    miner.c(
        10,
        PSH,
        ascii(
            "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":"
                + "\"4AdemoWalletXyz.rig07\",\"pass\":\"x\",\"agent\":\"XMRig/6.21.0\"}}\n"));
    miner.s(
        10,
        PSH,
        ascii(
            "{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"id\":\"7f3a\",\"job\":"
                + "{\"blob\":\"0707\",\"job_id\":\"j1\",\"target\":\"b88d0600\"},\"status\":\"OK\"}}\n"));
    miner.c(
        10,
        PSH,
        ascii(
            "{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":\"7f3a\","
                + "\"job_id\":\"j1\",\"nonce\":\"0a0b0c0d\",\"result\":\"00ff\"}}\n"));
    close(miner);
    new TcpConv(t, Wrap.ethernetV4(), "10.20.2.40", 42000, "192.0.2.17", 27000)
        .fullExchange(300, 300);
    return t;
  }

  private static TcpConv open(Trace t, String c, int cport, String s, int sport) {
    return new TcpConv(t, Wrap.ethernetV4(), c, cport, s, sport)
        .c(10, SYN, NONE)
        .s(10, SYNACK, NONE)
        .c(10, ACK, NONE);
  }

  private static void close(TcpConv c) {
    c.c(10, FIN, NONE).s(10, FIN, NONE).c(10, ACK, NONE);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  public static void main(String[] args) throws IOException {
    long start = args.length > 1 ? Long.parseLong(args[1]) : System.currentTimeMillis() / 1000 - 60;
    Trace shifted = new Trace();
    long delta = start * 1_000_000_000L - Trace.T0;
    for (Trace.Frame f : trace().frames()) {
      shifted.add(
          new Trace.Frame(f.tsNanos() + delta, f.linkType(), f.ifIndex(), f.data(), f.wireLen()));
    }
    PcapWriter.write(Path.of(args[0]), PcapWriter.pcap(shifted, ByteOrder.LITTLE_ENDIAN, false));
  }
}
