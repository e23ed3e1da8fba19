package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Retention per data class. Data is deleted when older than days or, oldest first, when the class
 * exceeds maxSize.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Retention {

  @JsonPropertyDescription("Connection records. Unset: 30 days.")
  private RetentionClass conn;

  @JsonPropertyDescription("DNS records. Unset: 30 days.")
  private RetentionClass dns;

  @JsonPropertyDescription("TLS handshake records. Unset: 90 days.")
  private RetentionClass ssl;

  @JsonPropertyDescription("HTTP records. Unset: 30 days.")
  private RetentionClass http;

  @JsonPropertyDescription("Alerts. Unset: 365 days.")
  private RetentionClass alerts;

  @JsonPropertyDescription("Host agent events. Unset: 30 days.")
  private RetentionClass host;

  public RetentionClass getConn() {
    return conn;
  }

  public void setConn(RetentionClass conn) {
    this.conn = conn;
  }

  public RetentionClass getDns() {
    return dns;
  }

  public void setDns(RetentionClass dns) {
    this.dns = dns;
  }

  public RetentionClass getSsl() {
    return ssl;
  }

  public void setSsl(RetentionClass ssl) {
    this.ssl = ssl;
  }

  public RetentionClass getHttp() {
    return http;
  }

  public void setHttp(RetentionClass http) {
    this.http = http;
  }

  public RetentionClass getAlerts() {
    return alerts;
  }

  public void setAlerts(RetentionClass alerts) {
    this.alerts = alerts;
  }

  public RetentionClass getHost() {
    return host;
  }

  public void setHost(RetentionClass host) {
    this.host = host;
  }
}
