package dev.vigil.agent.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Flyweight over {@code struct exec_event} (sched:sched_process_exec).
 *
 * <pre>
 *  +-----------------------------+   0
 *  | event_header h (56)         |
 *  +--------------+--------------+  56
 *  | filename_len | args_len     |
 *  +--------------+--------------+  64
 *  | filename[256]               |
 *  +-----------------------------+ 320
 *  | args[512], NUL separated    |
 *  +-----------------------------+ 832
 *  | exe_ino (64)                |
 *  +-----------------------------+ 840
 * </pre>
 *
 * {@code exe_ino} is the inode of the image this exec loaded: {@code /proc/<pid>/exe} names this
 * image only while its inode is the same (the process may have exec'd again since).
 */
public final class ExecEvent extends EventHeader {
  public static final int FILENAME_MAX = 256;
  public static final int ARGS_MAX = 512;

  public static final StructLayout LAYOUT =
      MemoryLayout.structLayout(
              EventHeader.LAYOUT.withName("h"),
              JAVA_INT_UNALIGNED.withName("filename_len"),
              JAVA_INT_UNALIGNED.withName("args_len"),
              MemoryLayout.sequenceLayout(FILENAME_MAX, JAVA_BYTE).withName("filename"),
              MemoryLayout.sequenceLayout(ARGS_MAX, JAVA_BYTE).withName("args"),
              JAVA_LONG_UNALIGNED.withName("exe_ino"))
          .withName("exec_event");

  static final long FILENAME_LEN = off(LAYOUT, "filename_len");
  static final long ARGS_LEN = off(LAYOUT, "args_len");
  static final long FILENAME = off(LAYOUT, "filename");
  static final long ARGS = off(LAYOUT, "args");
  static final long EXE_INO = off(LAYOUT, "exe_ino");

  @Override
  protected long minimumSize() {
    return LAYOUT.byteSize();
  }

  public String filename() {
    int n = Math.min(segment.get(JAVA_INT_UNALIGNED, FILENAME_LEN), FILENAME_MAX);
    return cString(segment, FILENAME, Math.max(n, 0) == 0 ? FILENAME_MAX : n);
  }

  /** Inode of the exec'd image; 0 when the kernel had none to read. */
  public long exeInode() {
    return segment.get(JAVA_LONG_UNALIGNED, EXE_INO);
  }

  /** argv as captured at exec time (at most {@value #ARGS_MAX} bytes, last one may be cut). */
  public List<String> args() {
    int n = Math.min(Math.max(segment.get(JAVA_INT_UNALIGNED, ARGS_LEN), 0), ARGS_MAX);
    byte[] b = new byte[n];
    java.lang.foreign.MemorySegment.copy(segment, JAVA_BYTE, ARGS, b, 0, n);
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (b[i] == 0) {
        out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < n) {
      out.add(new String(b, start, n - start, StandardCharsets.UTF_8));
    }
    return out;
  }
}
