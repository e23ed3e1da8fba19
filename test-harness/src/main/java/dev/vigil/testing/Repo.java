package dev.vigil.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository root from tests (system property vigil.root, set by the Maven build). */
public final class Repo {

  private Repo() {}

  public static Path root() {
    String p = System.getProperty("vigil.root");
    Path start = p != null ? Path.of(p) : Path.of("").toAbsolutePath();
    for (Path d = start; d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("mvnw")) && Files.isDirectory(d.resolve("e2e-tests"))) {
        return d;
      }
    }
    throw new IllegalStateException("cannot find the Vigil repository root from " + start);
  }

  public static Path path(String relative) {
    return root().resolve(relative);
  }
}
