package dev.vigil.agent.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * Flyweight over {@code struct fork_event} (sched:sched_process_fork); the header describes the
 * parent (current), {@code child_pid} the new task.
 *
 * <pre>
 *  +-----------------------------+  0
 *  | event_header h (56)         |
 *  +--------------+--------------+ 56
 *  | child_pid    | pad          |
 *  +--------------+--------------+ 64
 * </pre>
 */
public final class ForkEvent extends EventHeader {
  public static final StructLayout LAYOUT =
      MemoryLayout.structLayout(
              EventHeader.LAYOUT.withName("h"),
              JAVA_INT_UNALIGNED.withName("child_pid"),
              JAVA_INT_UNALIGNED.withName("pad"))
          .withName("fork_event");

  static final long CHILD_PID = off(LAYOUT, "child_pid");

  @Override
  protected long minimumSize() {
    return LAYOUT.byteSize();
  }

  public int childPid() {
    return segment.get(JAVA_INT_UNALIGNED, CHILD_PID);
  }
}
