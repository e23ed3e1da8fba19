package dev.vigil.sensor.analyzer;

/**
 * What the TLS analysis of one connection found, for ssl.log. Held by the connection's stream slot
 * and reused by the slot's next connections; strings are built once per hello, never per packet.
 */
public final class SslSession {
  /** Time of the ClientHello's last segment. */
  public long tsNanos;

  /** Negotiated version (Zeek name), from the ServerHello; null until seen. */
  public String version;

  public String cipher;
  public String serverName;
  public String nextProtocol;

  /** ServerHello seen and the client went on to ChangeCipherSpec or application data. */
  public boolean established;

  public String ja3;
  public String ja3s;
  public String ja4;

  /** SSLv2-format ClientHello (no fingerprints). */
  public boolean sslv2;

  public boolean serverHello;
  public boolean clientFinished;
  boolean logged;

  void reset() {
    tsNanos = 0;
    version = cipher = serverName = nextProtocol = null;
    established = false;
    ja3 = ja3s = ja4 = null;
    sslv2 = serverHello = clientFinished = logged = false;
  }
}
