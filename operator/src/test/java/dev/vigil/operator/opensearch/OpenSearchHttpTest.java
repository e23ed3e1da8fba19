package dev.vigil.operator.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import org.junit.jupiter.api.Test;

class OpenSearchHttpTest {

  @Test
  void trustsTheCertificatesOfAPemBundle() throws Exception {
    String pem;
    try (InputStream in = getClass().getResourceAsStream("/tls/test-ca.crt")) {
      pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
    assertThat(OpenSearchHttp.trusting(pem).getProtocol()).isEqualTo("TLS");
    // Two copies of the CA (a bundle) are accepted too.
    assertThat(OpenSearchHttp.trusting(pem + pem)).isNotNull();
  }

  @Test
  void refusesSomethingThatIsNotPem() {
    assertThatThrownBy(() -> OpenSearchHttp.trusting("not a certificate"))
        .isInstanceOfAny(CertificateException.class, GeneralSecurityException.class);
    assertThatThrownBy(() -> OpenSearchHttp.trusting(""))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void describesErrorsByClassAndMessage() {
    assertThat(OpenSearchHttp.describe(new java.net.ConnectException()))
        .isEqualTo("ConnectException");
    assertThat(
            OpenSearchHttp.describe(
                new java.net.http.HttpConnectTimeoutException("HTTP connect timed out")))
        .isEqualTo("HttpConnectTimeoutException: HTTP connect timed out");
  }
}
