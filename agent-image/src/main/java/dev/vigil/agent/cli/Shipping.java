package dev.vigil.agent.cli;

import dev.vigil.common.ship.ShipperConfig;
import dev.vigil.common.ship.TrustedCa;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.net.ssl.SSLContext;

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
    try {
      return TrustedCa.fromPem(Files.readString(pem, StandardCharsets.ISO_8859_1));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use CA bundle " + pem + ": " + e.getMessage(), e);
    }
  }
}
