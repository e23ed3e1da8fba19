package dev.vigil.common.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the rendered DetectorPolicies of one directory (a consumer mounts the ConfigMaps of every
 * policy that selects it there): every {@code *.json} file in name order, dotfiles (the ConfigMap
 * volume's {@code ..data} machinery) skipped, symlinks followed. A directory loads as a whole or
 * not at all: {@link #load} reports every malformed file with its name and reason in one {@link
 * PolicyException}, so the caller keeps its previous policy.
 */
public final class PolicyDirectory {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PolicyDirectory() {}

  /** A directory (or single file) read as a whole: its documents and content fingerprint. */
  public record Snapshot(Path path, Map<String, byte[]> files, String fingerprint) {}

  /** The loaded policies, in file name order, and the fingerprint of the content they came from. */
  public record Loaded(Path path, List<PolicyDocument> policies, String fingerprint) {
    /** {@code namespace/name@generation} of every policy. */
    public List<String> sources() {
      return policies.stream().map(PolicyDocument::source).toList();
    }
  }

  /** The {@code *.json} files of {@code dir} in name order. */
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
   * The content of {@code path}: every {@code *.json} of a directory, or the one file. A file that
   * disappears between listing and reading (a ConfigMap update in progress) is left out; the next
   * poll sees the new state.
   */
  public static Snapshot snapshot(Path path) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    if (Files.isDirectory(path)) {
      for (Path f : files(path)) {
        try {
          out.put(f.getFileName().toString(), Files.readAllBytes(f));
        } catch (NoSuchFileException gone) {
          // removed between listing and reading
        }
      }
    } else if (Files.isRegularFile(path)) {
      out.put(path.getFileName().toString(), Files.readAllBytes(path));
    } else {
      throw new PolicyException(path, List.of("not a readable file or directory"));
    }
    return new Snapshot(path, out, fingerprint(out));
  }

  /** SHA-256 over every file's name, length and content. */
  public static String fingerprint(Map<String, byte[]> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(Long.toString(e.getValue().length).getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(e.getValue());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a mandatory JDK algorithm", e);
    }
  }

  /** Reads and checks every policy file of a directory (or one file). */
  public static Loaded load(Path path) throws IOException {
    return load(snapshot(path));
  }

  /**
   * Checks every file of a snapshot. Throws {@link PolicyException} listing {@code file: reason}
   * for every problem of every file, when there is any.
   */
  public static Loaded load(Snapshot snap) throws PolicyException {
    List<String> problems = new ArrayList<>();
    List<PolicyDocument> docs = new ArrayList<>();
    for (Map.Entry<String, byte[]> f : snap.files().entrySet()) {
      List<String> own = new ArrayList<>();
      PolicyDocument d = null;
      try {
        JsonNode doc = JSON.readTree(f.getValue());
        d = PolicyDocument.read(f.getKey(), doc, own);
      } catch (JacksonException e) {
        own.add("not valid JSON: " + firstLine(e.getOriginalMessage()));
      } catch (IOException e) {
        own.add("cannot read: " + e.getMessage());
      }
      for (String p : own) {
        problems.add(f.getKey() + ": " + p);
      }
      if (own.isEmpty() && d != null) {
        docs.add(d);
      }
    }
    if (!problems.isEmpty()) {
      throw new PolicyException(snap.path(), problems);
    }
    return new Loaded(snap.path(), List.copyOf(docs), snap.fingerprint());
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
