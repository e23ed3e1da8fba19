package dev.vigil.agent.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * Flyweight over {@code struct exit_event} (sched:sched_process_exit, thread-group leaders only).
 *
 * <pre>
 *  +-----------------------------+  0
 *  | event_header h (56)         |
 *  +--------------+--------------+ 56
 *  | exit_code    | pad          |
 *  +--------------+--------------+ 64
 * </pre>
 *
 * {@code exit_code} is a wait(2) status: {@code (code << 8) | signal}.
 */
public final class ExitEvent extends EventHeader {
  public static final StructLayout LAYOUT =
      MemoryLayout.structLayout(
              EventHeader.LAYOUT.withName("h"),
              JAVA_INT_UNALIGNED.withName("exit_code"),
              JAVA_INT_UNALIGNED.withName("pad"))
          .withName("exit_event");

  static final long EXIT_CODE = off(LAYOUT, "exit_code");

  @Override
  protected long minimumSize() {
    return LAYOUT.byteSize();
  }

  public int waitStatus() {
    return segment.get(JAVA_INT_UNALIGNED, EXIT_CODE);
  }

  /** The exit code, or -1 when a signal ended the process. */
  public int exitCode() {
    int s = waitStatus();
    return (s & 0x7f) == 0 ? (s >> 8) & 0xff : -1;
  }

  /** The terminating signal, or 0. */
  public int signal() {
    return waitStatus() & 0x7f;
  }
}
