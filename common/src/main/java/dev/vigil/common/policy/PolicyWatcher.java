package dev.vigil.common.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Hot reload of a policy directory (or one file): {@link #poll()} re-reads it when a content hash
 * over its {@code *.json} files changed — so a ConfigMap volume's atomic {@code ..data} symlink
 * swap, new and removed files are all seen — loads it, compiles it with the consumer's {@code
 * compile} function and publishes the result through a volatile reference. A malformed new version
 * is rejected with one logged message naming every bad file (once per distinct content) and the
 * previous compiled policy stays active.
 *
 * <p>Readers call {@link #current()}: a single volatile read, no lock, so packet-processing threads
 * pick up a new policy at their next look without pausing. {@link #start(Duration)} polls from a
 * daemon thread; {@link #poll()} may also be called directly (tests, offline runs).
 *
 * @param <T> the consumer's compiled, immutable form of the policies
 */
public final class PolicyWatcher<T> implements AutoCloseable {
  private final Path path;
  private final Function<PolicyDirectory.Loaded, T> compile;
  private final Consumer<String> log;
  private volatile T current;
  private volatile PolicyDirectory.Loaded loaded;
  private String seen;
  private String rejected;
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private Thread thread;
  private volatile boolean stop;

  /**
   * Loads {@code path} once; a malformed policy at start is an error (the caller decides to exit).
   *
   * @param compile turns the loaded documents into what readers use; an {@link
   *     IllegalArgumentException} from it rejects the version like a malformed file
   * @param log receives one line per reload and per rejected version
   */
  public PolicyWatcher(Path path, Function<PolicyDirectory.Loaded, T> compile, Consumer<String> log)
      throws IOException {
    this.path = path;
    this.compile = compile;
    this.log = log;
    PolicyDirectory.Snapshot snap = PolicyDirectory.snapshot(path);
    PolicyDirectory.Loaded l = PolicyDirectory.load(snap);
    T t;
    try {
      t = compile.apply(l);
    } catch (IllegalArgumentException e) {
      throw new PolicyException(path, java.util.List.of(e.getMessage()));
    }
    seen = snap.fingerprint();
    loaded = l;
    current = t;
  }

  /** The compiled policy in force. */
  public T current() {
    return current;
  }

  /** The documents in force. */
  public PolicyDirectory.Loaded loaded() {
    return loaded;
  }

  /** New versions installed since the start. */
  public long reloads() {
    return reloads.get();
  }

  /** New versions rejected (malformed) since the start. */
  public long failures() {
    return failures.get();
  }

  /** Checks for a change; returns true when a new policy was installed. */
  public synchronized boolean poll() {
    PolicyDirectory.Snapshot snap;
    try {
      snap = PolicyDirectory.snapshot(path);
    } catch (IOException | UncheckedIOException e) {
      if (!stop) { // an interrupted read at close() is not a bad policy
        reject("cannot read: " + e.getMessage(), "unreadable:" + e.getMessage());
      }
      return false;
    }
    if (snap.fingerprint().equals(seen)) {
      return false;
    }
    try {
      PolicyDirectory.Loaded l = PolicyDirectory.load(snap);
      T t = compile.apply(l);
      seen = snap.fingerprint();
      rejected = null;
      loaded = l;
      current = t;
      reloads.incrementAndGet();
      log.accept(
          "policy reloaded from " + path + ": " + String.join(", ", l.sources()) + " in force");
      return true;
    } catch (PolicyException e) {
      reject(e.getMessage(), snap.fingerprint());
    } catch (IllegalArgumentException e) {
      reject(path + ": " + e.getMessage(), snap.fingerprint());
    }
    return false;
  }

  private void reject(String message, String version) {
    if (version.equals(rejected)) {
      return; // said once for this content
    }
    rejected = version;
    failures.incrementAndGet();
    log.accept("policy not reloaded, keeping the previous one: " + message);
  }

  /** Polls every {@code interval} from a daemon thread until {@link #close()}. */
  public synchronized PolicyWatcher<T> start(Duration interval) {
    if (thread != null) {
      return this;
    }
    long millis = Math.max(1, interval.toMillis());
    thread =
        new Thread(
            () -> {
              while (!stop) {
                try {
                  Thread.sleep(millis);
                } catch (InterruptedException e) {
                  return;
                }
                if (!stop) {
                  poll();
                }
              }
            },
            "vigil-policy-watch");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  @Override
  public void close() {
    stop = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
