package dev.vigil.agent.attrib;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * cgroup v2 id (what {@code bpf_get_current_cgroup_id()} puts in every event) → cgroup path. The id
 * is the inode number of the cgroup's directory in the v2 hierarchy ({@code <root>} on a pure v2
 * host, {@code <root>/unified} on a hybrid one), so the path stays known after the process is gone,
 * which /proc cannot offer for short-lived tasks. Unknown ids trigger a rescan of the tree, at most
 * once per {@code rescanMillis}.
 */
public final class CgroupIds {
  private final Path v2root;
  private final LongSupplier clock;
  private final long rescanMillis;
  private final Map<Long, String> paths = new ConcurrentHashMap<>();
  private volatile long lastScan = Long.MIN_VALUE / 2;

  public CgroupIds(Path cgroupRoot, LongSupplier clock, long rescanMillis) {
    Path unified = cgroupRoot.resolve("unified");
    this.v2root =
        Files.exists(cgroupRoot.resolve("cgroup.controllers"))
            ? cgroupRoot
            : Files.exists(unified.resolve("cgroup.controllers")) ? unified : null;
    this.clock = clock;
    this.rescanMillis = rescanMillis;
  }

  /** The cgroup path ("/" for the root) of an id, or empty when no v2 directory has it. */
  public Optional<String> path(long id) {
    return path(id, rescanMillis);
  }

  /**
   * Like {@link #path(long)} but rescans on a miss unless the last scan is younger than 50 ms: for
   * alerts, where a cgroup made a moment ago must still be found.
   */
  public Optional<String> pathUrgently(long id) {
    return path(id, 50);
  }

  private Optional<String> path(long id, long minAge) {
    if (v2root == null || id == 0) {
      return Optional.empty();
    }
    String p = paths.get(id);
    if (p == null && clock.getAsLong() - lastScan >= minAge) {
      scan();
      p = paths.get(id);
    }
    return Optional.ofNullable(p);
  }

  private synchronized void scan() {
    lastScan = clock.getAsLong();
    try (Stream<Path> dirs = Files.walk(v2root)) {
      dirs.filter(Files::isDirectory)
          .forEach(
              d -> {
                try {
                  Object ino = Files.getAttribute(d, "unix:ino");
                  String rel = v2root.relativize(d).toString();
                  paths.put(((Number) ino).longValue(), "/" + rel);
                } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                  // a cgroup removed while walking
                }
              });
    } catch (IOException | java.io.UncheckedIOException e) {
      // keep what we have
    }
  }
}
