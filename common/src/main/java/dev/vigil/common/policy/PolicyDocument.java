package dev.vigil.common.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.vigil.common.schema.Detectors;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One rendered DetectorPolicy, as the operator writes it to {@code <name>.json} ({@code
 * PolicyConfigMap}): {@code
 * {"schema":1,"name","namespace","generation","spec":{...},"trails":[...]}} with the spec's
 * sections read into checked values. Every section a consumer reads is typed here (mode, TLS
 * blocklists, Stratum, connect-back, silent miner, suppressions, trail indicators, and the
 * top-level {@code internetNodes} the operator renders from {@code
 * connectBack.internetNodeSelector}); the raw spec stays available as {@link #spec()}.
 *
 * <p>Defaults are those of the CRD ({@code @Default}), applied when a field is absent: a section
 * without {@code enabled} is enabled; Stratum and TLS entries and trails default to high,
 * connect-back to medium, silent miner to high. Unknown fields are ignored, so the operator can add
 * fields first; the exception is a suppression's {@code match}, where an unknown criterion would
 * silently widen what is suppressed, so it is an error.
 *
 * @param file the file name it was read from
 * @param shadow {@code spec.mode: shadow}: count what would alert, emit nothing
 * @param tls the TLS blocklists (empty lists when absent)
 * @param stratum the Stratum section, or null when the policy has none
 * @param connectBack the connect-back section, or null when the policy has none
 * @param silentMiner the silent-miner section, or null when the policy has none
 * @param internetNodes node names exempt from connect-back (empty when the file has none, e.g. from
 *     an older operator)
 */
public record PolicyDocument(
    String file,
    String name,
    String namespace,
    long generation,
    boolean shadow,
    TlsBlocklist tls,
    StratumRule stratum,
    ConnectBackRule connectBack,
    SilentMinerRule silentMiner,
    List<String> internetNodes,
    List<Suppression> suppressions,
    List<Indicator> trails,
    JsonNode spec) {

  /** Schema version of the rendered policy file this reader understands. */
  public static final int SCHEMA = 1;

  /**
   * Detector names as suppressions ({@code match.detector}) and counters spell them: the API's,
   * from {@link Detectors} (which also maps alert rule names onto them).
   */
  public static final String TLS_BLOCKLIST = Detectors.TLS_BLOCKLIST;

  public static final String STRATUM = Detectors.STRATUM;
  public static final String CONNECT_BACK = Detectors.CONNECT_BACK;
  public static final String TRAIL = Detectors.TRAIL;
  public static final String SILENT_MINER = Detectors.SILENT_MINER;

  /** {@code namespace/name@generation}: which policy, which version. */
  public String source() {
    return namespace + "/" + name + "@" + generation;
  }

  /** A blocklisted TLS fingerprint. {@code kind}: ja3, ja3s or ja4. */
  public record Fingerprint(String kind, String value, String name, int severity) {}

  public record TlsBlocklist(List<Fingerprint> ja3, List<Fingerprint> ja3s, List<Fingerprint> ja4) {
    public static final TlsBlocklist EMPTY = new TlsBlocklist(List.of(), List.of(), List.of());

    public boolean isEmpty() {
      return ja3.isEmpty() && ja3s.isEmpty() && ja4.isEmpty();
    }
  }

  public record StratumRule(boolean enabled, int severity) {}

  /**
   * @param internalNetworks empty when unset: the consumer's own default applies (the sensor: its
   *     SensorCluster's internalNetworks)
   */
  public record ConnectBackRule(
      boolean enabled, CidrSet internalNetworks, CidrSet allowedDestinations, int severity) {}

  /**
   * The silent-miner thresholds (host agent). A threshold absent from the file is null: the
   * consumer's own default applies.
   *
   * @param cpuPercentAbove percent of the job's cores, in (0, 100]
   * @param gpuUtilizationAbove percent, in (0, 100]
   * @param memoryPerCoreBelowMiB {@code memoryPerCoreBelow} (a quantity such as 128Mi) in MiB
   * @param gpuMemoryBelowMiB {@code gpuMemoryBelow} (a quantity) in MiB
   * @param sustainedForSeconds {@code sustainedFor} (a duration such as 20m) in seconds
   */
  public record SilentMinerRule(
      boolean enabled,
      Double cpuPercentAbove,
      Double gpuUtilizationAbove,
      Double memoryPerCoreBelowMiB,
      Double gpuMemoryBelowMiB,
      Double sustainedForSeconds,
      int severity) {}

  /**
   * One threat-intel indicator compiled by the operator from the policy's trails.
   *
   * @param type {@code ip}, {@code ip_port}, {@code cidr}, {@code domain} or {@code url}
   * @param info what it is (Maltrail's info: the trail file name, or the inline entry's info)
   * @param source where it came from ({@code inline} or {@code configmap/key})
   */
  public record Indicator(String type, String value, String info, String source, int severity) {}

  /**
   * Known-benign activity: every criterion that is set must match, and only until {@code expires}.
   *
   * @param index the position in {@code spec.suppressions} ({@code namespace/name#index} names it)
   */
  public record Suppression(
      String detector,
      Cidr source,
      Cidr destination,
      String fingerprint,
      String node,
      String reason,
      Instant expires,
      int index) {

    /**
     * Whether this suppression covers a finding at {@code now}. Addresses are 128-bit (see {@link
     * Cidr}); a criterion set here but unknown for the finding (null fingerprint or node, or no
     * address) does not match.
     *
     * @param hasAddresses whether the finding has source and destination addresses
     */
    public boolean matches(
        String detectorName,
        boolean hasAddresses,
        long srcHi,
        long srcLo,
        long dstHi,
        long dstLo,
        String fingerprintValue,
        String nodeName,
        Instant now) {
      if (!now.isBefore(expires)) {
        return false;
      }
      if (detector != null && !detector.equals(detectorName)) {
        return false;
      }
      if (source != null && (!hasAddresses || !source.contains(srcHi, srcLo))) {
        return false;
      }
      if (destination != null && (!hasAddresses || !destination.contains(dstHi, dstLo))) {
        return false;
      }
      if (fingerprint != null && !fingerprint.equalsIgnoreCase(String.valueOf(fingerprintValue))) {
        return false;
      }
      return node == null || node.equals(nodeName);
    }
  }

  private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern JA4 =
      Pattern.compile("[tqd][0-9a-z]{2}[di][0-9]{4}[0-9a-zA-Z]{2}_[0-9a-f]{12}_[0-9a-f]{12}");

  /**
   * Reads one document; every problem found is added to {@code problems} (without the file name)
   * and the result is null when there is any.
   */
  static PolicyDocument read(String file, JsonNode doc, List<String> problems) {
    int before = problems.size();
    if (doc == null || !doc.isObject()) {
      problems.add("not a JSON object");
      return null;
    }
    JsonNode schema = doc.path("schema");
    if (!schema.isInt() || schema.asInt() != SCHEMA) {
      problems.add(
          "schema must be "
              + SCHEMA
              + ", got "
              + (schema.isMissingNode() ? "none" : schema.toString())
              + " (a sensor or agent older than the operator?)");
      return null;
    }
    String name = doc.path("name").isTextual() ? doc.path("name").asText() : null;
    if (name == null || name.isEmpty()) {
      problems.add("name missing");
    }
    String namespace = doc.path("namespace").asText("");
    long generation = doc.path("generation").asLong(0);
    JsonNode spec = doc.path("spec");
    if (!spec.isObject()) {
      problems.add("spec missing or not an object");
      return null;
    }
    boolean shadow = false;
    JsonNode mode = spec.path("mode");
    if (!mode.isMissingNode() && !mode.isNull()) {
      if (mode.isTextual() && mode.asText().equals("shadow")) {
        shadow = true;
      } else if (!(mode.isTextual() && mode.asText().equals("enforce"))) {
        problems.add("spec.mode must be enforce or shadow, got " + mode);
      }
    }
    TlsBlocklist tls = tls(spec.path("tls"), problems);
    StratumRule stratum = null;
    JsonNode st = spec.path("stratum");
    if (present(st)) {
      if (!st.isObject()) {
        problems.add("spec.stratum not an object");
      } else {
        stratum =
            new StratumRule(
                enabled(st, "spec.stratum", problems),
                severity(st.path("severity"), Severity.HIGH, "spec.stratum.severity", problems));
      }
    }
    ConnectBackRule cb = null;
    JsonNode c = spec.path("connectBack");
    if (present(c)) {
      if (!c.isObject()) {
        problems.add("spec.connectBack not an object");
      } else {
        cb =
            new ConnectBackRule(
                enabled(c, "spec.connectBack", problems),
                cidrs(c.path("internalNetworks"), "spec.connectBack.internalNetworks", problems),
                cidrs(
                    c.path("allowedDestinations"),
                    "spec.connectBack.allowedDestinations",
                    problems),
                severity(
                    c.path("severity"), Severity.MEDIUM, "spec.connectBack.severity", problems));
      }
    }
    SilentMinerRule sm = null;
    JsonNode m = spec.path("silentMiner");
    if (present(m)) {
      if (!m.isObject()) {
        problems.add("spec.silentMiner not an object");
      } else {
        sm =
            new SilentMinerRule(
                enabled(m, "spec.silentMiner", problems),
                percent(m, "cpuPercentAbove", problems),
                percent(m, "gpuUtilizationAbove", problems),
                parsed(m, "memoryPerCoreBelow", Quantities::quantityMiB, problems),
                parsed(m, "gpuMemoryBelow", Quantities::quantityMiB, problems),
                parsed(m, "sustainedFor", Quantities::durationSeconds, problems),
                severity(m.path("severity"), Severity.HIGH, "spec.silentMiner.severity", problems));
      }
    }
    List<String> internetNodes = internetNodes(doc.path("internetNodes"), problems);
    List<Suppression> suppressions = readSuppressions(spec.path("suppressions"), problems);
    List<Indicator> trails = trails(doc.path("trails"), problems);
    if (problems.size() > before) {
      return null;
    }
    return new PolicyDocument(
        file,
        name,
        namespace,
        generation,
        shadow,
        tls,
        stratum,
        cb,
        sm,
        internetNodes,
        suppressions,
        trails,
        spec);
  }

  private static Double percent(JsonNode section, String key, List<String> problems) {
    JsonNode n = section.path(key);
    if (!present(n)) {
      return null;
    }
    if (!n.isNumber() || n.asDouble() <= 0 || n.asDouble() > 100) {
      problems.add("spec.silentMiner." + key + " must be a number in (0, 100], got " + n);
      return null;
    }
    return n.asDouble();
  }

  private static Double parsed(
      JsonNode section,
      String key,
      java.util.function.ToDoubleFunction<String> parser,
      List<String> problems) {
    JsonNode n = section.path(key);
    if (!present(n)) {
      return null;
    }
    try {
      if (!n.isTextual() && !n.isNumber()) {
        throw new IllegalArgumentException("not a string: " + n);
      }
      return parser.applyAsDouble(n.asText());
    } catch (IllegalArgumentException e) {
      problems.add("spec.silentMiner." + key + ": " + e.getMessage());
      return null;
    }
  }

  private static List<String> internetNodes(JsonNode n, List<String> problems) {
    if (!present(n)) {
      return List.of();
    }
    if (!n.isArray()) {
      problems.add("internetNodes must be a list of node names");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual() || e.asText().isEmpty()) {
        problems.add("internetNodes: not a node name: " + e);
      } else {
        out.add(e.asText());
      }
    }
    return List.copyOf(out);
  }

  private static boolean present(JsonNode n) {
    return !n.isMissingNode() && !n.isNull();
  }

  private static boolean enabled(JsonNode section, String where, List<String> problems) {
    JsonNode n = section.path("enabled");
    if (!present(n)) {
      return true;
    }
    if (!n.isBoolean()) {
      problems.add(where + ".enabled must be true or false, got " + n);
      return false;
    }
    return n.asBoolean();
  }

  static int severity(JsonNode n, int otherwise, String where, List<String> problems) {
    if (!present(n)) {
      return otherwise;
    }
    try {
      if (!n.isTextual()) {
        throw new IllegalArgumentException(
            "severity must be one of info, low, medium, high, critical, got " + n);
      }
      return Severity.parse(n.asText());
    } catch (IllegalArgumentException e) {
      problems.add(where + ": " + e.getMessage());
      return otherwise;
    }
  }

  private static CidrSet cidrs(JsonNode n, String where, List<String> problems) {
    if (!present(n)) {
      return CidrSet.empty();
    }
    if (!n.isArray()) {
      problems.add(where + " must be a list of CIDRs");
      return CidrSet.empty();
    }
    List<Cidr> out = new ArrayList<>();
    for (JsonNode e : n) {
      Cidr cidr = cidr(e, where, problems);
      if (cidr != null) {
        out.add(cidr);
      }
    }
    return CidrSet.of(out);
  }

  private static Cidr cidr(JsonNode e, String where, List<String> problems) {
    if (!e.isTextual()) {
      problems.add(where + ": not a string: " + e);
      return null;
    }
    try {
      return Cidr.parse(e.asText());
    } catch (IllegalArgumentException ex) {
      problems.add(where + ": " + ex.getMessage());
      return null;
    }
  }

  private static TlsBlocklist tls(JsonNode n, List<String> problems) {
    if (!present(n)) {
      return TlsBlocklist.EMPTY;
    }
    if (!n.isObject()) {
      problems.add("spec.tls not an object");
      return TlsBlocklist.EMPTY;
    }
    return new TlsBlocklist(
        fingerprints(n.path("ja3"), "ja3", MD5, problems),
        fingerprints(n.path("ja3s"), "ja3s", MD5, problems),
        fingerprints(n.path("ja4"), "ja4", JA4, problems));
  }

  private static List<Fingerprint> fingerprints(
      JsonNode n, String kind, Pattern shape, List<String> problems) {
    if (!present(n)) {
      return List.of();
    }
    String where = "spec.tls." + kind;
    if (!n.isArray()) {
      problems.add(where + " must be a list");
      return List.of();
    }
    List<Fingerprint> out = new ArrayList<>();
    int i = 0;
    for (JsonNode e : n) {
      String at = where + "[" + i++ + "]";
      String value = e.path("value").isTextual() ? e.path("value").asText() : null;
      if (value == null || !shape.matcher(value).matches()) {
        problems.add(
            at
                + ".value: "
                + (kind.equals("ja4")
                    ? "not a JA4 fingerprint like t13d1516h2_8daaf6152771_b186095e22b6"
                    : "not 32 lowercase hex characters (an MD5 digest)")
                + ", got "
                + e.path("value"));
        continue;
      }
      String name = e.path("name").asText(value);
      out.add(
          new Fingerprint(
              kind, value, name, severity(e.path("severity"), Severity.HIGH, at, problems)));
    }
    return List.copyOf(out);
  }

  private static final List<String> MATCH_FIELDS =
      List.of("detector", "source", "destination", "fingerprint", "node");

  /**
   * Reads a {@code spec.suppressions} list: the valid entries (each with its index in the list);
   * every problem, named {@code spec.suppressions[i]...}, goes to {@code problems}. A {@code match}
   * with an unknown or empty criterion is a problem (ignoring it would widen the suppression), and
   * so is a missing {@code reason} or {@code expires} (both required by the CRD).
   */
  public static List<Suppression> readSuppressions(JsonNode n, List<String> problems) {
    if (!present(n)) {
      return List.of();
    }
    if (!n.isArray()) {
      problems.add("spec.suppressions must be a list");
      return List.of();
    }
    List<Suppression> out = new ArrayList<>();
    int i = 0;
    for (JsonNode e : n) {
      int index = i++;
      String at = "spec.suppressions[" + index + "]";
      JsonNode m = e.path("match");
      if (!m.isObject()) {
        problems.add(at + ".match missing");
        continue;
      }
      int before = problems.size();
      for (var f : m.properties()) {
        if (!MATCH_FIELDS.contains(f.getKey())) {
          problems.add(at + ".match." + f.getKey() + ": unknown field");
        } else if (!f.getValue().isNull()
            && (!f.getValue().isTextual() || f.getValue().asText().isEmpty())) {
          problems.add(at + ".match." + f.getKey() + " must be a non-empty string");
        }
      }
      String detector = text(m.path("detector"));
      Cidr source =
          present(m.path("source")) && m.path("source").isTextual()
              ? cidr(m.path("source"), at + ".match.source", problems)
              : null;
      Cidr destination =
          present(m.path("destination")) && m.path("destination").isTextual()
              ? cidr(m.path("destination"), at + ".match.destination", problems)
              : null;
      String fingerprint = text(m.path("fingerprint"));
      String node = text(m.path("node"));
      if (detector == null
          && source == null
          && destination == null
          && fingerprint == null
          && node == null
          && problems.size() == before) {
        problems.add(
            at + ".match needs at least one of detector, source, destination, fingerprint, node");
      }
      String reason = text(e.path("reason"));
      if (reason == null || reason.isBlank()) {
        problems.add(at + ".reason missing");
      }
      Instant expires = null;
      String ex = text(e.path("expires"));
      if (ex == null) {
        problems.add(at + ".expires missing (every suppression expires)");
      } else {
        try {
          expires = OffsetDateTime.parse(ex).toInstant();
        } catch (DateTimeParseException pe) {
          problems.add(at + ".expires: not an RFC 3339 time such as 2026-12-31T23:59:59Z: " + ex);
        }
      }
      if (problems.size() == before) {
        out.add(
            new Suppression(
                detector,
                source,
                destination,
                fingerprint == null ? null : fingerprint.toLowerCase(Locale.ROOT),
                node,
                reason,
                expires,
                index));
      }
    }
    return List.copyOf(out);
  }

  private static List<Indicator> trails(JsonNode n, List<String> problems) {
    if (!present(n)) {
      return List.of();
    }
    if (!n.isArray()) {
      problems.add("trails must be a list");
      return List.of();
    }
    List<Indicator> out = new ArrayList<>();
    int i = 0;
    for (JsonNode e : n) {
      String at = "trails[" + i++ + "]";
      String type = text(e.path("type"));
      String value = text(e.path("value"));
      if (type == null || value == null) {
        problems.add(at + ": type and value are required");
        continue;
      }
      int before = problems.size();
      switch (type) {
        case "ip", "cidr" -> cidr(e.path("value"), at + ".value", problems);
        case "ip_port" -> {
          int colon = value.lastIndexOf(':');
          if (colon < 0 || !value.substring(colon + 1).matches("[0-9]{1,5}")) {
            problems.add(at + ".value: not IP:port: " + value);
          } else {
            cidr(TextNode.valueOf(value.substring(0, colon)), at + ".value", problems);
          }
        }
        case "domain" -> {
          if (value.isEmpty() || value.indexOf('/') >= 0 || value.indexOf(':') >= 0) {
            problems.add(at + ".value: not a domain: " + value);
          }
        }
        case "url" -> {
          if (!value.contains("://")) {
            problems.add(at + ".value: not an absolute URL: " + value);
          }
        }
        default -> problems.add(at + ".type must be ip, ip_port, cidr, domain or url, got " + type);
      }
      if (problems.size() > before) {
        continue;
      }
      out.add(
          new Indicator(
              type,
              type.equals("domain") ? value.toLowerCase(Locale.ROOT) : value,
              text(e.path("info")),
              text(e.path("source")),
              severity(e.path("severity"), Severity.HIGH, at + ".severity", problems)));
    }
    return List.copyOf(out);
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }
}
