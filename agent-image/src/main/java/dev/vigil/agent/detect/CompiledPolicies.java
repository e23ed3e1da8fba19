package dev.vigil.agent.detect;

import dev.vigil.common.policy.Cidr;
import dev.vigil.common.policy.PolicyDirectory;
import dev.vigil.common.policy.PolicyDocument;
import dev.vigil.common.policy.PolicyException;
import dev.vigil.common.policy.PolicyWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The operator's compiled DetectorPolicy files ({@code --policy-dir}), as the shared reader ({@link
 * PolicyDirectory}: schema check, every malformed file named, CIDRs, severities, suppressions,
 * silent-miner quantities and durations, {@code internetNodes}) loads them, mapped onto the agent's
 * {@link Policy} and merged into one.
 *
 * <p>Mapping: {@code spec.connectBack.enabled/internalNetworks/allowedDestinations/severity} →
 * {@code connectBack.enabled/internalNetworks/allowlist} and the ConnectBack severity; {@code
 * spec.silentMiner.cpuPercentAbove} (percent of the job's cores) → {@code miner.cpuThreshold}
 * (fraction), {@code memoryPerCoreBelow} and {@code gpuMemoryBelow} (Kubernetes quantities, e.g.
 * 128Mi, 1Gi, 500M) → MiB, {@code gpuUtilizationAbove} → percent, {@code sustainedFor} (e.g. 20m,
 * 1h30m, 90s) → seconds, {@code severity} → the SilentMiner severity (severities default as in the
 * CRD: connect-back medium, silent miner high); {@code spec.mode}: shadow. {@code
 * spec.suppressions} become {@link Suppressions}; the file's top-level {@code internetNodes} (the
 * node names the operator found matching {@code spec.connectBack.internetNodeSelector}) → {@code
 * connectBack.internetNodes}. Every other spec field (tls, stratum, trails) is for the sensor and
 * is ignored.
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
 * malformed file fails the whole load (the caller, a {@link PolicyWatcher}, keeps its previous
 * policy).
 */
public final class CompiledPolicies {

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

  /** Reads (shared reader), maps, merges and validates every file of the directory {@code dir}. */
  public static Loaded load(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new PolicyException(dir, List.of("not a directory"));
    }
    PolicyDirectory.Loaded docs = PolicyDirectory.load(dir);
    try {
      return compile(docs);
    } catch (IllegalArgumentException e) {
      throw new PolicyException(dir, List.of(e.getMessage()));
    }
  }

  /**
   * Maps and merges checked documents onto the agent policy; the {@code compile} function of the
   * agent's {@link PolicyWatcher}. Throws {@link IllegalArgumentException} when the merged policy
   * does not validate (the watcher then keeps the previous one).
   */
  public static Loaded compile(PolicyDirectory.Loaded docs) {
    Merge m = new Merge();
    for (PolicyDocument d : docs.policies()) {
      m.add(d);
    }
    Loaded l = m.result();
    List<String> invalid = l.policy().validate();
    if (!invalid.isEmpty()) {
      throw new IllegalArgumentException("(merged): " + String.join("; ", invalid));
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

    void add(PolicyDocument d) {
      sources.add(d.source());
      files++;
      if (d.shadow()) {
        shadowFiles++;
      }
      PolicyDocument.ConnectBackRule cb = d.connectBack();
      if (cb != null) {
        cbEnabled = (cbEnabled != null && cbEnabled) || cb.enabled();
        if (cb.enabled()) {
          cb.internalNetworks().prefixes().stream().map(Cidr::text).forEach(internal::add);
          cb.allowedDestinations().prefixes().stream().map(Cidr::text).forEach(allow::add);
          cbSeverity = max(cbSeverity, cb.severity());
          // exempt only where every policy enabling connect-back exempts the node
          if (internetNodes == null) {
            internetNodes = new TreeSet<>(d.internetNodes());
          } else {
            internetNodes.retainAll(d.internetNodes());
          }
        }
      }
      suppressions.addAll(Suppressions.of(d.namespace() + "/" + d.name(), d.suppressions()));
      PolicyDocument.SilentMinerRule sm = d.silentMiner();
      if (sm != null) {
        mEnabled = (mEnabled != null && mEnabled) || sm.enabled();
        if (sm.enabled()) {
          cpu = min(cpu, sm.cpuPercentAbove() == null ? null : sm.cpuPercentAbove() / 100.0);
          gpuUtil = min(gpuUtil, sm.gpuUtilizationAbove());
          memMiB = maxD(memMiB, sm.memoryPerCoreBelowMiB());
          gpuMemMiB = maxD(gpuMemMiB, sm.gpuMemoryBelowMiB());
          sustain = min(sustain, sm.sustainedForSeconds());
          mSeverity = max(mSeverity, sm.severity());
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

  private static Double min(Double a, Double b) {
    return a == null ? b : b == null ? a : Math.min(a, b);
  }

  private static Double maxD(Double a, Double b) {
    return a == null ? b : b == null ? a : Math.max(a, b);
  }

  private static Integer max(Integer a, Integer b) {
    return a == null ? b : b == null ? a : Math.max(a, b);
  }
}
