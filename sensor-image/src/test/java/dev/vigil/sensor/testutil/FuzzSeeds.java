package dev.vigil.sensor.testutil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes the seed inputs of the Jazzer fuzz targets (README "Fuzzing") into their regression
 * directories, {@code src/test/resources/<package>/<Class>Inputs/<method>/seed-*}: well-formed
 * frames, hellos, DNS messages, HTTP and Stratum exchanges, encoded as each target's {@code
 * FuzzedDataProvider} reads them (bytes from the front, numbers and booleans from the back). Run
 * once when a target's input layout changes: {@code java -cp target/test-classes:target/classes
 * dev.vigil.sensor.testutil.FuzzSeeds sensor-image}. Crash inputs Jazzer writes beside them are
 * kept as they are.
 */
public final class FuzzSeeds {
  private FuzzSeeds() {}

  /**
   * An input as FuzzedDataProvider consumes it: {@link #bytes} from the front, the rest from the
   * back.
   */
  static final class Input {
    final ByteArrayOutputStream front = new ByteArrayOutputStream();
    final ByteArrayOutputStream back = new ByteArrayOutputStream(); // in the order they are read

    Input bool(boolean b) {
      back.write(b ? 1 : 0);
      return this;
    }

    /** An int of a range needing one byte (max - min < 256). */
    Input int8(int v) {
      back.write(v);
      return this;
    }

    /** An int of a range needing two bytes; {@code v} is the value minus the range's minimum. */
    Input int16(int v) {
      back.write(v >>> 8);
      back.write(v);
      return this;
    }

    Input bytes(byte[] b) {
      front.writeBytes(b);
      return this;
    }

    byte[] encode() {
      byte[] f = front.toByteArray();
      byte[] b = back.toByteArray();
      byte[] out = new byte[f.length + b.length];
      System.arraycopy(f, 0, out, 0, f.length);
      for (int i = 0; i < b.length; i++) {
        out[out.length - 1 - i] = b[i];
      }
      return out;
    }
  }

