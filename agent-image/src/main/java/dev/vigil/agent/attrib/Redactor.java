package dev.vigil.agent.attrib;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes secrets from command lines before they reach a log line or an alert: values of
 * password/token/secret/key options ({@code --password=x}, {@code --token x}, {@code
 * DB_PASSWORD=x}) and the password part of URLs ({@code scheme://user:pass@host}).
 */
public final class Redactor {
  public static final String MASK = "***";
  private static final String SECRET_WORD =
      "(?:password|passwd|pass|pwd|token|secret|api[-_]?key|access[-_]?key|auth)";
  private static final Pattern FLAG_ALONE = Pattern.compile("(?i)--?[a-z0-9_-]*" + SECRET_WORD);
  private static final Pattern FLAG_EQUALS =
      Pattern.compile("(?i)^(--?[a-z0-9_-]*" + SECRET_WORD + "[a-z0-9_-]*=).+");
  private static final Pattern ENV_ASSIGN =
      Pattern.compile("(?i)^([a-z0-9_]*" + SECRET_WORD + "[a-z0-9_]*=).+");
  private static final Pattern URL_CREDENTIALS =
      Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^/:@\\s]+:)[^@/\\s]+@");

  private Redactor() {}

  public static List<String> args(List<String> args) {
    List<String> out = new ArrayList<>(args.size());
    boolean maskNext = false;
    for (String a : args) {
      if (maskNext) {
        out.add(MASK);
        maskNext = false;
        continue;
      }
      if (FLAG_ALONE.matcher(a).matches()) {
        out.add(a);
        maskNext = true;
        continue;
      }
      String r = FLAG_EQUALS.matcher(a).replaceFirst("$1" + MASK);
      r = ENV_ASSIGN.matcher(r).replaceFirst("$1" + MASK);
      r = URL_CREDENTIALS.matcher(r).replaceAll("$1" + MASK + "@");
      out.add(r);
    }
    return out;
  }
}
