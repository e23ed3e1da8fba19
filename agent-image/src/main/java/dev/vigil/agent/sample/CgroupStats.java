package dev.vigil.agent.sample;

import dev.vigil.agent.attrib.CgroupAttribution;
import dev.vigil.agent.attrib.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * CPU and memory of a job's or pod's own cgroup, from cgroup v2 ({@code cpu.stat usage_usec},
 * {@code memory.current}) or v1 ({@code cpuacct.usage}, {@code memory.usage_in_bytes}). The path is
 * cut back to the {@code job_<id>} or {@code pod<uid>} level so the whole job is counted, not one
 * step. On a hybrid host the v2 tree lives at {@code <root>/unified}.
 */
public final class CgroupStats {
  private final Path root;

  public CgroupStats(Path root) {
    this.root = root;
  }

  /** Cumulative CPU time in microseconds, or empty when no readable accounting exists. */
  public OptionalLong cpuUsec(String procCgroup) {
    for (String[] l : lines(procCgroup)) {
      if (!namesAWorkload(l[2])) {
        continue; // this hierarchy does not place the task in its job: its counters are not the
        // job's
      }
      if (l[1].isEmpty() && l[0].equals("0")) {
        OptionalLong v = keyed(v2Base().resolve(rel(l[2])).resolve("cpu.stat"), "usage_usec");
        if (v.isPresent()) {
          return v;
        }
      } else if (Arrays.asList(l[1].split(",")).contains("cpuacct")) {
        OptionalLong ns = single(root.resolve(l[1]).resolve(rel(l[2])).resolve("cpuacct.usage"));
        if (ns.isPresent()) {
          return OptionalLong.of(ns.getAsLong() / 1000);
        }
      }
    }
    return OptionalLong.empty();
  }

  /** Memory charged to the cgroup (includes page cache), or empty. */
  public OptionalLong memoryBytes(String procCgroup) {
    for (String[] l : lines(procCgroup)) {
      if (!namesAWorkload(l[2])) {
        continue; // this hierarchy does not place the task in its job: its counters are not the
        // job's
      }
      if (l[1].isEmpty() && l[0].equals("0")) {
        OptionalLong v = single(v2Base().resolve(rel(l[2])).resolve("memory.current"));
        if (v.isPresent()) {
          return v;
        }
      } else if (Arrays.asList(l[1].split(",")).contains("memory")) {
        OptionalLong v =
            single(root.resolve(l[1]).resolve(rel(l[2])).resolve("memory.usage_in_bytes"));
        if (v.isPresent()) {
          return v;
        }
      }
    }
    return OptionalLong.empty();
  }

  private static boolean namesAWorkload(String path) {
    return CgroupAttribution.parse(path).kind() != Workload.Kind.HOST;
  }

  /** The cgroup path cut after its job_ or pod segment, relative (no leading slash). */
  static String rel(String path) {
    String[] parts = path.split("/");
    StringBuilder b = new StringBuilder();
    for (String p : parts) {
      if (p.isEmpty()) {
        continue;
      }
      if (!b.isEmpty()) {
        b.append('/');
      }
      b.append(p);
      if (p.startsWith("job_")
          || p.matches("(?:kubepods-[a-z]+-)?pod[0-9a-fA-F_-]{36}(\\.slice)?")) {
        break;
      }
    }
    return b.toString();
  }

  private Path v2Base() {
    Path unified = root.resolve("unified");
    return Files.exists(root.resolve("cgroup.controllers")) || !Files.isDirectory(unified)
        ? root
        : unified;
  }

  private static List<String[]> lines(String procCgroup) {
    return procCgroup.lines().map(l -> l.split(":", 3)).filter(f -> f.length == 3).toList();
  }

  private static OptionalLong single(Path f) {
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(f).strip()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static OptionalLong keyed(Path f, String key) {
    try {
      for (String line : Files.readAllLines(f)) {
        if (line.startsWith(key + " ")) {
          return OptionalLong.of(Long.parseLong(line.substring(key.length() + 1).strip()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }
}
