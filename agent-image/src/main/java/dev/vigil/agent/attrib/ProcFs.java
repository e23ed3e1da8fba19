package dev.vigil.agent.attrib;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads of {@code /proc/<pid>/…}; every method returns empty when the process is gone. */
public final class ProcFs {
  private final Path root;

  public ProcFs(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** Fields of {@code /proc/<pid>/stat} the agent uses (times in clock ticks). */
  public record Stat(
      int pid,
      String comm,
      char state,
      int ppid,
      long utime,
      long stime,
      int threads,
      long startTime,
      long rssPages) {}

  /** Fields of {@code /proc/<pid>/status}. */
  public record Status(String name, int ppid, long uid, long rssKb, int threads) {}

  public Optional<Stat> stat(int pid) {
    return read(pid, "stat").flatMap(ProcFs::parseStat);
  }

  static Optional<Stat> parseStat(String s) {
    int open = s.indexOf('(');
    int close = s.lastIndexOf(')');
    if (open < 0 || close < open || close + 2 >= s.length()) {
      return Optional.empty();
    }
    String[] f = s.substring(close + 2).trim().split(" ");
    // f[0] is field 3 (state); field n is f[n - 3]
    if (f.length < 22) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Stat(
              Integer.parseInt(s.substring(0, open).trim()),
              s.substring(open + 1, close),
              f[0].charAt(0),
              Integer.parseInt(f[1]),
              Long.parseLong(f[11]),
              Long.parseLong(f[12]),
              Integer.parseInt(f[17]),
              Long.parseLong(f[19]),
              Long.parseLong(f[21])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  public Optional<Status> status(int pid) {
    return read(pid, "status").map(ProcFs::parseStatus);
  }

  static Status parseStatus(String s) {
    String name = "";
    int ppid = 0;
    long uid = -1;
    long rss = 0;
    int threads = 0;
    for (String line : s.split("\n")) {
      int c = line.indexOf(':');
      if (c < 0) {
        continue;
      }
      String k = line.substring(0, c);
      String v = line.substring(c + 1).trim();
      switch (k) {
        case "Name" -> name = v;
        case "PPid" -> ppid = Integer.parseInt(v);
        case "Uid" -> uid = Long.parseLong(v.split("\\s+")[0]);
        case "VmRSS" -> rss = Long.parseLong(v.split("\\s+")[0]);
        case "Threads" -> threads = Integer.parseInt(v);
        default -> {}
      }
    }
    return new Status(name, ppid, uid, rss, threads);
  }

  public Optional<String> exe(int pid) {
    try {
      return Optional.of(Files.readSymbolicLink(root.resolve(pid + "/exe")).toString());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** Inode of the image {@code /proc/<pid>/exe} points at now (the link followed). */
  public Optional<Long> exeInode(int pid) {
    try {
      Object ino = Files.getAttribute(root.resolve(pid + "/exe"), "unix:ino");
      return ino instanceof Long l ? Optional.of(l) : Optional.empty();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public Optional<List<String>> cmdline(int pid) {
    try {
      byte[] b = Files.readAllBytes(root.resolve(pid + "/cmdline"));
      return Optional.of(splitNul(b, b.length));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public Optional<String> cgroup(int pid) {
    return read(pid, "cgroup");
  }

  /** {@code read_bytes} and {@code write_bytes} of {@code /proc/<pid>/io}. */
  public Optional<long[]> io(int pid) {
    return read(pid, "io")
        .map(
            s -> {
              long r = 0;
              long w = 0;
              for (String line : s.split("\n")) {
                if (line.startsWith("read_bytes:")) {
                  r = Long.parseLong(line.substring(11).trim());
                } else if (line.startsWith("write_bytes:")) {
                  w = Long.parseLong(line.substring(12).trim());
                }
              }
              return new long[] {r, w};
            });
  }

  /** Numeric entries of the proc root. */
  public List<Integer> pids() {
    List<Integer> out = new ArrayList<>();
    try (var s = Files.newDirectoryStream(root)) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
          out.add(Integer.parseInt(n));
        }
      }
    } catch (IOException e) {
      // an empty list
    }
    return out;
  }

  public static List<String> splitNul(byte[] b, int n) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (b[i] == 0) {
        out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < n) {
      out.add(new String(b, start, n - start, StandardCharsets.UTF_8));
    }
    return out;
  }

  private Optional<String> read(int pid, String file) {
    try {
      return Optional.of(Files.readString(root.resolve(pid + "/" + file)));
    } catch (IOException | java.io.UncheckedIOException e) {
      return Optional.empty();
    }
  }
}
