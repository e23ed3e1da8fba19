package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** Protocol analyzers of a sensor; switching one off saves CPU and its log class. */
/*
 * CEL rules here also run against the CRD's default ({}), before field defaults are filled in, so
 * they treat an absent field as its default.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.stratum) || !self.stratum || !has(self.conn) || self.conn",
    message = "analyzers.stratum needs analyzers.conn: Stratum detection reads connection records")
public class Analyzers {

  @Default("true")
  @JsonPropertyDescription("Connection records (one per flow, like Zeek conn.log).")
  private Boolean conn;

  @Default("true")
  @JsonPropertyDescription("DNS queries and answers.")
  private Boolean dns;

  @Default("true")
  @JsonPropertyDescription("HTTP requests (method, host, URI, user agent, status).")
  private Boolean http;

  @Default("true")
  @JsonPropertyDescription("TLS handshakes: SNI, versions, JA3/JA3S/JA4 fingerprints.")
  private Boolean tls;

  @Default("true")
  @JsonPropertyDescription("Stratum (cryptocurrency mining pool protocol) detection.")
  private Boolean stratum;

  public Boolean getConn() {
    return conn;
  }

  public void setConn(Boolean conn) {
    this.conn = conn;
  }

  public Boolean getDns() {
    return dns;
  }

  public void setDns(Boolean dns) {
    this.dns = dns;
  }

  public Boolean getHttp() {
    return http;
  }

  public void setHttp(Boolean http) {
    this.http = http;
  }

  public Boolean getTls() {
    return tls;
  }

  public void setTls(Boolean tls) {
    this.tls = tls;
  }

  public Boolean getStratum() {
    return stratum;
  }

  public void setStratum(Boolean stratum) {
    this.stratum = stratum;
  }
}