  public static void main(String[] args) throws IOException {
    Path res =
        Path.of(args.length > 0 ? args[0] : ".").resolve("src/test/resources/dev/vigil/sensor");
    byte[] chrome = TlsHellos.chrome().record();
    byte[] serverHello =
        TlsHellos.record(
            22,
            TlsHellos.serverHello(
                0x0303,
                0x1301,
                new int[] {0x002b, 0x0010, 0x0033},
                new byte[][] {{3, 4}, {0, 3, 2, 'h', '2'}, new byte[36]}));

    write(
        res.resolve("tls/ClientHelloFuzzTestInputs/clientHello"),
        "chrome",
        in().bytes(chrome).int8(0).bool(true));
    write(
        res.resolve("tls/ClientHelloFuzzTestInputs/clientHello"),
        "chrome-3-records",
        in().bytes(TlsHellos.records(TlsHellos.chrome().message(), 200)).int8(0).bool(false));
    write(
        res.resolve("tls/ClientHelloFuzzTestInputs/clientHello"),
        "minimal-tls10",
        in().bytes(TlsHellos.client().version(0x0301).ciphers(0x002f).record()).int8(3).bool(true));
    write(
        res.resolve("tls/ServerHelloFuzzTestInputs/serverHello"),
        "tls13",
        in().bytes(serverHello).bool(true));

    // Decoder: one frame of each shape the scenarios have (link type index 0 = Ethernet)
    Path dec = res.resolve("decode/DecoderFuzzTestInputs/decode");
    Set<Integer> shapes = new HashSet<>();
    int n = 0;
    for (var s : Scenarios.all().entrySet()) {
      for (Trace.Frame f : s.getValue().get().frames()) {
        int shape = f.linkType() * 1_000_003 + shapeOf(f.data());
        if (f.linkType() == 1 && shapes.add(shape) && n < 48) {
          write(dec, s.getKey() + "-" + n++, in().bytes(f.data()).int8(0).int8(0).int8(0));
        }
      }
    }

    Path dns = res.resolve("analyzer/DnsParserFuzzTestInputs/parse");
    DnsMsg m = new DnsMsg(7, DnsMsg.RESPONSE).question("www.example.com", 1);
    int cname = m.offset() + 12;
    m.answerPtr(12, 5, 60, DnsMsg.nameThenPtr("web", 16));
    m.answerPtr(cname, 1, 60, DnsMsg.a("192.0.2.1"));
    m.answerPtr(12, 16, 60, DnsMsg.txt("a", "bc"));
    m.answerPtr(12, 15, 60, DnsMsg.mx(5, DnsMsg.nameThenPtr("mx", 12)));
    m.answerPtr(12, 28, 60, DnsMsg.a("2001:db8::1"));
    write(dns, "response", in().bytes(m.opt().bytes()).int8(0).bool(true));
    write(
        dns,
        "query",
        in().bytes(new DnsMsg(9, DnsMsg.QUERY_RD).question("example.org", 28).bytes())
            .int8(0)
            .bool(true));

    Path stratum = res.resolve("analyzer/StratumFuzzTestInputs/classify");
    write(
        stratum,
        "subscribe-authorize",
        in().bytes(
                ascii(
                    "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"cgminer/4.10\"]}\n"
                        + "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"wallet.rig1\",\"x\"]}\n"))
            .bool(false));
    write(
        stratum,
        "xmrig-login",
        in().bytes(
                ascii(
                    "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"4A"
                        + "wallet\",\"pass\":\"x\",\"agent\":\"XMRig/6.21.0\"}}\n"))
            .bool(true));
    write(
        stratum,
        "eth-login",
        in().bytes(
                ascii(
                    "{\"id\":1,\"method\":\"eth_submitLogin\",\"worker\":\"rig2\","
                        + "\"params\":[\"0xabc\"]}\n"))
            .bool(true));
    write(
        stratum,
        "getwork",
        in().bytes(ascii("{\"method\": \"getblocktemplate\", \"params\": []}")).bool(true));

    Path http = res.resolve("analyzer/HttpFlowFuzzTestInputs/feed");
    Input h = in();
    chunk(
        h,
        false,
        ascii(
            "GET /index.html HTTP/1.1\r\nHost: www.example.com:8080\r\nUser-Agent: curl/8.5.0\r\n\r\n"));
    chunk(h, true, ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
    chunk(
        h, false, ascii("POST /rpc HTTP/1.1\r\nHost: pool\r\nTransfer-Encoding: chunked\r\n\r\n"));
    chunk(h, false, ascii("1a\r\n{\"method\": \"getwork\"}      \r\n0\r\n\r\n"));
    chunk(
        h,
        true,
        ascii(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
    chunk(h, false, ascii("CONNECT example.com:443 HTTP/1.1\r\n\r\n"));
    chunk(h, true, ascii("HTTP/1.1 200 Connection established\r\n\r\n"));
    write(http, "get-post-connect", h);

    Path pipe = res.resolve("pipeline/PipelineFuzzTestInputs/connection");
    write(pipe, "tls", conn(0, false, seg(false, chrome), seg(true, serverHello)));
    write(
        pipe,
        "http",
        conn(
            1,
            false,
            seg(false, ascii("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n")),
            seg(true, ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))));
    write(
        pipe,
        "smtp-starttls",
        conn(
            2,
            false,
            seg(true, ascii("220 mx ESMTP\r\n")),
            seg(false, ascii("EHLO c\r\n")),
            seg(true, ascii("250-mx\r\n250 STARTTLS\r\n")),
            seg(false, ascii("STARTTLS\r\n")),
            seg(true, ascii("220 Ready\r\n")),
            seg(false, chrome),
            seg(true, serverHello)));
    write(
        pipe,
        "socks5",
        conn(
            3,
            false,
            seg(false, Frames.bytes(5, 1, 0)),
            seg(true, Frames.bytes(5, 0)),
            seg(false, Frames.bytes(5, 1, 0, 1, 93, 184, 216, 34, 1, 187)),
            seg(true, Frames.bytes(5, 0, 0, 1, 10, 0, 1, 80, 0x9c, 0x40)),
            seg(false, chrome)));
    write(
        pipe,
        "stratum",
        conn(
            4,
            false,
            seg(
                false,
                ascii(
                    "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"wallet.rig1\",\"x\"]}\n"))));
    write(
        pipe,
        "dns-udp",
        conn(
            5,
            true,
            seg(false, new DnsMsg(9, DnsMsg.QUERY_RD).question("example.org", 1).bytes()),
            seg(true, m.bytes())));
  }

  private static int shapeOf(byte[] frame) {
    // Ethertype and IP protocol: frames of the same shape exercise the same decoder path
    int et = frame.length > 13 ? ((frame[12] & 0xff) << 8) | (frame[13] & 0xff) : -1;
    int proto = frame.length > 23 ? frame[23] & 0xff : -1;
    int sport = frame.length > 37 ? ((frame[34] & 0xff) << 8) | (frame[35] & 0xff) : -1;
    return (et * 257 + proto) * 65537 + sport;
  }

  private static void chunk(Input in, boolean server, byte[] data) {
    in.bool(server).int8(0).int16(data.length).bytes(data);
  }

  private record Seg(boolean server, byte[] data) {}

  private static Seg seg(boolean server, byte[] data) {
    return new Seg(server, data);
  }

  private static Input conn(int portIndex, boolean udp, Seg... segs) {
    Input in = in().int8(portIndex).bool(udp);
    for (Seg s : segs) {
      in.bool(s.server()).int8(0).int16(s.data().length).bytes(s.data());
    }
    return in;
  }

  private static Input in() {
    return new Input();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static void write(Path dir, String name, Input in) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("seed-" + name), in.encode());
  }
}
