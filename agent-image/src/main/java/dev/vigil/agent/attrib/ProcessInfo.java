package dev.vigil.agent.attrib;

import java.util.List;

/**
 * What the agent knows about one process: from the exec event when it saw one, completed from /proc
 * while the process lives.
 */
public record ProcessInfo(
    int pid,
    int ppid,
    long uid,
    String user,
    String comm,
    String exe,
    List<String> args,
    Workload workload,
    long seenAtMillis) {

  public String cmdline() {
    return String.join(" ", args);
  }
}
