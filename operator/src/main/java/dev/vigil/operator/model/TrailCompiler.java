package dev.vigil.operator.model;

import dev.vigil.api.v1alpha1.spec.DetectorPolicySpec;
import dev.vigil.api.v1alpha1.spec.TrailConfigMap;
import dev.vigil.api.v1alpha1.spec.TrailEntry;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Resolves a DetectorPolicy's threat-intel trails into one list of indicators: inline entries plus
 * every line of the referenced ConfigMaps in Maltrail's static trail format (one IP, IP:port, CIDR,
 * domain or URL per line; {@code #} starts a comment; the file name is the trail's info). A line
 * that is none of these is a problem naming ConfigMap, key and line number — never silently
 * dropped.
 */
public final class TrailCompiler {

  /** One indicator as sensors and agents match it. */
  public record Indicator(String type, String value, String info, String source, String severity) {}

  /** What kept a trail from compiling: {@code reason} is TrailMissing or TrailMalformed. */
  public record Problem(String reason, String message) {}

  public record Result(List<Indicator> indicators, List<Problem> problems, long rejectedLines) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private static final Pattern DOMAIN =
      Pattern.compile(
          "^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$");
  private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

  private TrailCompiler() {}

  /**
   * @param configMapData the data of a ConfigMap in the policy's namespace, empty when it does not
   *     exist
   */
  public static Result compile(
      DetectorPolicySpec spec, Function<String, Optional<Map<String, String>>> configMapData) {
    List<Indicator> out = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    long rejected = 0;
    if (spec.getTrails() == null) {
      return new Result(out, problems, 0);
    }
    if (spec.getTrails().getInline() != null) {
      for (TrailEntry e : spec.getTrails().getInline()) {
        out.add(
            new Indicator(
                SensorConfig.enumValue(e.getType()),
                e.getValue(),
                e.getInfo(),
                "inline",
                SensorConfig.enumValue(e.getSeverity())));
      }
    }
    if (spec.getTrails().getConfigMaps() != null) {
      for (TrailConfigMap ref : spec.getTrails().getConfigMaps()) {
        Optional<Map<String, String>> data = configMapData.apply(ref.getName());
        if (data.isEmpty()) {
          problems.add(
              new Problem(
                  "TrailMissing",
                  "trail ConfigMap '" + ref.getName() + "' does not exist in this namespace"));
          continue;
        }
        Map<String, String> files = new TreeMap<>(data.get());
        if (ref.getKey() != null) {
          if (!files.containsKey(ref.getKey())) {
            problems.add(
                new Problem(
                    "TrailMissing",
                    "trail ConfigMap '" + ref.getName() + "' has no key '" + ref.getKey() + "'"));
            continue;
          }
          files = Map.of(ref.getKey(), files.get(ref.getKey()));
        }
        String severity = SensorConfig.enumValue(ref.getSeverity());
        for (var file : files.entrySet()) {
          String info = file.getKey().replaceFirst("\\.txt$", "");
          String[] lines = file.getValue().split("\n", -1);
          for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int hash = line.indexOf('#');
            if (hash >= 0) {
              line = line.substring(0, hash).strip();
            }
            if (line.isEmpty()) {
              continue;
            }
            Optional<String> type = classify(line);
            if (type.isEmpty()) {
              rejected++;
              if (problems.stream().noneMatch(p -> p.reason().equals("TrailMalformed"))) {
                problems.add(
                    new Problem(
                        "TrailMalformed",
                        "trail ConfigMap '"
                            + ref.getName()
                            + "' key '"
                            + file.getKey()
                            + "' line "
                            + (i + 1)
                            + ": '"
                            + abbreviate(line)
                            + "' is not an IP, IP:port, CIDR, domain or URL"));
              }
              continue;
            }
            out.add(
                new Indicator(
                    type.get(),
                    type.get().equals("domain") ? line.toLowerCase(Locale.ROOT) : line,
                    info,
                    ref.getName() + "/" + file.getKey(),
                    severity));
          }
        }
      }
    }
    return new Result(out, problems, rejected);
  }

  /** The Maltrail type of one trail line, or empty when it is none. */
  public static Optional<String> classify(String line) {
    if (line.contains("://")) {
      try {
        URI u = URI.create(line);
        return u.getHost() != null ? Optional.of("url") : Optional.empty();
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    int slash = line.indexOf('/');
    if (slash > 0) {
      String prefix = line.substring(slash + 1);
      Optional<InetAddress> a = literal(line.substring(0, slash));
      if (a.isPresent() && prefix.matches("\\d{1,3}")) {
        int bits = Integer.parseInt(prefix);
        return bits <= a.get().getAddress().length * 8 ? Optional.of("cidr") : Optional.empty();
      }
      return Optional.empty();
    }
    if (literal(line).isPresent()) {
      return Optional.of("ip");
    }
    int colon = line.lastIndexOf(':');
    if (colon > 0
        && line.indexOf(':') == colon
        && IPV4.matcher(line.substring(0, colon)).matches()) {
      String port = line.substring(colon + 1);
      if (port.matches("\\d{1,5}")
          && Integer.parseInt(port) <= 65535
          && literal(line.substring(0, colon)).isPresent()) {
        return Optional.of("ip_port");
      }
      return Optional.empty();
    }
    return DOMAIN.matcher(line.toLowerCase(Locale.ROOT)).matches()
        ? Optional.of("domain")
        : Optional.empty();
  }

  private static Optional<InetAddress> literal(String s) {
    if (s.isEmpty() || !(s.indexOf(':') >= 0 || IPV4.matcher(s).matches())) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.ofLiteral(s));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
