package dev.vigil.router;

import java.net.URI;
import java.util.Collection;

/** Keeps secrets out of log lines and exception messages. */
public final class Redact {
  private Redact() {}

  /**
   * {@code scheme://host[:port]/***}: user info, path and query are dropped because receivers put
   * tokens there (Slack's {@code /services/T../B../<token>}, tokens in query strings).
   */
  public static String url(URI u) {
    if (u == null) {
      return "null";
    }
    String host = u.getHost() == null ? "?" : u.getHost();
    String port = u.getPort() < 0 ? "" : ":" + u.getPort();
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "" : "/***";
    return u.getScheme() + "://" + host + port + path;
  }

  /** {@code text} with every occurrence of each non-blank secret replaced by {@code ***}. */
  public static String scrub(String text, Collection<String> secrets) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      if (s != null && s.length() >= 4) {
        out = out.replace(s, "***");
      }
    }
    return out;
  }
}
