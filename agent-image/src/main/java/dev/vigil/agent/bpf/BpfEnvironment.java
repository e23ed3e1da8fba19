package dev.vigil.agent.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What loading the agent's tracepoint programs needs from the host: root (CAP_BPF and CAP_PERFMON),
 * kernel BTF for CO-RE, and tracefs for tracepoint ids. {@link #prepare()} mounts tracefs when it
 * is missing and fails with a message naming what is absent.
 */
public final class BpfEnvironment {
  public static final Path KERNEL_BTF = Path.of("/sys/kernel/btf/vmlinux");
  public static final Path TRACEFS = Path.of("/sys/kernel/tracing");
  private static final Path DEBUGFS_TRACING = Path.of("/sys/kernel/debug/tracing");

  private BpfEnvironment() {}

  public static void prepare() throws BpfException {
    int euid;
    try {
      euid = (int) Libbpf.GETEUID.invokeExact();
    } catch (Throwable t) {
      throw new BpfException("geteuid failed", t);
    }
    if (euid != 0) {
      throw new BpfException(
          "the agent's eBPF programs need root (CAP_BPF, CAP_PERFMON); running as uid " + euid);
    }
    if (!Files.isReadable(KERNEL_BTF)) {
      throw new BpfException(
          KERNEL_BTF + " is missing: the kernel needs CONFIG_DEBUG_INFO_BTF=y for CO-RE");
    }
    if (!tracefsMounted()) {
      mountTracefs();
    }
    if (!Files.exists(TRACEFS.resolve("events/sched/sched_process_exec/id"))
        && !Files.exists(DEBUGFS_TRACING.resolve("events/sched/sched_process_exec/id"))) {
      throw new BpfException(
          "tracefs has no events/sched/sched_process_exec: tracepoints are not available");
    }
  }

  static boolean tracefsMounted() {
    return Files.exists(TRACEFS.resolve("events"))
        || Files.exists(DEBUGFS_TRACING.resolve("events"));
  }

  private static void mountTracefs() throws BpfException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = Libbpf.captureSegment(arena);
      int rc =
          (int)
              Libbpf.MOUNT.invokeExact(
                  errno,
                  arena.allocateFrom("nodev"),
                  arena.allocateFrom(TRACEFS.toString()),
                  arena.allocateFrom("tracefs"),
                  0L,
                  MemorySegment.NULL);
      if (rc != 0) {
        throw new BpfException(
            "tracefs is not mounted and mount -t tracefs nodev "
                + TRACEFS
                + " failed with errno "
                + Libbpf.errno(errno));
      }
    } catch (BpfException e) {
      throw e;
    } catch (Throwable t) {
      throw new BpfException("mount(2) failed", t);
    }
  }
}
