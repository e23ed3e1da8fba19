package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** TLS fingerprints that alert when seen. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsBlocklists {

  @Size(max = 1024)
  @JsonPropertyDescription("JA3 client fingerprints (MD5, 32 hex characters).")
  private List<Md5Fingerprint> ja3;

  @Size(max = 1024)
  @JsonPropertyDescription("JA3S server fingerprints (MD5, 32 hex characters).")
  private List<Md5Fingerprint> ja3s;

  @Size(max = 1024)
  @JsonPropertyDescription("JA4 client fingerprints, e.g. t13d1516h2_8daaf6152771_b186095e22b6.")
  private List<Ja4Fingerprint> ja4;

  public List<Md5Fingerprint> getJa3() {
    return ja3;
  }

  public void setJa3(List<Md5Fingerprint> ja3) {
    this.ja3 = ja3;
  }

  public List<Md5Fingerprint> getJa3s() {
    return ja3s;
  }

  public void setJa3s(List<Md5Fingerprint> ja3s) {
    this.ja3s = ja3s;
  }

  public List<Ja4Fingerprint> getJa4() {
    return ja4;
  }

  public void setJa4(List<Ja4Fingerprint> ja4) {
    this.ja4 = ja4;
  }
}
