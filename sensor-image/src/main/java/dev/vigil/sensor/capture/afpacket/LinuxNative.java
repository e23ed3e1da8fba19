package dev.vigil.sensor.capture.afpacket;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls AF_PACKET capture needs, bound once through FFM. None of them runs per packet:
 * socket setup, {@code poll} when a ring block is not ready yet, statistics, teardown.
 */
final class LinuxNative {
  private LinuxNative() {}

  static final int AF_PACKET = 17;
  static final int SOCK_RAW = 3;
  static final int ETH_P_ALL = 0x0003;
  static final int SOL_PACKET = 263;
  static final int PACKET_ADD_MEMBERSHIP = 1;
  static final int PACKET_RX_RING = 5;
  static final int PACKET_STATISTICS = 6;
  static final int PACKET_VERSION = 10;
  static final int PACKET_FANOUT = 18;
  static final int PACKET_MR_PROMISC = 1;
  static final int TPACKET_V3 = 2;
  static final int PACKET_FANOUT_HASH = 0;
  static final int PACKET_FANOUT_FLAG_DEFRAG = 0x8000;
  static final int PROT_READ = 1;
  static final int PROT_WRITE = 2;
  static final int MAP_SHARED = 1;
  static final int POLLIN = 1;
  static final int POLLERR = 8;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CCS = Linker.Option.captureCallState("errno");

  private static MethodHandle fn(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(
        LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), fd, CCS);
  }

  private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
  private static final java.lang.foreign.AddressLayout P = ValueLayout.ADDRESS;

  static final MethodHandle SOCKET = fn("socket", FunctionDescriptor.of(I, I, I, I));
  static final MethodHandle SETSOCKOPT = fn("setsockopt", FunctionDescriptor.of(I, I, I, I, P, I));
  static final MethodHandle GETSOCKOPT = fn("getsockopt", FunctionDescriptor.of(I, I, I, I, P, P));
  static final MethodHandle BIND = fn("bind", FunctionDescriptor.of(I, I, P, I));
  static final MethodHandle MMAP = fn("mmap", FunctionDescriptor.of(P, P, L, I, I, I, L));
  static final MethodHandle MUNMAP = fn("munmap", FunctionDescriptor.of(I, P, L));
  static final MethodHandle POLL = fn("poll", FunctionDescriptor.of(I, P, L, I));
  static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(I, I));
  static final MethodHandle IF_NAMETOINDEX = fn("if_nametoindex", FunctionDescriptor.of(I, P));
  static final MethodHandle SCHED_SETAFFINITY =
      fn("sched_setaffinity", FunctionDescriptor.of(I, I, L, P));
  static final MethodHandle SCHED_GETAFFINITY =
      fn("sched_getaffinity", FunctionDescriptor.of(I, I, L, P));
  static final MethodHandle STRERROR =
      LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(), FunctionDescriptor.of(P, I));

  /** A call-state segment for errno; one per caller thread. */
  static MemorySegment callState(Arena arena) {
    return arena.allocate(CAPTURE);
  }

  static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  static String strerror(int errno) {
    try {
      MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
      return s.reinterpret(256).getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  static short htons(int v) {
    return (short) (((v & 0xff) << 8) | ((v >>> 8) & 0xff));
  }
}
