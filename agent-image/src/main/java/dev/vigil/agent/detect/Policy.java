package dev.vigil.agent.detect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.common.policy.Cidr;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The agent's detection policy, read from JSON or YAML ({@code --policy}); every field is optional
 * and defaults to the safe values below. Validated as a whole before it replaces the running one.
 *
 * <pre>
 * connectBack:
 *   enabled: true
 *   internalNetworks: [10.0.0.0/8, ...]   # default: RFC 1918, loopback, link-local, CGNAT, ULA
 *   allowlist: [203.0.113.10/32]           # destinations that are fine although not internal
 *   internetNodes: [login01, dtn01]        # nodes allowed to reach the internet: no connect-back
 * miner:
 *   enabled: true
 *   cpuThreshold: 0.9          # fraction of the job's cores
 *   sustainSeconds: 60
 *   maxMemoryPerCoreMiB: 256   # at or above this the job is "memory heavy", not a miner
 *   exePatterns: ["(?i)^xmrig"]
 *   cmdlinePatterns: ["stratum\\+(tcp|ssl|tls)://"]
 *   gpuUtilThresholdPercent: 90  # GPU rule: this busy for sustainSeconds ...
 *   maxGpuMemoryMiB: 1024        # ... while holding less GPU memory than this
 * </pre>
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record Policy(ConnectBack connectBack, Miner miner) {

  public static final List<String> DEFAULT_INTERNAL =
      List.of(
          "10.0.0.0/8",
          "172.16.0.0/12",
          "192.168.0.0/16",
          "127.0.0.0/8",
          "169.254.0.0/16",
          "100.64.0.0/10",
          "0.0.0.0/32",
          "::1/128",
          "::/128",
          "fe80::/10",
          "fc00::/7");

  public static final List<String> DEFAULT_MINER_EXE =
      List.of("(?i)^(xmrig|xmr-stak|cpuminer|minerd|ccminer|ethminer|nbminer|t-rex|lolminer)");

  public static final List<String> DEFAULT_MINER_CMDLINE =
      List.of(
          "(?i)stratum\\+(tcp|ssl|tls)://",
          "(?i)--donate-level",
          "(?i)--coin[= ](monero|xmr)",
          "(?i)(^| )-a (rx/0|randomx|cryptonight)",
          "(?i)--randomx");

  @JsonIgnoreProperties(ignoreUnknown = false)
  public record ConnectBack(
      Boolean enabled,
      List<String> internalNetworks,
      List<String> allowlist,
      List<String> internetNodes) {
    public ConnectBack(Boolean enabled, List<String> internalNetworks, List<String> allowlist) {
      this(enabled, internalNetworks, allowlist, null);
    }

    public boolean on() {
      return enabled == null || enabled;
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Miner(
      Boolean enabled,
      Double cpuThreshold,
      Double sustainSeconds,
      Double maxMemoryPerCoreMiB,
      List<String> exePatterns,
      List<String> cmdlinePatterns,
      Double gpuUtilThresholdPercent,
      Double maxGpuMemoryMiB) {
    public boolean on() {
      return enabled == null || enabled;
    }
  }

  /** The policy with every default filled in. */
  public static Policy defaults() {
    return new Policy(null, null).resolved();
  }

  public Policy resolved() {
    ConnectBack c = connectBack == null ? new ConnectBack(null, null, null, null) : connectBack;
    Miner m = miner == null ? new Miner(null, null, null, null, null, null, null, null) : miner;
    return new Policy(
        new ConnectBack(
            c.on(),
            c.internalNetworks() == null ? DEFAULT_INTERNAL : List.copyOf(c.internalNetworks()),
            c.allowlist() == null ? List.of() : List.copyOf(c.allowlist()),
            c.internetNodes() == null ? List.of() : List.copyOf(c.internetNodes())),
        new Miner(
            m.on(),
            m.cpuThreshold() == null ? 0.9 : m.cpuThreshold(),
            m.sustainSeconds() == null ? 60.0 : m.sustainSeconds(),
            m.maxMemoryPerCoreMiB() == null ? 256.0 : m.maxMemoryPerCoreMiB(),
            m.exePatterns() == null ? DEFAULT_MINER_EXE : List.copyOf(m.exePatterns()),
            m.cmdlinePatterns() == null ? DEFAULT_MINER_CMDLINE : List.copyOf(m.cmdlinePatterns()),
            m.gpuUtilThresholdPercent() == null ? 90.0 : m.gpuUtilThresholdPercent(),
            m.maxGpuMemoryMiB() == null ? 1024.0 : m.maxGpuMemoryMiB()));
  }

  /** Every problem with a resolved policy; empty when it may be used. */
  public List<String> validate() {
    List<String> problems = new ArrayList<>();
    for (String n : connectBack.internalNetworks()) {
      checkCidr("connectBack.internalNetworks", n, problems);
    }
    for (String n : connectBack.allowlist()) {
      checkCidr("connectBack.allowlist", n, problems);
    }
    if (miner.cpuThreshold() <= 0 || miner.cpuThreshold() > 1) {
      problems.add("miner.cpuThreshold must be in (0, 1], got " + miner.cpuThreshold());
    }
    if (miner.sustainSeconds() < 0) {
      problems.add("miner.sustainSeconds must be >= 0, got " + miner.sustainSeconds());
    }
    if (miner.maxMemoryPerCoreMiB() <= 0) {
      problems.add("miner.maxMemoryPerCoreMiB must be > 0, got " + miner.maxMemoryPerCoreMiB());
    }
    if (miner.gpuUtilThresholdPercent() <= 0 || miner.gpuUtilThresholdPercent() > 100) {
      problems.add(
          "miner.gpuUtilThresholdPercent must be in (0, 100], got "
              + miner.gpuUtilThresholdPercent());
    }
    if (miner.maxGpuMemoryMiB() <= 0) {
      problems.add("miner.maxGpuMemoryMiB must be > 0, got " + miner.maxGpuMemoryMiB());
    }
    for (String p : miner.exePatterns()) {
      checkRegex("miner.exePatterns", p, problems);
    }
    for (String p : miner.cmdlinePatterns()) {
      checkRegex("miner.cmdlinePatterns", p, problems);
    }
    return problems;
  }

  private static void checkCidr(String field, String s, List<String> problems) {
    try {
      Cidr.parse(s);
    } catch (RuntimeException e) {
      problems.add(field + ": " + e.getMessage());
    }
  }

  private static void checkRegex(String field, String s, List<String> problems) {
    try {
      Pattern.compile(s);
    } catch (PatternSyntaxException e) {
      problems.add(field + ": bad regex " + s + ": " + e.getDescription());
    }
  }

  /** Reads, resolves and validates a policy file; YAML for .yaml/.yml, JSON otherwise. */
  public static Policy load(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper =
        name.endsWith(".yaml") || name.endsWith(".yml")
            ? new ObjectMapper(new YAMLFactory())
            : new ObjectMapper();
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    Policy p;
    try {
      p = mapper.readValue(file.toFile(), Policy.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(file + ": " + e.getOriginalMessage(), e);
    }
    Policy r = (p == null ? new Policy(null, null) : p).resolved();
    List<String> problems = r.validate();
    if (!problems.isEmpty()) {
      throw new IOException(file + ": " + String.join("; ", problems));
    }
    return r;
  }
}
