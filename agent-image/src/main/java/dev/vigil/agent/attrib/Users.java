package dev.vigil.agent.attrib;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;

/** uid → user name from a passwd file, re-read when it changes (checked at most once a second). */
public final class Users {
  private final Path passwd;
  private volatile Map<Long, String> names = Map.of();
  private volatile FileTime loaded;

  private final java.util.function.LongSupplier nanoClock;

  public Users(Path passwd) {
    this(passwd, System::nanoTime);
  }

  Users(Path passwd, java.util.function.LongSupplier nanoClock) {
    this.passwd = passwd;
    this.nanoClock = nanoClock;
  }

  /** The user name, or the uid as a string when unknown (as ls does). */
  public String name(long uid) {
    refresh();
    String n = names.get(uid);
    return n != null ? n : Long.toString(uid);
  }

  static Map<Long, String> parse(String passwdText) {
    Map<Long, String> m = new HashMap<>();
    for (String line : passwdText.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(":", -1);
      if (f.length < 3) {
        continue;
      }
      try {
        m.putIfAbsent(Long.parseLong(f[2]), f[0]);
      } catch (NumberFormatException ignored) {
        // NIS "+" lines and junk
      }
    }
    return m;
  }

  private volatile long checkedAt;

  private void refresh() {
    long now = nanoClock.getAsLong();
    if (loaded != null && now - checkedAt < 1_000_000_000L) {
      return; // stat the file at most once a second, not once per event
    }
    checkedAt = now;
    try {
      FileTime t = Files.getLastModifiedTime(passwd);
      if (!t.equals(loaded)) {
        names = Map.copyOf(parse(Files.readString(passwd)));
        loaded = t;
      }
    } catch (IOException e) {
      // keep what we had
    }
  }
}
