package dev.vigil.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.ship.ShipperConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShippingTest {
  @TempDir Path tmp;

  @Test
  void basicHeaderFromThePasswordFileNeverPrinted() throws Exception {
    Path pw = Files.writeString(tmp.resolve("pw"), "s3cr3t-pass\n");
    AgentConfig c =
        AgentConfig.parse(
            "--events", tmp.toString(),
            "--opensearch", "http://127.0.0.1:9200",
            "--opensearch-user", "agent",
            "--opensearch-password-file", pw.toString(),
            "--index-prefix", "site-a");
    ShipperConfig s = Shipping.config(c);
    assertThat(s.authorization())
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("agent:s3cr3t-pass".getBytes(StandardCharsets.UTF_8)));
    assertThat(s.indexPrefix()).isEqualTo("site-a");
    assertThat(s.dataDir()).isEqualTo(tmp.resolve("spool"));
    assertThat(s.endpoint().get()).hasToString("http://127.0.0.1:9200");
    assertThat(s.toString()).doesNotContain("s3cr3t").doesNotContain(s.authorization());
    assertThat(c.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void withoutCredentialsOrCaNothingIsSet() throws Exception {
    ShipperConfig s =
        Shipping.config(
            AgentConfig.parse("--events", tmp.toString(), "--opensearch", "http://h:9200"));
    assertThat(s.authorization()).isNull();
    assertThat(s.sslContext()).isNull();
  }

  @Test
  void aCaFileWithoutCertificatesIsRefused() throws Exception {
    Path bad = Files.writeString(tmp.resolve("ca.pem"), "not a certificate\n");
    assertThatThrownBy(() -> Shipping.trusting(bad)).hasMessageContaining(bad.toString());
  }

  @Test
  void theCaBundleIsWhatHttpsTrusts() throws Exception {
    Path p12 = tmp.resolve("server.p12");
    Path pem = tmp.resolve("ca.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        keytool,
        "-genkeypair",
        "-keyalg",
        "EC",
        "-alias",
        "os",
        "-dname",
        "CN=opensearch-test",
        "-ext",
        "san=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        p12.toString(),
        "-storepass",
        "changeit");
    run(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "os",
        "-keystore",
        p12.toString(),
        "-storepass",
        "changeit",
        "-file",
        pem.toString());
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(p12)) {
      ks.load(in, "changeit".toCharArray());
    }
    javax.net.ssl.KeyManagerFactory kmf =
        javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    javax.net.ssl.SSLContext serverCtx = javax.net.ssl.SSLContext.getInstance("TLS");
    serverCtx.init(kmf.getKeyManagers(), null, null);
    com.sun.net.httpserver.HttpsServer server =
        com.sun.net.httpserver.HttpsServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(serverCtx));
    server.createContext(
        "/",
        ex -> {
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.start();
    try {
      java.net.URI url =
          java.net.URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
      java.net.http.HttpRequest get = java.net.http.HttpRequest.newBuilder(url).build();
      ShipperConfig cfg =
          Shipping.config(
              AgentConfig.parse(
                  "--events",
                  tmp.toString(),
                  "--opensearch",
                  url.toString(),
                  "--opensearch-ca",
                  pem.toString()));
      assertThat(cfg.sslContext()).isNotNull();
      try (java.net.http.HttpClient trusting =
          java.net.http.HttpClient.newBuilder().sslContext(cfg.sslContext()).build()) {
        assertThat(
                trusting
                    .send(get, java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode())
            .isEqualTo(200);
      }
      try (java.net.http.HttpClient defaults = java.net.http.HttpClient.newHttpClient()) {
        assertThatThrownBy(
                () -> defaults.send(get, java.net.http.HttpResponse.BodyHandlers.discarding()))
            .as("the JDK's default trust store does not know the test CA")
            .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
      }
    } finally {
      server.stop(0);
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }
}
