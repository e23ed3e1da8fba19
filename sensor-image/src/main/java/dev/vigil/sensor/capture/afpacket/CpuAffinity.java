package dev.vigil.sensor.capture.afpacket;

import static dev.vigil.sensor.capture.afpacket.LinuxNative.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** sched_getaffinity / sched_setaffinity for the calling thread (Linux, through FFM). */
public final class CpuAffinity {
  private CpuAffinity() {}

  private static final int MASK_BYTES = 128; // 1024 CPUs

  /** CPUs the process may run on (its cpuset), ascending; empty if unknown. */
  public static List<Integer> allowedCpus() {
    List<Integer> cpus = new ArrayList<>();
    try (Arena a = Arena.ofConfined()) {
      MemorySegment cs = callState(a);
      MemorySegment mask = a.allocate(MASK_BYTES, 8);
      int rc = (int) SCHED_GETAFFINITY.invokeExact(cs, 0, (long) MASK_BYTES, mask);
      if (rc < 0) {
        return cpus;
      }
      for (int i = 0; i < MASK_BYTES * 8; i++) {
        if ((mask.get(ValueLayout.JAVA_BYTE, i / 8) & (1 << (i % 8))) != 0) {
          cpus.add(i);
        }
      }
    } catch (Throwable t) {
      // unknown: leave empty
    }
    return cpus;
  }

  /** Pins the calling thread to {@code cpu}; returns false if the kernel refused. */
  public static boolean pinCurrentThread(int cpu) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment cs = callState(a);
      MemorySegment mask = a.allocate(MASK_BYTES, 8);
      mask.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
      int rc = (int) SCHED_SETAFFINITY.invokeExact(cs, 0, (long) MASK_BYTES, mask);
      return rc == 0;
    } catch (Throwable t) {
      return false;
    }
  }
}
