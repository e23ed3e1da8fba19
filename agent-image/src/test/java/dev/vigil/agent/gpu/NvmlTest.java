package dev.vigil.agent.gpu;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class NvmlTest {

  @Test
  void aNodeWithoutTheNvidiaLibraryHasNoGpuAndNoError() {
    assertThat(Nvml.open("libnvidia-ml-definitely-absent.so.1")).isEmpty();
  }

  @Test
  void processInfoMatchesNvmlsCLayout() {
    // struct { unsigned int pid; unsigned long long usedGpuMemory; unsigned int gi, ci; } = 24
    assertThat(Nvml.PROCESS_INFO.byteSize()).isEqualTo(24);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment s = a.allocate(Nvml.PROCESS_INFO, 2);
      s.set(JAVA_INT, 24, 4242);
      s.set(JAVA_LONG, 32, 1L << 30);
      assertThat(Nvml.decode(s, 2))
          .containsExactly(new Nvml.GpuProcess(0, 0), new Nvml.GpuProcess(4242, 1L << 30));
    }
  }
}
