package dev.vigil.sensor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.sensor.testutil.PcapWriter;
import dev.vigil.sensor.testutil.SensorRun;
import dev.vigil.sensor.testutil.TcpConv;
import dev.vigil.sensor.testutil.TlsHellos;
import dev.vigil.sensor.testutil.Trace;
import dev.vigil.sensor.testutil.Wrap;
import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oracle test: JA3 and JA3S of real TLS handshakes against Wireshark's ({@code tshark -e
 * tls.handshake.ja3 / ja3s}). The handshakes are JSSE client and server engines (TLS 1.3 and 1.2,
 * RSA and EC certificates made here with {@code keytool}, with and without SNI and ALPN, several
 * cipher and group choices, HelloRetryRequest) whose wrapped bytes become TCP segments of a pcap,
 * some cut into 40-byte segments so both sides must reassemble; plus hand-built GREASE hellos split
 * over records. Every connection's JA3/JA3S in ssl.log must equal tshark's. Needs {@code tshark}
 * and {@code keytool}; skips saying so otherwise.
 */
class TlsJa3TsharkIT {
  @TempDir Path dir;

  static boolean available(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      return false;
    }
  }

  static String run(Path log, String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(log.toFile())
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s failed: %s", cmd[0], Files.readString(log)).isZero();
    return out;
  }

  KeyStore keystore(String name, String... keyArgs) throws Exception {
    Path ks = dir.resolve(name + ".p12");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "keytool",
                "-genkeypair",
                "-alias",
                name,
                "-dname",
                "CN=localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit"));
    cmd.addAll(List.of(keyArgs));
    run(dir.resolve(name + ".keytool.log"), cmd.toArray(String[]::new));
    KeyStore k = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(ks.toFile())) {
      k.load(in, "changeit".toCharArray());
    }
    return k;
  }

  static SSLContext serverContext(KeyStore ks) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** Test-only client: trusts the self-signed certificate made above (any, in fact). */
  static SSLContext clientContext() throws Exception {
    TrustManager trustAll =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] c, String a) {}

          @Override
          public void checkServerTrusted(X509Certificate[] c, String a) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {trustAll}, null);
    return ctx;
  }

  record Variant(
      String[] protocols,
      String sni,
      String[] alpn,
      String[] ciphers,
      String[] clientGroups,
      String[] serverGroups,
      boolean ec,
      int segment) {}

  /** One TLS session: the engines' records become the segments of {@code conv}. */
  static void session(TcpConv conv, SSLEngine cl, SSLEngine sv, int segment) throws Exception {
    byte[] req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] resp = "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer cApp = ByteBuffer.wrap(req);
    ByteBuffer sApp = ByteBuffer.wrap(resp);
    ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
    ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
    ByteBuffer cIn = ByteBuffer.allocate(1 << 17);
    ByteBuffer sIn = ByteBuffer.allocate(1 << 17);
    ByteBuffer net = ByteBuffer.allocate(1 << 17);
    cl.beginHandshake();
    sv.beginHandshake();
    for (int round = 0; round < 100; round++) {
      boolean progress = produce(cl, cApp, net, toServer, conv, true, segment);
      progress |= consume(sv, toServer, sIn);
      progress |= produce(sv, sApp, net, toClient, conv, false, segment);
      progress |= consume(cl, toClient, cIn);
      if (sIn.position() >= req.length && cIn.position() >= resp.length) {
        break;
      }
      if (!progress) {
        break;
      }
    }
    conv.c(10, TcpConv.FIN, TcpConv.NONE).s(10, TcpConv.FIN, TcpConv.NONE);
    conv.c(10, TcpConv.ACK, TcpConv.NONE);
  }

  static boolean produce(
      SSLEngine e,
      ByteBuffer app,
      ByteBuffer net,
      ByteBuffer peer,
      TcpConv conv,
      boolean client,
      int segment)
      throws Exception {
    boolean any = false;
    for (int i = 0; i < 20; i++) {
      net.clear();
      SSLEngineResult r = e.wrap(app, net);
      tasks(e);
      if (net.position() == 0) {
        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
          continue;
        }
        break;
      }
      any = true;
      byte[] out = new byte[net.position()];
      net.flip();
      net.get(out);
      peer.put(out);
      for (int off = 0; off < out.length; off += segment) {
        byte[] seg = java.util.Arrays.copyOfRange(out, off, Math.min(out.length, off + segment));
        if (client) {
          conv.c(20, TcpConv.PSH, seg);
        } else {
          conv.s(20, TcpConv.PSH, seg);
        }
      }
    }
    return any;
  }

  static boolean consume(SSLEngine e, ByteBuffer in, ByteBuffer app) throws Exception {
    in.flip();
    boolean any = false;
    try {
      while (in.hasRemaining()) {
        SSLEngineResult r = e.unwrap(in, app);
        tasks(e);
        if (r.bytesConsumed() > 0) {
          any = true;
        }
        if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0) {
          break;
        }
      }
    } finally {
      in.compact();
    }
    return any;
  }

  static void tasks(SSLEngine e) {
    Runnable t;
    while ((t = e.getDelegatedTask()) != null) {
      t.run();
    }
  }

  static List<Variant> variants() {
    String[] tls13 = {"TLSv1.3"};
    String[] tls12 = {"TLSv1.2"};
    String[] both = {"TLSv1.3", "TLSv1.2"};
    String[] h2 = {"h2", "http/1.1"};
    String[] http11 = {"http/1.1"};
    String[] ecdheRsa = {
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
    };
    String[] ecdheEcdsa = {
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
    };
    String[] aes = {"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"};
    String[] xFirst = {"secp384r1", "secp256r1"};
    String[] p256 = {"secp256r1"};
    List<Variant> v = new ArrayList<>();
    for (int segment : new int[] {1400, 40}) {
      v.add(new Variant(tls13, "a.example", h2, null, null, null, false, segment));
      v.add(new Variant(tls13, null, null, null, null, null, true, segment));
      v.add(new Variant(tls12, "b.example", http11, ecdheRsa, null, null, false, segment));
      v.add(new Variant(tls12, null, null, ecdheEcdsa, null, null, true, segment));
      v.add(new Variant(both, "c.example", h2, null, null, null, true, segment));
      v.add(new Variant(tls13, "d.example", null, aes, null, null, false, segment));
      // HelloRetryRequest: the client shares a secp384r1 key only; the server takes secp256r1
      v.add(new Variant(tls13, "hrr.example", h2, null, xFirst, p256, false, segment));
      v.add(
          new Variant(
              both, "e.example", http11, null, new String[] {"secp384r1"}, null, true, segment));
    }
    return v;
  }

  @Test
  void ja3AndJa3sEqualTsharks() throws Exception {
    assumeTrue(
        available("tshark", "--version"),
        "tshark not installed: apt-get install -y tshark (CI installs it from .ci/packages.txt)");
    assumeTrue(available("keytool", "-help"), "keytool (JDK) not on PATH");
    SSLContext rsa = serverContext(keystore("rsa", "-keyalg", "RSA", "-keysize", "2048"));
    SSLContext ec = serverContext(keystore("ec", "-keyalg", "EC", "-groupname", "secp256r1"));
    SSLContext client = clientContext();

    Trace t = new Trace();
    Map<Integer, Variant> byPort = new LinkedHashMap<>();
    int port = 40000;
    for (Variant v : variants()) {
      port++;
      byPort.put(port, v);
      SSLEngine cl =
          v.sni() != null ? client.createSSLEngine(v.sni(), 443) : client.createSSLEngine();
      cl.setUseClientMode(true);
      SSLParameters cp = cl.getSSLParameters();
      cp.setProtocols(v.protocols());
      if (v.alpn() != null) {
        cp.setApplicationProtocols(v.alpn());
      }
      if (v.ciphers() != null) {
        cp.setCipherSuites(v.ciphers());
      }
      if (v.clientGroups() != null) {
        cp.setNamedGroups(v.clientGroups());
      }
      if (v.sni() != null) {
        cp.setServerNames(List.of(new SNIHostName(v.sni())));
      }
      cl.setSSLParameters(cp);
      SSLEngine sv = (v.ec() ? ec : rsa).createSSLEngine();
      sv.setUseClientMode(false);
      SSLParameters sp = sv.getSSLParameters();
      if (v.alpn() != null) {
        sp.setApplicationProtocols(new String[] {v.alpn()[0]});
      }
      if (v.serverGroups() != null) {
        sp.setNamedGroups(v.serverGroups());
      }
      sv.setSSLParameters(sp);
      TcpConv conv = new TcpConv(t, Wrap.ethernetV4(), "10.9.0.1", port, "10.9.0.2", 443);
      conv.c(10, TcpConv.SYN, TcpConv.NONE).s(10, TcpConv.SYNACK, TcpConv.NONE);
      conv.c(10, TcpConv.ACK, TcpConv.NONE);
      session(conv, cl, sv, v.segment());
    }
    // Hand-built GREASE hellos: whole, and in 90-byte records cut into 50-byte segments.
    byte[] chrome = TlsHellos.chrome().record();
    byte[] recs = TlsHellos.records(TlsHellos.chrome().message(), 90);
    int[] cuts = new int[recs.length / 50];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = 50 * (i + 1);
    }
    int[] order = new int[cuts.length + 1];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (byte[] payload : new byte[][] {chrome}) {
      port++;
      TcpConv g = new TcpConv(t, Wrap.ethernetV4(), "10.9.0.1", port, "10.9.0.2", 443);
      g.c(10, TcpConv.SYN, TcpConv.NONE).s(10, TcpConv.SYNACK, TcpConv.NONE);
      g.c(10, TcpConv.ACK, TcpConv.NONE).c(10, TcpConv.PSH, payload);
    }
    port++;
    TcpConv g = new TcpConv(t, Wrap.ethernetV4(), "10.9.0.1", port, "10.9.0.2", 443);
    g.c(10, TcpConv.SYN, TcpConv.NONE).s(10, TcpConv.SYNACK, TcpConv.NONE);
    g.c(10, TcpConv.ACK, TcpConv.NONE).cSplit(10, recs, cuts, order);
    int lastPort = port;

    Path pcap =
        PcapWriter.write(
            dir.resolve("tls.pcap"), PcapWriter.pcap(t, ByteOrder.LITTLE_ENDIAN, false));
    SensorRun run = SensorRun.run(pcap, dir.resolve("logs"));
    assertThat(run.exitCode()).as(run.stderr()).isZero();

    String hellos =
        run(
            dir.resolve("tshark1.log"),
            "tshark",
            "-r",
            pcap.toString(),
            "-Y",
            "tls.handshake.type==1",
            "-T",
            "fields",
            "-e",
            "tcp.srcport",
            "-e",
            "tls.handshake.ja3",
            "-e",
            "tls.handshake.ja3_full");
    Map<Integer, String[]> ja3 = firstPerPort(hellos);
    Map<Integer, String[]> ja3s =
        firstPerPort(
            run(
                dir.resolve("tshark2.log"),
                "tshark",
                "-r",
                pcap.toString(),
                "-Y",
                "tls.handshake.type==2",
                "-T",
                "fields",
                "-e",
                "tcp.dstport",
                "-e",
                "tls.handshake.ja3s",
                "-e",
                "tls.handshake.ja3s_full"));

    int compared = 0;
    int comparedS = 0;
    int hrr = 0;
    for (int p = 40001; p <= lastPort; p++) {
      JsonNode s = run.ssl(p);
      assertThat(s).as("ssl.log entry for port %d\n%s", p, run.sslLog()).isNotNull();
      String[] tj = ja3.get(p);
      assertThat(tj).as("tshark saw no ClientHello on port %d", p).isNotNull();
      assertThat(s.get("ja3").asText())
          .as("JA3 of port %d (%s); tshark's string %s", p, byPort.get(p), tj[1])
          .isEqualTo(tj[0]);
      compared++;
      String[] ts = ja3s.get(p);
      if (ts != null) {
        assertThat(s.path("ja3s").asText())
            .as("JA3S of port %d (%s); tshark's string %s", p, byPort.get(p), ts[1])
            .isEqualTo(ts[0]);
        comparedS++;
      }
      if (byPort.containsKey(p) && "hrr.example".equals(byPort.get(p).sni())) {
        hrr++;
        assertThat(s.get("server_name").asText()).isEqualTo("hrr.example");
        // a retried hello really happened (two ClientHellos), and the first one was fingerprinted
        String prefix = p + "\t";
        assertThat(hellos.lines().filter(l -> l.startsWith(prefix)).count()).isEqualTo(2);
      }
      assertThat(run.conn(p).get("service").asText()).isEqualTo("ssl");
    }
    assertThat(compared).isEqualTo(byPort.size() + 2);
    assertThat(comparedS).isEqualTo(byPort.size());
    assertThat(hrr).isEqualTo(2);
    // the real sessions completed: established needs the ServerHello and the client's CCS/data
    for (int p : byPort.keySet()) {
      assertThat(run.ssl(p).get("established").asBoolean()).as("port %d", p).isTrue();
    }
    // distinct client configurations give distinct fingerprints
    assertThat(ja3.values().stream().map(a -> a[0]).distinct().count()).isGreaterThanOrEqualTo(6);
  }

  /** tshark fields output: port, value, full string; the first line per port. */
  static Map<Integer, String[]> firstPerPort(String out) {
    Map<Integer, String[]> m = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t", -1);
      if (f.length < 3 || f[0].isBlank() || f[1].isBlank()) {
        continue;
      }
      m.putIfAbsent(Integer.parseInt(f[0].split(",")[0].trim()), new String[] {f[1], f[2]});
    }
    return m;
  }
}
