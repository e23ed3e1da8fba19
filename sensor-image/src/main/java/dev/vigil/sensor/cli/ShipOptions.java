package dev.vigil.sensor.cli;

import dev.vigil.common.ship.ShipperConfig;
import dev.vigil.common.ship.TrustedCa;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The {@code --opensearch*}, {@code --index-prefix} and {@code --spool-dir} options, checked when
 * parsed: every problem is an {@link IllegalArgumentException} whose message names the option (the
 * CLI prints it and exits 2). The password and the {@code Authorization} value built from it never
 * appear in a message or in {@link #toString()}.
 */
final class ShipOptions {
  /** OpenSearch index names: lower case, no leading {@code -_+}, none of {@code \/*?"<>| ,#:}. */
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

  URI url;
  String user;
  Path passwordFile;
  Path caFile;
  String indexPrefix = "vigil";
  Path spoolDir;

  /** Put in front of every document id ({@code <sensorId>:uid@ts}), or null. */
  String sensorId;

  private static final Pattern SENSOR_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  static String parseSensorId(String v) {
    if (!SENSOR_ID.matcher(v).matches()) {
      throw new IllegalArgumentException("--sensor-id must be 1..128 of [A-Za-z0-9._-], got " + v);
    }
    return v;
  }

  static URI parseUrl(String v) {
    URI u;
    try {
      u = new URI(v);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--opensearch: not a URL: " + e.getMessage());
    }
    if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
      throw new IllegalArgumentException("--opensearch needs an http:// or https:// URL, got " + v);
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      throw new IllegalArgumentException("--opensearch: no host in " + v);
    }
    if (u.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "--opensearch: put credentials in --opensearch-user and --opensearch-password-file,"
              + " not in the URL");
    }
    if (u.getRawQuery() != null || u.getRawFragment() != null) {
      throw new IllegalArgumentException("--opensearch: no query or fragment allowed in the URL");
    }
    return u;
  }

  static String parsePrefix(String v) {
    if (!PREFIX.matcher(v).matches()) {
      throw new IllegalArgumentException(
          "--index-prefix must be 1..100 of [a-z0-9._-], starting with a letter or digit, got "
              + v);
    }
    return v;
  }

  /** Checks how the options combine (after parsing all of them). */
  void validate() {
    boolean security = user != null || passwordFile != null || caFile != null;
    if (url == null) {
      if (security) {
        throw new IllegalArgumentException(
            "--opensearch-user, --opensearch-password-file and --opensearch-ca need --opensearch");
      }
      return;
    }
    if ((user == null) != (passwordFile == null)) {
      throw new IllegalArgumentException(
          "--opensearch-user and --opensearch-password-file go together");
    }
    if (user != null && (user.isEmpty() || user.indexOf(':') >= 0)) {
      throw new IllegalArgumentException("--opensearch-user must be non-empty and without ':'");
    }
    if (caFile != null && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException("--opensearch-ca needs an https:// --opensearch URL");
    }
  }

  boolean enabled() {
    return url != null;
  }

  /**
   * The shipper settings: state (spool segments under {@code spool/}, {@code dead-letter.jsonl}) in
   * {@code --spool-dir}, default {@code <logs>/spool}. Reads the password and CA files.
   */
  ShipperConfig config(Path logs) {
    Path dir = spoolDir != null ? spoolDir : logs.resolve("spool");
    URI endpoint = url;
    return ShipperConfig.defaults(() -> endpoint, dir)
        .withIndexPrefix(indexPrefix)
        .withSecurity(authorization(), sslContext());
  }

  private String authorization() {
    if (user == null) {
      return null;
    }
    String password;
    try {
      password = Files.readString(passwordFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--opensearch-password-file: cannot read "
              + passwordFile
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
    // A file written by `echo` or a Kubernetes secret may end in a newline; it is not part of it.
    password = password.stripTrailing();
    if (password.isEmpty()) {
      throw new IllegalArgumentException(
          "--opensearch-password-file: " + passwordFile + " is empty");
    }
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private SSLContext sslContext() {
    if (caFile == null) {
      return null;
    }
    try {
      return TrustedCa.fromPem(Files.readString(caFile, StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--opensearch-ca: cannot read " + caFile + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "--opensearch-ca: " + caFile + " is not a PEM X.509 certificate: " + e.getMessage());
    }
  }

  /** Never prints the password or the header. */
  @Override
  public String toString() {
    return "ShipOptions[url="
        + url
        + ", user="
        + user
        + ", passwordFile="
        + passwordFile
        + ", ca="
        + caFile
        + ", indexPrefix="
        + indexPrefix
        + ", spoolDir="
        + spoolDir
        + ", sensorId="
        + sensorId
        + "]";
  }
}
