package dev.vigil.sensor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vigil.common.ship.Doc;
import dev.vigil.sensor.testutil.Scenarios;
import dev.vigil.sensor.testutil.SensorRun;
import dev.vigil.sensor.testutil.Trace;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipping options in-process, against a stand-in {@code _bulk} endpoint that records what it
 * is sent and answers 201 for every item.
 */
class ShippingCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TS_UID = Pattern.compile("^\\{\"ts\":([0-9.]+),\"uid\":\"(C\\w+)\"");
  private static final String PASSWORD = "s3cret-Pa55word";

  @TempDir Path dir;
  HttpServer server;
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final List<String> paths = new CopyOnWriteArrayList<>();

  /** id → [index, source line] of every create received. */
  final Map<String, String[]> docs = new TreeMap<>();

  @BeforeEach
  void bulkEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::bulk);
    server.start();
  }

  /** Records the {@code create} operations of a {@code _bulk} request and answers 201 each. */
  private void bulk(HttpExchange ex) throws IOException {
    authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
    paths.add(ex.getRequestURI().getPath());
    String[] lines =
        new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("\n");
    StringBuilder items = new StringBuilder();
    for (int i = 0; i + 1 < lines.length; i += 2) {
      JsonNode create = JSON.readTree(lines[i]).path("create");
      synchronized (docs) {
        docs.put(
            create.path("_id").asText(),
            new String[] {create.path("_index").asText(), lines[i + 1]});
      }
      items.append(items.isEmpty() ? "" : ",").append("{\"create\":{\"status\":201}}");
    }
    byte[] body = ("{\"errors\":false,\"items\":[" + items + "]}").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(body);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** id (compact id of {@code uid@ts}) → the line, for every line of a log. */
  private static Map<String, String> byId(String log) {
    Map<String, String> m = new TreeMap<>();
    for (String line : log.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Matcher x = TS_UID.matcher(line);
      assertThat(x.find()).as(line).isTrue();
      m.put(
          Doc.compactId(
              Long.parseLong(x.group(1).substring(0, x.group(1).indexOf('.'))),
              x.group(2) + "@" + x.group(1)),
          line);
    }
    return m;
  }

  @Test
  void shipsEveryConnAndSslLineWithBasicAuthAndNeverPrintsThePassword() throws IOException {
    Path pw = Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
    SensorRun run =
        SensorRun.run(
            Scenarios.services(),
            dir.resolve("run"),
            "--opensearch",
            url(),
            "--opensearch-user",
            "vigil",
            "--opensearch-password-file",
            pw.toString(),
            "--index-prefix",
            "unit");
    assertThat(run.exitCode()).as(run.stderr()).isZero();

    Map<String, String> conn = byId(run.connLog());
    Map<String, String> ssl = byId(run.sslLog());
    assertThat(conn).isNotEmpty();
    assertThat(ssl).isNotEmpty();
    Map<String, String> shippedConn = new TreeMap<>();
    Map<String, String> shippedSsl = new TreeMap<>();
    synchronized (docs) {
      for (var e : docs.entrySet()) {
        String index = e.getValue()[0];
        if (index.startsWith("unit-conn-")) {
          shippedConn.put(e.getKey(), e.getValue()[1]);
        } else if (index.startsWith("unit-ssl-")) {
          shippedSsl.put(e.getKey(), e.getValue()[1]);
        } else {
          throw new AssertionError("unexpected index " + index);
        }
      }
    }
    assertThat(shippedConn).isEqualTo(conn);
    assertThat(shippedSsl).isEqualTo(ssl);

    String header =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("vigil:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    assertThat(authorizations).isNotEmpty().allMatch(header::equals);
    assertThat(paths).allMatch("/_bulk"::equals);
    assertThat(run.stderr())
        .contains(conn.size() + ssl.size() + " shipped")
        .doesNotContain(PASSWORD)
        .doesNotContain(header.substring("Basic ".length()));
  }

  @Test
  void shipsDnsLinesOncePerTransaction() throws IOException {
    shipsTransactions(dev.vigil.sensor.testutil.AnalyzerScenarios.dns(), "dns", "trans_id");
  }

  @Test
  void shipsHttpLinesOncePerTransactionEvenPipelinedInOnePacket() throws IOException {
    shipsTransactions(dev.vigil.sensor.testutil.AnalyzerScenarios.http(), "http", "trans_depth");
  }

  /** Every line of the log arrives once, in its index family, with the compact id of uid@ts@n. */
  private void shipsTransactions(Trace trace, String log, String n) throws IOException {
    SensorRun run =
        SensorRun.run(trace, dir.resolve("run"), "--opensearch", url(), "--index-prefix", "unit");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    Map<String, String> expected = new TreeMap<>();
    for (String line : (log.equals("dns") ? run.dnsLog() : run.httpLog()).split("\n")) {
      JsonNode j = JSON.readTree(line);
      String ts = line.substring(6, line.indexOf(','));
      String id =
          Doc.compactId(
              Long.parseLong(ts.substring(0, ts.indexOf('.'))),
              j.get("uid").asText() + "@" + ts + "@" + j.get(n).asText());
      assertThat(expected.put(id, line)).as("id %s is unique", id).isNull();
    }
    assertThat(expected).hasSizeGreaterThan(5);
    Map<String, String> shipped = new TreeMap<>();
    synchronized (docs) {
      for (var e : docs.entrySet()) {
        if (e.getValue()[0].startsWith("unit-" + log + "-")) {
          shipped.put(e.getKey(), e.getValue()[1]);
        }
      }
    }
    assertThat(shipped).isEqualTo(expected);
  }

  private static void keytool(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("keytool %s: %s", args, out).isZero();
  }

  @Test
  void httpsTrustsExactlyTheGivenCa() throws Exception {
    // A self-signed server certificate for 127.0.0.1, exported as the PEM the sensor trusts.
    String pass = "changeit";
    keytool(
        dir,
        "-genkeypair",
        "-alias",
        "os",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=vigil-test-opensearch",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2",
        "-keystore",
        "server.p12",
        "-storetype",
        "PKCS12",
        "-storepass",
        pass,
        "-keypass",
        pass);
    keytool(
        dir,
        "-exportcert",
        "-rfc",
        "-alias",
        "os",
        "-keystore",
        "server.p12",
        "-storepass",
        pass,
        "-file",
        "ca.pem");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(dir.resolve("server.p12").toFile())) {
      ks.load(in, pass.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pass.toCharArray());
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    https.createContext("/", this::bulk);
    https.start();
    try {
      String url = "https://127.0.0.1:" + https.getAddress().getPort();
      // Without the CA the JDK's default trust store refuses the certificate: nothing arrives,
      // everything waits in the spool, the run still succeeds.
      SensorRun untrusted =
          SensorRun.run(Scenarios.services(), dir.resolve("untrusted"), "--opensearch", url);
      assertThat(untrusted.exitCode()).as(untrusted.stderr()).isZero();
      assertThat(untrusted.stderr()).contains("opensearch: 0 shipped");
      assertThat(docs).isEmpty();

      SensorRun trusted =
          SensorRun.run(
              Scenarios.services(),
              dir.resolve("trusted"),
              "--opensearch",
              url,
              "--opensearch-ca",
              dir.resolve("ca.pem").toString());
      assertThat(trusted.exitCode()).as(trusted.stderr()).isZero();
      Map<String, String> expected = byId(trusted.connLog());
      expected.putAll(byId(trusted.sslLog()));
      synchronized (docs) {
        assertThat(docs.keySet()).isEqualTo(expected.keySet());
      }
      assertThat(trusted.stderr()).contains("opensearch: " + expected.size() + " shipped");
    } finally {
      https.stop(0);
    }
  }

  private static SensorRun bad(Path dir, String... extra) throws IOException {
    return SensorRun.run(Scenarios.services(), dir, extra);
  }

  @Test
  void badShippingOptionsExitTwoWithAClearMessage() throws IOException {
    Path pw = Files.writeString(dir.resolve("pw"), PASSWORD);
    Path emptyPw = Files.writeString(dir.resolve("empty"), "\n");
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate " + PASSWORD);
    String[][] cases = {
      {"--opensearch", "ftp://127.0.0.1:9200", "--opensearch needs an http:// or https:// URL"},
      {"--opensearch", "http://", "--opensearch"},
      {"--opensearch", "http://u:" + PASSWORD + "@127.0.0.1:9200", "not in the URL"},
      {"--opensearch", url(), "--opensearch-user", "vigil", "go together"},
      {"--opensearch", url(), "--opensearch-password-file", pw.toString(), "go together"},
      {
        "--opensearch-user",
        "vigil",
        "--opensearch-password-file",
        pw.toString(),
        "need --opensearch"
      },
      {
        "--opensearch",
        url(),
        "--opensearch-user",
        "vigil",
        "--opensearch-password-file",
        dir.resolve("missing").toString(),
        "--opensearch-password-file: cannot read"
      },
      {
        "--opensearch",
        url(),
        "--opensearch-user",
        "vigil",
        "--opensearch-password-file",
        emptyPw.toString(),
        "is empty"
      },
      {"--opensearch", url(), "--opensearch-ca", notPem.toString(), "needs an https://"},
      {
        "--opensearch",
        "https://127.0.0.1:9200",
        "--opensearch-ca",
        notPem.toString(),
        "--opensearch-ca:"
      },
      {
        "--opensearch",
        "https://127.0.0.1:9200",
        "--opensearch-ca",
        dir.resolve("missing.pem").toString(),
        "--opensearch-ca: cannot read"
      },
      {"--opensearch", url(), "--index-prefix", "Vigil", "--index-prefix must be"},
      {"--opensearch", url(), "--index-prefix", "", "--index-prefix must be"},
      {"--opensearch", url(), "--index-prefix", "a/b", "--index-prefix must be"},
      {"--opensearch", url(), "--spool-dir", "--spool-dir needs a value"},
    };
    int n = 0;
    for (String[] c : cases) {
      List<String> args = new ArrayList<>(List.of(c).subList(0, c.length - 1));
      SensorRun run = bad(dir.resolve("bad" + n++), args.toArray(String[]::new));
      assertThat(run.exitCode()).as("%s: %s", args, run.stderr()).isEqualTo(2);
      assertThat(run.stderr()).as("%s", args).contains(c[c.length - 1]).doesNotContain(PASSWORD);
      assertThat(run.connLog()).as("nothing run for %s", args).isNull();
    }
    assertThat(docs).isEmpty();
  }
}
