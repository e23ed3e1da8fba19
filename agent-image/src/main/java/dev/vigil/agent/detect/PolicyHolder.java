package dev.vigil.agent.detect;

import dev.vigil.common.policy.PolicyWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The running policy and its hot reload: {@link #reloadIfChanged()} re-reads the file ({@code
 * --policy}) or every file of the directory ({@code --policy-dir}, the operator's compiled
 * DetectorPolicies, see {@link CompiledPolicies}) when their content changed, and swaps the policy
 * in only when it validates; a bad file keeps the previous policy and is reported through {@code
 * onError} (once per distinct content). A directory is the shared {@link PolicyWatcher} (polled
 * here, from the sampler thread, not from a thread of its own): a content hash over its {@code
 * *.json} files, so ConfigMap volume updates (an atomic {@code ..data} symlink swap), new and
 * removed files are all seen.
 */
public final class PolicyHolder {
  private final Path file;
  private final Path dir;
  private final Consumer<String> onError;
  private final PolicyWatcher<CompiledPolicies.Loaded> watcher;
  private volatile CompiledPolicies.Loaded current;
  private byte[] seen = new byte[0];
  private String watcherMessage;
  private long generation;

  public PolicyHolder(Path file, Consumer<String> onError) throws IOException {
    this(file, null, onError);
  }

  /** At most one of {@code file} and {@code dir}; neither means the defaults. */
  public PolicyHolder(Path file, Path dir, Consumer<String> onError) throws IOException {
    if (file != null && dir != null) {
      throw new IllegalArgumentException("--policy and --policy-dir are exclusive");
    }
    this.file = file;
    this.dir = dir;
    this.onError = onError;
    if (dir != null) {
      if (!Files.isDirectory(dir)) {
        throw new dev.vigil.common.policy.PolicyException(dir, List.of("not a directory"));
      }
      watcher = new PolicyWatcher<>(dir, CompiledPolicies::compile, m -> watcherMessage = m);
      current = watcher.current();
    } else if (file == null) {
      watcher = null;
      current = plain(Policy.defaults());
    } else {
      watcher = null;
      seen = Files.readAllBytes(file);
      current = plain(Policy.load(file));
    }
  }

  private static CompiledPolicies.Loaded plain(Policy p) {
    return new CompiledPolicies.Loaded(p, false, Map.of(), List.of());
  }

  public Policy get() {
    return current.policy();
  }

  /** True when every loaded DetectorPolicy is {@code mode: shadow}: count, do not alert. */
  public boolean shadow() {
    return current.shadow();
  }

  /** The policy's {@code event.severity} for a note, when it sets one. */
  public Optional<Integer> severity(String note) {
    return Optional.ofNullable(current.severities().get(note));
  }

  /** The suppressions of the loaded DetectorPolicies (expired ones included; they never match). */
  public List<Suppressions.Suppression> suppressions() {
    return current.suppressions();
  }

  /** The DetectorPolicies in use ({@code namespace/name@generation}); empty for --policy. */
  public List<String> sources() {
    return current.sources();
  }

  /** The file or directory the policy comes from. */
  public Optional<Path> file() {
    return Optional.ofNullable(dir != null ? dir : file);
  }

  public synchronized long generation() {
    return generation;
  }

  /** Returns true when a new policy was installed. */
  public synchronized boolean reloadIfChanged() {
    if (dir != null) {
      return reloadDir();
    }
    if (file == null) {
      return false;
    }
    try {
      byte[] now = Files.readAllBytes(file);
      if (java.util.Arrays.equals(now, seen)) {
        return false;
      }
      seen = now;
      current = plain(Policy.load(file));
      generation++;
      return true;
    } catch (IOException e) {
      onError.accept("policy not reloaded, keeping the previous one: " + e.getMessage());
      return false;
    }
  }

  private boolean reloadDir() {
    long failures = watcher.failures();
    watcherMessage = null;
    boolean installed = watcher.poll();
    if (installed) {
      current = watcher.current();
      generation++;
    } else if (watcher.failures() > failures && watcherMessage != null) {
      // "policy not reloaded, keeping the previous one: <dir>: <file>: <reason>; ..."
      onError.accept(watcherMessage);
    }
    return installed;
  }
}
