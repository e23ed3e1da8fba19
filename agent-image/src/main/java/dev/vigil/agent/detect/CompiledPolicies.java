package dev.vigil.agent.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The operator's compiled DetectorPolicy files ({@code --policy-dir}): every {@code *.json} in one
 * directory, each {@code {"schema":1,"name","namespace","generation","spec":{...},"trails":[...]}},
 * mapped onto the agent's {@link Policy} and merged into one.
 *
 * <p>Mapping: {@code spec.connectBack.enabled/internalNetworks/allowedDestinations/severity} →
 * {@code connectBack.enabled/internalNetworks/allowlist} and the ConnectBack severity; {@code
 * spec.silentMiner.cpuPercentAbove} (percent of the job's cores) → {@code miner.cpuThreshold}
 * (fraction), {@code memoryPerCoreBelow} and {@code gpuMemoryBelow} (Kubernetes quantities, e.g.
 * 128Mi, 1Gi, 500M) → MiB, {@code gpuUtilizationAbove} → percent, {@code sustainedFor} (e.g. 20m,
 * 1h30m, 90s) → seconds, {@code severity} → the SilentMiner severity; {@code spec.mode}: shadow.
 * {@code spec.suppressions} become {@link Suppressions}; the file's top-level {@code internetNodes}
 * (the node names the operator found matching {@code spec.connectBack.internetNodeSelector}) →
 * {@code connectBack.internetNodes}. Every other spec field (tls, stratum, trails) is for the
 * sensor and is ignored.
 *
 * <p>Merge rule (deterministic: files in name order, the result does not depend on it):
 *
 * <ul>
 *   <li>a detector is enabled when any file that has its section enables it (a section without
 *       {@code enabled} enables); with no file having the section the agent default applies;
 *   <li>internal networks and allowed destinations: the union, sorted, over the files enabling
 *       connect-back (no file listing internal networks → the agent's defaults);
 *   <li>silent-miner thresholds: the most sensitive over the files enabling it — lowest CPU and GPU
 *       utilisation, highest memory-per-core and GPU memory bounds, shortest duration;
 *   <li>internet nodes (no connect-back there): the intersection over the files enabling
 *       connect-back — a node is exempt only when every such policy exempts it;
 *   <li>suppressions: all of every file, each named {@code namespace/name#index};
 *   <li>severity: the highest over the files enabling the detector;
 *   <li>mode: shadow only when every file is shadow; one enforcing file makes the whole enforcing.
 * </ul>
 *
 * An empty directory yields the agent's defaults. The merged policy is validated as a whole; any
 * malformed file fails the whole load (the caller keeps its previous policy).
 */
public final class CompiledPolicies {

  public static final int SCHEMA = 1;

  /** Elastic detection-rule scale used for {@code event.severity}. */
  public static final Map<String, Integer> SEVERITY =
      Map.of("info", 1, "low", 21, "medium", 47, "high", 73, "critical", 99);

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A loaded directory: the merged agent policy, whether it only shadows, {@code event.severity}
   * per note it overrides, and the policies it came from ({@code namespace/name@generation}).
   */
  public record Loaded(
      Policy policy,
      boolean shadow,
      Map<String, Integer> severities,
      List<String> sources,
      List<Suppressions.Suppression> suppressions) {
    public Loaded(
        Policy policy, boolean shadow, Map<String, Integer> severities, List<String> sources) {
      this(policy, shadow, severities, sources, List.of());
    }
  }

  private CompiledPolicies() {}

  /**
   * The {@code *.json} files of {@code dir} in name order (symlinks followed, dotfiles skipped).
   */
  public static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(
              p -> {
                String n = p.getFileName().toString();
                return !n.startsWith(".")
                    && n.toLowerCase(Locale.ROOT).endsWith(".json")
                    && Files.isRegularFile(p);
              })
          .sorted()
          .toList();
    }
  }

  /**
   * The content of every {@code *.json} file of {@code dir}, by name; a file that disappears while
   * being read (a ConfigMap update in progress) is left out, the next poll sees the new state.
   */
  public static Map<String, byte[]> snapshot(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": not a directory");
    }
    Map<String, byte[]> out = new TreeMap<>();
    for (Path f : files(dir)) {
      try {
        out.put(f.getFileName().toString(), Files.readAllBytes(f));
      } catch (java.nio.file.NoSuchFileException gone) {
        // removed between listing and reading
      }
    }
    return out;
  }

  /** SHA-256 over every file's name and content: changes when any file changes/appears/goes. */
  public static String fingerprint(Map<String, byte[]> snapshot) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> e : snapshot.entrySet()) {
        md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(Long.toString(e.getValue().length).getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(e.getValue());
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads, maps, merges and validates every file of {@code dir}. */
  public static Loaded load(Path dir) throws IOException {
    return load(dir, snapshot(dir));
  }

  /** Maps, merges and validates a {@link #snapshot(Path)} of {@code dir}. */
  public static Loaded load(Path dir, Map<String, byte[]> snapshot) throws IOException {
    List<String> problems = new ArrayList<>();
    Merge m = new Merge();
    for (Map.Entry<String, byte[]> f : snapshot.entrySet()) {
      JsonNode doc;
      try {
        doc = JSON.readTree(f.getValue());
      } catch (com.fasterxml.jackson.core.JacksonException e) {
        problems.add(f.getKey() + ": " + e.getOriginalMessage());
        continue;
      }
      int before = problems.size();
      List<String> own = new ArrayList<>();
      m.add(doc, own);
      for (String p : own) {
        problems.add(f.getKey() + ": " + p);
      }
      if (problems.size() == before && doc != null) {
        m.sources.add(
            doc.path("namespace").asText("")
                + "/"
                + doc.path("name").asText("")
                + "@"
                + doc.path("generation").asText(""));
      }
    }
    if (!problems.isEmpty()) {
      throw new IOException(dir + ": " + String.join("; ", problems));
    }
    Loaded l = m.result();
    List<String> invalid = l.policy().validate();
    if (!invalid.isEmpty()) {
      throw new IOException(dir + " (merged): " + String.join("; ", invalid));
    }
    return l;
  }

  private static final class Merge {
    final List<String> sources = new ArrayList<>();
    int files;
    int shadowFiles;
    Boolean cbEnabled;
    final TreeSet<String> internal = new TreeSet<>();
    final TreeSet<String> allow = new TreeSet<>();
    Integer cbSeverity;
    TreeSet<String> internetNodes; // null until a file enabling connect-back is seen
    final List<Suppressions.Suppression> suppressions = new ArrayList<>();
    Boolean mEnabled;
    Double cpu;
    Double memMiB;
    Double gpuUtil;
    Double gpuMemMiB;
    Double sustain;
    Integer mSeverity;

    void add(JsonNode doc, List<String> problems) {
      if (doc == null || !doc.isObject()) {
        problems.add("not a JSON object");
        return;
      }
      if (!doc.path("schema").isInt() || doc.path("schema").asInt() != SCHEMA) {
        problems.add("schema must be " + SCHEMA + ", got " + doc.path("schema"));
        return;
      }
      if (!doc.path("name").isTextual()) {
        problems.add("name missing");
      }
      JsonNode spec = doc.path("spec");
      if (!spec.isObject()) {
        problems.add("spec missing or not an object");
        return;
      }
      boolean shadow = false;
      if (!spec.path("mode").isMissingNode() && !spec.path("mode").isNull()) {
        String mode = spec.path("mode").asText();
        if (mode.equals("shadow")) {
          shadow = true;
        } else if (!mode.equals("enforce")) {
          problems.add("spec.mode must be enforce or shadow, got " + spec.path("mode"));
        }
      }
      JsonNode cb = spec.path("connectBack");
      boolean cbOn = false;
      List<String> cbInternal = List.of();
      List<String> cbAllow = List.of();
      Integer cbSev = null;
      if (!cb.isMissingNode() && !cb.isNull()) {
        if (!cb.isObject()) {
          problems.add("spec.connectBack not an object");
        } else {
          cbOn = bool(cb, "spec.connectBack.enabled", problems);
          cbInternal = strings(cb, "internalNetworks", "spec.connectBack", problems);
          cbAllow = strings(cb, "allowedDestinations", "spec.connectBack", problems);
          cbSev = severity(cb, "spec.connectBack.severity", problems);
        }
      }
      List<String> cbInternetNodes = List.of();
      JsonNode nodes = doc.path("internetNodes");
      if (!nodes.isMissingNode() && !nodes.isNull()) {
        if (!nodes.isArray()) {
          problems.add("internetNodes must be a list of node names");
        } else {
          List<String> names = new ArrayList<>();
          for (JsonNode n : nodes) {
            if (!n.isTextual() || n.asText().isEmpty()) {
              problems.add("internetNodes: not a node name: " + n);
            } else {
              names.add(n.asText());
            }
          }
          cbInternetNodes = names;
        }
      }
      List<Suppressions.Suppression> sup =
          Suppressions.parse(
              spec.path("suppressions"),
              doc.path("namespace").asText("") + "/" + doc.path("name").asText(""),
              problems);
      JsonNode sm = spec.path("silentMiner");
      boolean smOn = false;
      Double smCpu = null;
      Double smMem = null;
      Double smGpu = null;
      Double smGpuMem = null;
      Double smSustain = null;
      Integer smSev = null;
      if (!sm.isMissingNode() && !sm.isNull()) {
        if (!sm.isObject()) {
          problems.add("spec.silentMiner not an object");
        } else {
          smOn = bool(sm, "spec.silentMiner.enabled", problems);
          smCpu = number(sm, "cpuPercentAbove", problems);
          smGpu = number(sm, "gpuUtilizationAbove", problems);
          smMem = text(sm, "memoryPerCoreBelow", CompiledPolicies::quantityMiB, problems);
          smGpuMem = text(sm, "gpuMemoryBelow", CompiledPolicies::quantityMiB, problems);
          smSustain = text(sm, "sustainedFor", CompiledPolicies::durationSeconds, problems);
          smSev = severity(sm, "spec.silentMiner.severity", problems);
        }
      }
      if (!problems.isEmpty()) {
        return;
      }
      files++;
      if (shadow) {
        shadowFiles++;
      }
      if (!cb.isMissingNode() && !cb.isNull()) {
        cbEnabled = (cbEnabled != null && cbEnabled) || cbOn;
        if (cbOn) {
          internal.addAll(cbInternal);
          allow.addAll(cbAllow);
          cbSeverity = max(cbSeverity, cbSev);
          // exempt only where every policy enabling connect-back exempts the node
          if (internetNodes == null) {
            internetNodes = new TreeSet<>(cbInternetNodes);
          } else {
            internetNodes.retainAll(cbInternetNodes);
          }
        }
      }
      suppressions.addAll(sup);
      if (!sm.isMissingNode() && !sm.isNull()) {
        mEnabled = (mEnabled != null && mEnabled) || smOn;
        if (smOn) {
          cpu = min(cpu, smCpu == null ? null : smCpu / 100.0);
          gpuUtil = min(gpuUtil, smGpu);
          memMiB = maxD(memMiB, smMem);
          gpuMemMiB = maxD(gpuMemMiB, smGpuMem);
          sustain = min(sustain, smSustain);
          mSeverity = max(mSeverity, smSev);
        }
      }
    }

    Loaded result() {
      Policy p =
          new Policy(
                  new Policy.ConnectBack(
                      cbEnabled,
                      internal.isEmpty() ? null : List.copyOf(internal),
                      List.copyOf(allow),
                      internetNodes == null ? List.of() : List.copyOf(internetNodes)),
                  new Policy.Miner(mEnabled, cpu, sustain, memMiB, null, null, gpuUtil, gpuMemMiB))
              .resolved();
      Map<String, Integer> sev = new LinkedHashMap<>();
      if (cbSeverity != null) {
        sev.put(Alert.CONNECT_BACK, cbSeverity);
      }
      if (mSeverity != null) {
        sev.put(Alert.SILENT_MINER, mSeverity);
      }
      return new Loaded(
          p,
          files > 0 && shadowFiles == files,
          Map.copyOf(sev),
          List.copyOf(sources),
          List.copyOf(suppressions));
    }
  }

  private interface Parser {
    double parse(String s);
  }

  private static boolean bool(JsonNode section, String field, List<String> problems) {
    JsonNode n = section.path("enabled");
    if (n.isMissingNode() || n.isNull()) {
      return true;
    }
    if (!n.isBoolean()) {
      problems.add(field + " must be true or false, got " + n);
      return false;
    }
    return n.asBoolean();
  }

  private static List<String> strings(
      JsonNode section, String key, String prefix, List<String> problems) {
    JsonNode n = section.path(key);
    if (n.isMissingNode() || n.isNull()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (!n.isArray()) {
      problems.add(prefix + "." + key + " must be a list");
      return out;
    }
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        problems.add(prefix + "." + key + ": not a string: " + e);
        continue;
      }
      try {
        Cidr.parse(e.asText());
        out.add(e.asText());
      } catch (RuntimeException ex) {
        problems.add(prefix + "." + key + ": " + ex.getMessage());
      }
    }
    return out;
  }

  private static Double number(JsonNode section, String key, List<String> problems) {
    JsonNode n = section.path(key);
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (!n.isNumber() || n.asDouble() <= 0 || n.asDouble() > 100) {
      problems.add("spec.silentMiner." + key + " must be a number in (0, 100], got " + n);
      return null;
    }
    return n.asDouble();
  }

  private static Double text(JsonNode section, String key, Parser parser, List<String> problems) {
    JsonNode n = section.path(key);
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    try {
      if (!n.isTextual() && !n.isNumber()) {
        throw new IllegalArgumentException("not a string: " + n);
      }
      return parser.parse(n.asText());
    } catch (IllegalArgumentException e) {
      problems.add("spec.silentMiner." + key + ": " + e.getMessage());
      return null;
    }
  }

  private static Integer severity(JsonNode section, String field, List<String> problems) {
    JsonNode n = section.path("severity");
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    Integer v = n.isTextual() ? SEVERITY.get(n.asText()) : null;
    if (v == null) {
      problems.add(field + " must be one of info, low, medium, high, critical, got " + n);
    }
    return v;
  }

  private static Double min(Double a, Double b) {
    return a == null ? b : b == null ? a : Math.min(a, b);
  }

  private static Double maxD(Double a, Double b) {
    return a == null ? b : b == null ? a : Math.max(a, b);
  }

  private static Integer max(Integer a, Integer b) {
    return a == null ? b : b == null ? a : Math.max(a, b);
  }

  private static final Pattern QUANTITY =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?");
  private static final Map<String, Double> SUFFIX =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry("", 1.0),
              Map.entry("m", 1e-3),
              Map.entry("k", 1e3),
              Map.entry("M", 1e6),
              Map.entry("G", 1e9),
              Map.entry("T", 1e12),
              Map.entry("P", 1e15),
              Map.entry("E", 1e18),
              Map.entry("Ki", 1024.0),
              Map.entry("Mi", 1024.0 * 1024),
              Map.entry("Gi", 1024.0 * 1024 * 1024),
              Map.entry("Ti", Math.pow(1024, 4)),
              Map.entry("Pi", Math.pow(1024, 5)),
              Map.entry("Ei", Math.pow(1024, 6))));

  /** A Kubernetes quantity of bytes (128Mi, 1Gi, 500M, 1073741824) in MiB; must be > 0. */
  public static double quantityMiB(String s) {
    Matcher m = QUANTITY.matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("bad quantity " + s + " (e.g. 128Mi, 1Gi)");
    }
    double bytes =
        Double.parseDouble(m.group(1)) * SUFFIX.get(m.group(2) == null ? "" : m.group(2));
    if (bytes <= 0) {
      throw new IllegalArgumentException("quantity must be > 0: " + s);
    }
    return bytes / (1024.0 * 1024.0);
  }

  private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|h|m|s)");

  /** A Go-style duration (20m, 1h30m, 90s, 500ms) in seconds; must be > 0. */
  public static double durationSeconds(String s) {
    String t = s.trim();
    Matcher m = DURATION_PART.matcher(t);
    double total = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double v = Double.parseDouble(m.group(1));
      total +=
          switch (m.group(2)) {
            case "h" -> v * 3600;
            case "m" -> v * 60;
            case "s" -> v;
            default -> v / 1000;
          };
      end = m.end();
    }
    if (t.isEmpty() || end != t.length()) {
      throw new IllegalArgumentException("bad duration " + s + " (e.g. 20m, 1h30m, 90s)");
    }
    if (total <= 0) {
      throw new IllegalArgumentException("duration must be > 0: " + s);
    }
    return total;
  }
}
