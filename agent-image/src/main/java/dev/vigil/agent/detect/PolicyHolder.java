package dev.vigil.agent.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The running policy and its hot reload: {@link #reloadIfChanged()} re-reads the file when its
 * content changed and swaps the policy in only when it validates; a bad file keeps the previous
 * policy and is reported through {@code onError}.
 */
public final class PolicyHolder {
  private final Path file;
  private final Consumer<String> onError;
  private volatile Policy current;
  private byte[] seen = new byte[0];
  private long generation;

  public PolicyHolder(Path file, Consumer<String> onError) throws IOException {
    this.file = file;
    this.onError = onError;
    if (file == null) {
      current = Policy.defaults();
    } else {
      seen = Files.readAllBytes(file);
      current = Policy.load(file);
    }
  }

  public Policy get() {
    return current;
  }

  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  public synchronized long generation() {
    return generation;
  }

  /** Returns true when a new policy was installed. */
  public synchronized boolean reloadIfChanged() {
    if (file == null) {
      return false;
    }
    try {
      byte[] now = Files.readAllBytes(file);
      if (java.util.Arrays.equals(now, seen)) {
        return false;
      }
      seen = now;
      current = Policy.load(file);
      generation++;
      return true;
    } catch (IOException e) {
      onError.accept("policy not reloaded, keeping the previous one: " + e.getMessage());
      return false;
    }
  }
}
