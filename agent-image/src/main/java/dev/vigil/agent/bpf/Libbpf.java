package dev.vigil.agent.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libbpf 1.x (Debian {@code libbpf1}) and libc entry points the agent needs, bound through
 * FFM. libbpf 1.0+ reports pointer-returning failures as {@code NULL} with {@code errno} set, and
 * int-returning failures as {@code -errno}; {@link #errno(MemorySegment)} reads the captured value.
 */
final class Libbpf {
  private Libbpf() {}

  static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBBPF = open();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();

  static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE_LAYOUT.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

  /** {@code int (*ring_buffer_sample_fn)(void *ctx, void *data, size_t size)}. */
  static final FunctionDescriptor SAMPLE_FN =
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);

  static final MethodHandle OBJECT_OPEN_FILE =
      capture("bpf_object__open_file", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
  static final MethodHandle OBJECT_LOAD =
      plain("bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  static final MethodHandle OBJECT_CLOSE =
      plain("bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
  static final MethodHandle OBJECT_NEXT_PROGRAM =
      plain("bpf_object__next_program", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
  static final MethodHandle OBJECT_FIND_MAP =
      plain("bpf_object__find_map_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
  static final MethodHandle PROGRAM_NAME =
      plain("bpf_program__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
  static final MethodHandle PROGRAM_ATTACH =
      capture("bpf_program__attach", FunctionDescriptor.of(ADDRESS, ADDRESS));
  static final MethodHandle LINK_DESTROY =
      plain("bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  static final MethodHandle MAP_FD = plain("bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  static final MethodHandle MAP_LOOKUP_ELEM =
      plain(
          "bpf_map__lookup_elem",
          FunctionDescriptor.of(
              JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG));
  static final MethodHandle MAP_UPDATE_ELEM =
      plain(
          "bpf_map__update_elem",
          FunctionDescriptor.of(
              JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG));
  static final MethodHandle NUM_POSSIBLE_CPUS =
      plain("libbpf_num_possible_cpus", FunctionDescriptor.of(JAVA_INT));
  static final MethodHandle RING_BUFFER_NEW =
      capture(
          "ring_buffer__new", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
  static final MethodHandle RING_BUFFER_POLL =
      plain("ring_buffer__poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  static final MethodHandle RING_BUFFER_CONSUME =
      plain("ring_buffer__consume", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  static final MethodHandle RING_BUFFER_FREE =
      plain("ring_buffer__free", FunctionDescriptor.ofVoid(ADDRESS));

  static final MethodHandle GETEUID =
      LINKER.downcallHandle(LIBC.find("geteuid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
  static final MethodHandle MOUNT =
      LINKER.downcallHandle(
          LIBC.find("mount").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS),
          CAPTURE);

  static int errno(MemorySegment captured) {
    return (int) ERRNO.get(captured, 0L);
  }

  static MemorySegment captureSegment(Arena arena) {
    return arena.allocate(CAPTURE_LAYOUT);
  }

  private static SymbolLookup open() {
    String name = System.getProperty("vigil.libbpf", "libbpf.so.1");
    try {
      return SymbolLookup.libraryLookup(name, Arena.global());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "cannot load " + name + " (install the Debian package libbpf1): " + e.getMessage(), e);
    }
  }

  private static MethodHandle plain(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(find(name), fd);
  }

  private static MethodHandle capture(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(find(name), fd, CAPTURE);
  }

  private static MemorySegment find(String name) {
    return LIBBPF
        .find(name)
        .orElseThrow(
            () -> new IllegalStateException("libbpf has no symbol " + name + " (need 1.0+)"));
  }
}
