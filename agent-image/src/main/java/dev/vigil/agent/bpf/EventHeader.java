package dev.vigil.agent.bpf;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;

/**
 * Flyweight over {@code struct event_header}, the first member of every agent event.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+  0
 *  |                  kind (1 exec 2 exit 3 fork 4 sock)           |
 *  +---------------------------------------------------------------+  4
 *  |                  pid (thread id)                              |
 *  +---------------------------------------------------------------+  8
 *  |                  tgid (process id)                            |
 *  +---------------------------------------------------------------+ 12
 *  |                  ppid (real parent tgid)                      |
 *  +---------------------------------------------------------------+ 16
 *  |                  uid                                          |
 *  +---------------------------------------------------------------+ 20
 *  |                  gid                                          |
 *  +---------------------------------------------------------------+ 24
 *  |                  ktime_ns (64, CLOCK_MONOTONIC)               |
 *  +---------------------------------------------------------------+ 32
 *  |                  cgroup_id (64, cgroup v2 inode)              |
 *  +---------------------------------------------------------------+ 40
 *  |                  comm[16]                                     |
 *  +---------------------------------------------------------------+ 56
 * </pre>
 *
 * Offsets come from {@link #LAYOUT}, which {@code BtfLayoutChecker} compares with the object's BTF.
 */
public class EventHeader {
  public static final int KIND_EXEC = 1;
  public static final int KIND_EXIT = 2;
  public static final int KIND_FORK = 3;
  public static final int KIND_SOCK = 4;

  public static final StructLayout LAYOUT =
      MemoryLayout.structLayout(
              JAVA_INT_UNALIGNED.withName("kind"),
              JAVA_INT_UNALIGNED.withName("pid"),
              JAVA_INT_UNALIGNED.withName("tgid"),
              JAVA_INT_UNALIGNED.withName("ppid"),
              JAVA_INT_UNALIGNED.withName("uid"),
              JAVA_INT_UNALIGNED.withName("gid"),
              JAVA_LONG_UNALIGNED.withName("ktime_ns"),
              JAVA_LONG_UNALIGNED.withName("cgroup_id"),
              MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("comm"))
          .withName("event_header");

  static final long KIND = off(LAYOUT, "kind");
  static final long PID = off(LAYOUT, "pid");
  static final long TGID = off(LAYOUT, "tgid");
  static final long PPID = off(LAYOUT, "ppid");
  static final long UID = off(LAYOUT, "uid");
  static final long GID = off(LAYOUT, "gid");
  static final long KTIME = off(LAYOUT, "ktime_ns");
  static final long CGROUP = off(LAYOUT, "cgroup_id");
  static final long COMM = off(LAYOUT, "comm");
  static final int COMM_LEN = 16;

  protected MemorySegment segment = MemorySegment.NULL;

  /** Points this view at one event; no copy. */
  public EventHeader wrap(MemorySegment event) {
    if (event.byteSize() < minimumSize()) {
      throw new IllegalArgumentException(
          "event of " + event.byteSize() + " bytes is shorter than " + minimumSize());
    }
    this.segment = event;
    return this;
  }

  protected long minimumSize() {
    return LAYOUT.byteSize();
  }

  public static int kindOf(MemorySegment event) {
    return event.get(JAVA_INT_UNALIGNED, KIND);
  }

  public int kind() {
    return segment.get(JAVA_INT_UNALIGNED, KIND);
  }

  public int pid() {
    return segment.get(JAVA_INT_UNALIGNED, PID);
  }

  public int tgid() {
    return segment.get(JAVA_INT_UNALIGNED, TGID);
  }

  public int ppid() {
    return segment.get(JAVA_INT_UNALIGNED, PPID);
  }

  public long uid() {
    return Integer.toUnsignedLong(segment.get(JAVA_INT_UNALIGNED, UID));
  }

  public long gid() {
    return Integer.toUnsignedLong(segment.get(JAVA_INT_UNALIGNED, GID));
  }

  public long ktimeNs() {
    return segment.get(JAVA_LONG_UNALIGNED, KTIME);
  }

  public long cgroupId() {
    return segment.get(JAVA_LONG_UNALIGNED, CGROUP);
  }

  public String comm() {
    return cString(segment, COMM, COMM_LEN);
  }

  static String cString(MemorySegment s, long offset, int max) {
    int n = 0;
    while (n < max && s.get(JAVA_BYTE, offset + n) != 0) {
      n++;
    }
    byte[] b = new byte[n];
    MemorySegment.copy(s, JAVA_BYTE, offset, b, 0, n);
    return new String(b, StandardCharsets.UTF_8);
  }

  static long off(StructLayout layout, String name) {
    return layout.byteOffset(groupElement(name));
  }
}
