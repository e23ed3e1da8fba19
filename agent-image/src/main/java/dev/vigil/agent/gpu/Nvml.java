package dev.vigil.agent.gpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * GPU utilisation and per-process GPU memory through NVML ({@code libnvidia-ml.so.1}), bound with
 * FFM. {@link #open(String)} returns empty, without error, on nodes without the library or without
 * a GPU, so the sampler simply has no GPU data there.
 */
public final class Nvml implements AutoCloseable {
  /** One device reading. */
  public record Device(
      int index,
      int utilPercent,
      long memUsedBytes,
      long memTotalBytes,
      List<GpuProcess> processes) {}

  /** A compute process on a device. */
  public record GpuProcess(int pid, long usedBytes) {}

  private static final int NVML_SUCCESS = 0;
  private static final int NVML_ERROR_INSUFFICIENT_SIZE = 7;

  /** {@code nvmlProcessInfo_t} (v2/v3): pid, usedGpuMemory, gpuInstanceId, computeInstanceId. */
  static final StructLayout PROCESS_INFO =
      MemoryLayout.structLayout(
          JAVA_INT.withName("pid"),
          MemoryLayout.paddingLayout(4),
          JAVA_LONG.withName("usedGpuMemory"),
          JAVA_INT.withName("gpuInstanceId"),
          JAVA_INT.withName("computeInstanceId"));

  /** {@code nvmlMemory_t}: total, free, used. */
  static final StructLayout MEMORY =
      MemoryLayout.structLayout(
          JAVA_LONG.withName("total"), JAVA_LONG.withName("free"), JAVA_LONG.withName("used"));

  private final Arena arena = Arena.ofShared();
  private final MethodHandle shutdown;
  private final MethodHandle getCount;
  private final MethodHandle getHandle;
  private final MethodHandle getUtil;
  private final MethodHandle getMemory;
  private final MethodHandle getProcesses;

  private Nvml(SymbolLookup lib) {
    Linker l = Linker.nativeLinker();
    shutdown =
        l.downcallHandle(lib.find("nvmlShutdown").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
    getCount =
        l.downcallHandle(
            lib.find("nvmlDeviceGetCount_v2").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    getHandle =
        l.downcallHandle(
            lib.find("nvmlDeviceGetHandleByIndex_v2").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    getUtil =
        l.downcallHandle(
            lib.find("nvmlDeviceGetUtilizationRates").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    getMemory =
        l.downcallHandle(
            lib.find("nvmlDeviceGetMemoryInfo").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    getProcesses =
        l.downcallHandle(
            lib.find("nvmlDeviceGetComputeRunningProcesses_v3")
                .or(() -> lib.find("nvmlDeviceGetComputeRunningProcesses_v2"))
                .orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
  }

  /** NVML when the library loads, initialises and sees at least one GPU; else empty. */
  public static Optional<Nvml> open(String library) {
    SymbolLookup lib;
    try {
      lib = SymbolLookup.libraryLookup(library, Arena.global());
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // no NVIDIA driver on this node
    }
    try {
      MethodHandle init =
          Linker.nativeLinker()
              .downcallHandle(
                  lib.find("nvmlInit_v2").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
      if ((int) init.invokeExact() != NVML_SUCCESS) {
        return Optional.empty();
      }
      Nvml n = new Nvml(lib);
      if (n.deviceCount() == 0) {
        n.close();
        return Optional.empty();
      }
      return Optional.of(n);
    } catch (Throwable t) {
      return Optional.empty();
    }
  }

  public int deviceCount() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment count = a.allocate(JAVA_INT);
      int rc = (int) getCount.invokeExact(count);
      return rc == NVML_SUCCESS ? count.get(JAVA_INT, 0) : 0;
    } catch (Throwable t) {
      return 0;
    }
  }

  /** Reads every device; devices that fail to answer are left out. */
  public List<Device> sample() {
    List<Device> out = new ArrayList<>();
    int n = deviceCount();
    try (Arena a = Arena.ofConfined()) {
      for (int i = 0; i < n; i++) {
        MemorySegment handle = a.allocate(ADDRESS);
        if ((int) getHandle.invokeExact(i, handle) != NVML_SUCCESS) {
          continue;
        }
        MemorySegment dev = handle.get(ADDRESS, 0);
        MemorySegment util = a.allocate(JAVA_INT, 2);
        MemorySegment mem = a.allocate(MEMORY);
        if ((int) getUtil.invokeExact(dev, util) != NVML_SUCCESS
            || (int) getMemory.invokeExact(dev, mem) != NVML_SUCCESS) {
          continue;
        }
        out.add(
            new Device(
                i,
                util.getAtIndex(JAVA_INT, 0),
                mem.get(JAVA_LONG, 16),
                mem.get(JAVA_LONG, 0),
                processes(a, dev)));
      }
    } catch (Throwable t) {
      return out;
    }
    return out;
  }

  private List<GpuProcess> processes(Arena a, MemorySegment dev) throws Throwable {
    int cap = 64;
    for (int attempt = 0; attempt < 3; attempt++) {
      MemorySegment count = a.allocate(JAVA_INT);
      count.set(JAVA_INT, 0, cap);
      MemorySegment infos = a.allocate(PROCESS_INFO, cap);
      int rc = (int) getProcesses.invokeExact(dev, count, infos);
      if (rc == NVML_ERROR_INSUFFICIENT_SIZE) {
        cap = count.get(JAVA_INT, 0) + 16;
        continue;
      }
      if (rc != NVML_SUCCESS) {
        return List.of();
      }
      return decode(infos, count.get(JAVA_INT, 0));
    }
    return List.of();
  }

  static List<GpuProcess> decode(MemorySegment infos, int n) {
    List<GpuProcess> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long base = i * PROCESS_INFO.byteSize();
      out.add(new GpuProcess(infos.get(JAVA_INT, base), infos.get(JAVA_LONG, base + 8)));
    }
    return out;
  }

  @Override
  public void close() {
    try {
      int ignored = (int) shutdown.invokeExact();
    } catch (Throwable ignored) {
      // shutting down anyway
    } finally {
      arena.close();
    }
  }
}
