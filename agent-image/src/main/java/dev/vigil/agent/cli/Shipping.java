package dev.vigil.agent.cli;

import dev.vigil.common.ship.ShipperConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The agent's {@code --opensearch*} options as a {@link ShipperConfig}: the Basic header from the
 * user and the password file (read here, never logged or kept in {@link AgentConfig}), an {@link
 * SSLContext} trusting the PEM CA bundle, the index prefix and the spool directory.
 */
final class Shipping {
  private Shipping() {}

  static ShipperConfig config(AgentConfig c) throws IOException {
    java.net.URI url = c.opensearch();
    ShipperConfig cfg =
        ShipperConfig.defaults(() -> url, c.spoolDir()).withIndexPrefix(c.indexPrefix());
    String auth = null;
    if (c.opensearchUser() != null) {
      String password = Files.readString(c.opensearchPasswordFile(), StandardCharsets.UTF_8);
      password = password.strip(); // a trailing newline from `echo > file` is not the password
      auth =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (c.opensearchUser() + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    SSLContext ssl = c.opensearchCa() == null ? null : trusting(c.opensearchCa());
    return auth == null && ssl == null ? cfg : cfg.withSecurity(auth, ssl);
  }

  /** An SSLContext whose only trust anchors are the certificates in {@code pem}. */
  static SSLContext trusting(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IOException("no certificate in " + pem);
      }
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate cert : certs) {
        ks.setCertificateEntry("ca-" + i++, cert);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use CA bundle " + pem + ": " + e.getMessage(), e);
    }
  }
}
