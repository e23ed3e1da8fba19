package dev.vigil.common.policy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A policy directory or file that does not load: every problem, each {@code file: reason}. */
public final class PolicyException extends IOException {
  private final transient List<String> problems;

  public PolicyException(Path path, List<String> problems) {
    super(path + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
