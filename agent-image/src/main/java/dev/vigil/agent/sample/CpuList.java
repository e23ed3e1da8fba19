package dev.vigil.agent.sample;

/** Counts CPUs in a kernel cpu list such as {@code 0-3,8,10-11}. */
public final class CpuList {
  private CpuList() {}

  /** The number of CPUs, or 0 for an empty or malformed list. */
  public static int count(String list) {
    String s = list.trim();
    if (s.isEmpty()) {
      return 0;
    }
    int n = 0;
    for (String part : s.split(",")) {
      String p = part.trim();
      int dash = p.indexOf('-');
      try {
        if (dash < 0) {
          Integer.parseInt(p);
          n++;
        } else {
          int a = Integer.parseInt(p.substring(0, dash));
          int b = Integer.parseInt(p.substring(dash + 1));
          if (b < a) {
            return 0;
          }
          n += b - a + 1;
        }
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return n;
  }
}
