package dev.vigil.sensor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.sensor.testutil.DnsMsg;
import dev.vigil.sensor.testutil.SensorRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients on loopback, captured live with tcpdump, then read by the sensor with {@code --read}
 * and by tshark: {@code curl} (GET, POST getwork and eth_blockNumber, through an HTTP CONNECT proxy
 * and a SOCKS5 proxy to HTTPS), Python's {@code smtplib} (EHLO, STARTTLS) and Python DNS queries (A
 * with CNAME, AAAA, MX, NXDOMAIN) against small servers in this test. dns.log, http.log and the
 * ClientHellos found after CONNECT/SOCKS5/STARTTLS must agree with tshark's dissectors. Needs root
 * (tcpdump on lo), tcpdump, curl, python3 and tshark; skips with a message otherwise.
 */
class RealClientsIT {
  @TempDir Path dir;
  private final List<AutoCloseable> servers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : servers) {
      c.close();
    }
    for (Thread t : threads) {
      t.interrupt();
    }
  }

  static boolean has(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void curlPythonSmtpAndDnsAgreeWithTshark() throws Exception {
    for (String tool : List.of("tcpdump", "curl", "python3", "tshark")) {
      assumeTrue(has(tool), tool + " not installed");
    }
    assumeTrue(
        "root".equals(System.getProperty("user.name")), "tcpdump on lo needs root (CAP_NET_RAW)");
    int http = httpServer();
    int proxy = tcpServer(this::connectProxy);
    int socks = tcpServer(this::socks5);
    int smtp = tcpServer(this::smtp);
    int dns = dnsServer();

    Path pcap = dir.resolve("real.pcap");
    String filter =
        String.format(
            "host 127.0.0.1 and (tcp port %d or tcp port %d or tcp port %d or tcp port %d or udp"
                + " port %d)",
            http, proxy, socks, smtp, dns);
    Process tcpdump =
        new ProcessBuilder("tcpdump", "-i", "lo", "-U", "-n", "-w", pcap.toString(), filter)
            .redirectErrorStream(true)
            .start();
    try {
      waitForListening(tcpdump);
      String base = "http://127.0.0.1:" + http;
      client(
          "curl", "-s", "-A", "vigil-it/1.0", "-e", "http://ref.vigil.test/", base + "/hello?x=1");
      client(
          "curl",
          "-s",
          "-H",
          "Content-Type: application/json",
          "--data",
          "{\"method\":\"getwork\",\"params\":[],\"id\":0}",
          base + "/rpc");
      client(
          "curl",
          "-s",
          "-H",
          "Content-Type: application/json",
          "--data",
          "{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[],\"id\":1}",
          base + "/rpc");
      client(
          "curl",
          "-sk",
          "--max-time",
          "10",
          "-x",
          "http://127.0.0.1:" + proxy,
          "https://connect.vigil.test/");
      client(
          "curl",
          "-sk",
          "--max-time",
          "10",
          "--socks5-hostname",
          "127.0.0.1:" + socks,
          "https://socks.vigil.test/");
      client(
          "python3",
          "-c",
          String.join(
              "\n",
              "import smtplib, ssl",
              "s = smtplib.SMTP('127.0.0.1', " + smtp + ", timeout=10)",
              "s.ehlo('client.vigil.test')",
              "s._host = 'mail.vigil.test'  # the SNI starttls() sends",
              "try:",
              "    s.starttls(context=ssl.create_default_context())",
              "except OSError:",
              "    pass  # the test server reads the hello and closes"));
      client(
          "python3",
          "-c",
          String.join(
              "\n",
              "import socket, struct, random",
              "def q(name, t):",
              "    tid = random.randint(1, 65535)",
              "    body = b''.join(bytes([len(l)]) + l.encode() for l in name.split('.')) + b'\\0'",
              "    m = struct.pack('>HHHHHH', tid, 0x0100, 1, 0, 0, 0) + body + struct.pack('>HH', t, 1)",
              "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
              "    s.settimeout(5)",
              "    s.sendto(m, ('127.0.0.1', " + dns + "))",
              "    s.recvfrom(4096)",
              "    s.close()",
              "q('www.Vigil.test', 1)",
              "q('v6.vigil.test', 28)",
              "q('vigil.test', 15)",
              "q('nx.vigil.test', 1)"));
      Thread.sleep(1500); // let tcpdump write the last packets
    } finally {
      tcpdump.destroy(); // SIGTERM: tcpdump flushes and exits
      tcpdump.waitFor(20, TimeUnit.SECONDS);
    }
    assertThat(Files.size(pcap)).isGreaterThan(24);
    // kept for a look with Wireshark when an assertion below fails
    Files.copy(pcap, Path.of("target", "real-clients.pcap"), StandardCopyOption.REPLACE_EXISTING);

    SensorRun run = SensorRun.run(pcap, dir.resolve("logs"));
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    String[] decodeAs = {
      "-d", "tcp.port==" + http + ",http",
      "-d", "tcp.port==" + proxy + ",http",
      "-d", "tcp.port==" + socks + ",socks",
      "-d", "tcp.port==" + smtp + ",smtp",
      "-d", "udp.port==" + dns + ",dns"
    };

    // DNS: every query tshark sees, with its rcode and addresses, is in dns.log
    Set<String> tsharkDns = new TreeSet<>();
    for (String[] f :
        tshark(
            pcap,
            decodeAs,
            "dns.flags.response == 1",
            "dns.qry.name",
            "dns.flags.rcode",
            "dns.a",
            "dns.aaaa",
            "dns.cname",
            "dns.mx.mail_exchange")) {
      tsharkDns.add(
          f[0].toLowerCase(Locale.ROOT) + " rcode=" + f[1] + " " + join(f[2], f[3], f[4], f[5]));
    }
    Set<String> ours = new TreeSet<>();
    for (JsonNode n : run.dns()) {
      List<String> answers = new ArrayList<>();
      if (n.has("answers")) {
        n.get("answers").forEach(a -> answers.add(a.asText()));
      }
      ours.add(
          n.get("query").asText()
              + " rcode="
              + n.get("rcode").asInt()
              + " "
              + String.join(",", new TreeSet<>(answers)));
    }
    assertThat(tsharkDns).hasSize(4);
    assertThat(ours).isEqualTo(tsharkDns);

    // HTTP: method, host (without port, as Zeek), uri, user agent, status per client port
    Map<String, String> tsharkHttp = new HashMap<>();
    for (String[] f :
        tshark(
            pcap,
            decodeAs,
            "http.request",
            "tcp.srcport",
            "http.request.method",
            "http.host",
            "http.request.uri",
            "http.user_agent")) {
      tsharkHttp.merge(
          f[0],
          f[1] + " " + f[2].replaceAll(":\\d+$", "") + " " + f[3] + " " + f[4],
          (a, b) -> a + " | " + b);
    }
    Map<String, String> ourHttp = new HashMap<>();
    for (JsonNode n : run.http()) {
      ourHttp.merge(
          n.get("id.orig_p").asText(),
          n.get("method").asText()
              + " "
              + n.get("host").asText()
              + " "
              + n.get("uri").asText()
              + " "
              + (n.has("user_agent") ? n.get("user_agent").asText() : ""),
          (a, b) -> a + " | " + b);
    }
    assertThat(tsharkHttp).hasSize(4); // GET, 2 POSTs, CONNECT
    assertThat(ourHttp).isEqualTo(tsharkHttp);
    Set<String> codes = new HashSet<>();
    for (String[] f :
        tshark(pcap, decodeAs, "http.response", "tcp.dstport", "http.response.code")) {
      codes.add(f[0] + ":" + f[1]);
    }
    Set<String> ourCodes = new HashSet<>();
    for (JsonNode n : run.http()) {
      ourCodes.add(n.get("id.orig_p").asText() + ":" + n.get("status_code").asText());
    }
    assertThat(ourCodes).isEqualTo(codes);

    // TLS after CONNECT, SOCKS5 and STARTTLS: JA3 and SNI equal tshark's, per client port
    Map<String, String> tsharkTls = new HashMap<>();
    for (String[] f :
        tshark(
            pcap,
            decodeAs,
            "tls.handshake.type == 1",
            "tcp.srcport",
            "tls.handshake.ja3",
            "tls.handshake.extensions_server_name")) {
      tsharkTls.put(f[0], f[1] + " " + f[2]);
    }
    Map<String, String> ourTls = new HashMap<>();
    for (JsonNode n : run.ssl()) {
      ourTls.put(
          n.get("id.orig_p").asText(), n.get("ja3").asText() + " " + n.get("server_name").asText());
    }
    assertThat(tsharkTls).hasSize(3);
    assertThat(ourTls).isEqualTo(tsharkTls);

    // services by content, per server port
    Map<Integer, Set<String>> services = new HashMap<>();
    for (JsonNode c : run.conns()) {
      services
          .computeIfAbsent(c.get("id.resp_p").asInt(), k -> new TreeSet<>())
          .add(c.has("service") ? c.get("service").asText() : "-");
    }
    assertThat(services.get(proxy)).containsExactly("http,ssl");
    assertThat(services.get(socks)).containsExactly("socks,ssl");
    assertThat(services.get(smtp)).containsExactly("smtp,ssl");
    assertThat(services.get(dns)).containsExactly("dns");
    assertThat(services.get(http)).containsExactly("getwork", "http"); // getwork POST, the others
  }

  private static String join(String... parts) {
    TreeSet<String> s = new TreeSet<>();
    for (String p : parts) {
      for (String x : p.split(",")) {
        if (!x.isEmpty()) {
          s.add(x.toLowerCase(Locale.ROOT));
        }
      }
    }
    return String.join(",", s);
  }

  private List<String[]> tshark(Path pcap, String[] decodeAs, String filter, String... fields)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
    cmd.addAll(List.of(decodeAs));
    cmd.addAll(List.of("-Y", filter, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"));
    for (String f : fields) {
      cmd.add("-e");
      cmd.add(f);
    }
    Path err = Files.createTempFile(dir, "tshark", ".err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("tshark: %s", Files.readString(err)).isZero();
    List<String[]> rows = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        rows.add(line.split("\t", -1));
      }
    }
    return rows;
  }

  private void client(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", cmd[0]).isTrue();
    if (!out.isBlank()) {
      System.out.println(cmd[0] + ": " + out.strip());
    }
  }

  private static void waitForListening(Process tcpdump) throws Exception {
    InputStream in = tcpdump.getInputStream();
    StringBuilder seen = new StringBuilder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && !seen.toString().contains("listening on")) {
      int c = in.read();
      if (c < 0) {
        throw new AssertionError("tcpdump exited: " + seen);
      }
      seen.append((char) c);
    }
    Thread drain =
        new Thread(
            () -> {
              try {
                in.transferTo(OutputStream.nullOutputStream());
              } catch (IOException ignored) {
                // tcpdump ended
              }
            });
    drain.setDaemon(true);
    drain.start();
  }

  // ---- servers ------------------------------------------------------------------------------

  private int httpServer() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    s.createContext(
        "/",
        ex -> {
          byte[] in = ex.getRequestBody().readAllBytes();
          byte[] body = ("{\"result\":" + in.length + "}").getBytes(StandardCharsets.US_ASCII);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    s.start();
    servers.add(() -> s.stop(0));
    return s.getAddress().getPort();
  }

  interface Handler {
    void handle(Socket s) throws IOException;
  }

  private int tcpServer(Handler h) throws IOException {
    ServerSocket ss = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    servers.add(ss);
    Thread t =
        new Thread(
            () -> {
              while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                  s.setSoTimeout(10_000);
                  h.handle(s);
                } catch (IOException e) {
                  // client went away or the server closed
                }
              }
            });
    t.setDaemon(true);
    t.start();
    threads.add(t);
    return ss.getLocalPort();
  }

  /** Answers CONNECT with 200, then reads the client's first bytes (its hello) and closes. */
  private void connectProxy(Socket s) throws IOException {
    readHeaders(s.getInputStream());
    s.getOutputStream().write(ascii("HTTP/1.1 200 Connection established\r\n\r\n"));
    s.getOutputStream().flush();
    readSome(s.getInputStream());
  }

  /** SOCKS5 without authentication: greeting, CONNECT (any address), success; then the hello. */
  private void socks5(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    int n = readN(in, 2)[1] & 0xff;
    readN(in, n);
    out.write(new byte[] {5, 0});
    byte[] head = readN(in, 4);
    int atyp = head[3];
    int alen = atyp == 1 ? 4 : atyp == 4 ? 16 : readN(in, 1)[0] & 0xff;
    readN(in, alen + 2);
    out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0x01, (byte) 0xbb});
    out.flush();
    readSome(in);
  }

  /** Banner, EHLO with STARTTLS offered, 220 to STARTTLS, then the hello. */
  private void smtp(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    out.write(ascii("220 mail.vigil.test ESMTP test\r\n"));
    readLine(in);
    out.write(ascii("250-mail.vigil.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n"));
    readLine(in);
    out.write(ascii("220 2.0.0 Ready to start TLS\r\n"));
    out.flush();
    readSome(in);
  }

  private int dnsServer() throws IOException {
    DatagramSocket ds = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    servers.add(ds);
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[1500];
              while (!ds.isClosed()) {
                try {
                  DatagramPacket p = new DatagramPacket(buf, buf.length);
                  ds.receive(p);
                  byte[] r = dnsAnswer(buf, p.getLength());
                  ds.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                } catch (IOException e) {
                  // closed
                }
              }
            });
    t.setDaemon(true);
    t.start();
    threads.add(t);
    return ds.getLocalPort();
  }

  /** Echoes the question; answers with a CNAME chain, an AAAA, an MX, or NXDOMAIN. */
  static byte[] dnsAnswer(byte[] q, int len) {
    int id = ((q[0] & 0xff) << 8) | (q[1] & 0xff);
    StringBuilder name = new StringBuilder();
    int p = 12;
    while (q[p] != 0) {
      int l = q[p];
      if (name.length() > 0) {
        name.append('.');
      }
      name.append(new String(q, p + 1, l, StandardCharsets.US_ASCII));
      p += 1 + l;
    }
    int qtype = ((q[p + 1] & 0xff) << 8) | (q[p + 2] & 0xff);
    String n = name.toString();
    if (n.startsWith("nx.")) {
      return new DnsMsg(id, 0x8183).question(n, qtype).bytes();
    }
    DnsMsg m = new DnsMsg(id, 0x8180).question(n, qtype);
    switch (qtype) {
      case 1 -> {
        int target = m.offset() + 12;
        m.answerPtr(12, 5, 300, DnsMsg.nameThenPtr("edge", 16));
        m.answerPtr(target, 1, 60, DnsMsg.a("192.0.2.80"));
      }
      case 28 -> m.answerPtr(12, 28, 60, DnsMsg.a("2001:db8::80"));
      case 15 -> m.answerPtr(12, 15, 60, DnsMsg.mx(10, DnsMsg.nameThenPtr("mx1", 12)));
      default -> {}
    }
    return m.bytes();
  }

  private static void readHeaders(InputStream in) throws IOException {
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("eof in headers");
      }
      state =
          (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
              ? state + 1
              : 0;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      sb.append((char) c);
    }
    return sb.toString();
  }

  private static byte[] readN(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new IOException("eof");
    }
    return b;
  }

  private static void readSome(InputStream in) throws IOException {
    in.read(new byte[4096]);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
