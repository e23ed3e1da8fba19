package dev.vigil.sensor.capture;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Live capture through libpcap ({@code --capture pcap}), the portable path: any interface libpcap
 * opens, one native {@code pcap_next_ex} call per frame (AF_PACKET's ring needs none). The snap
 * length and the BPF filter are libpcap's own ({@code pcap_set_snaplen}, {@code pcap_setfilter}).
 * libpcap has no fanout, so this is one worker per interface.
 *
 * <pre>
 *  struct pcap_pkthdr (x86-64): ts.tv_sec (8), ts.tv_usec (8), caplen (4), len (4)
 *  struct pcap_stat: ps_recv (4), ps_drop (4), ps_ifdrop (4)
 * </pre>
 */
public final class PcapLiveCapture implements LiveCapture {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIB = lib();
  private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
  private static final java.lang.foreign.AddressLayout P = ValueLayout.ADDRESS;
  private static final MethodHandle CREATE = fn("pcap_create", FunctionDescriptor.of(P, P, P));
  private static final MethodHandle SET_SNAPLEN =
      fn("pcap_set_snaplen", FunctionDescriptor.of(I, P, I));
  private static final MethodHandle SET_PROMISC =
      fn("pcap_set_promisc", FunctionDescriptor.of(I, P, I));
  private static final MethodHandle SET_TIMEOUT =
      fn("pcap_set_timeout", FunctionDescriptor.of(I, P, I));
  private static final MethodHandle SET_BUFFER_SIZE =
      fn("pcap_set_buffer_size", FunctionDescriptor.of(I, P, I));
  private static final MethodHandle ACTIVATE = fn("pcap_activate", FunctionDescriptor.of(I, P));
  private static final MethodHandle DATALINK = fn("pcap_datalink", FunctionDescriptor.of(I, P));
  private static final MethodHandle COMPILE =
      fn("pcap_compile", FunctionDescriptor.of(I, P, P, P, I, I));
  private static final MethodHandle SETFILTER =
      fn("pcap_setfilter", FunctionDescriptor.of(I, P, P));
  private static final MethodHandle FREECODE = fn("pcap_freecode", FunctionDescriptor.ofVoid(P));
  private static final MethodHandle NEXT_EX = fn("pcap_next_ex", FunctionDescriptor.of(I, P, P, P));
  private static final MethodHandle STATS = fn("pcap_stats", FunctionDescriptor.of(I, P, P));
  private static final MethodHandle BREAKLOOP = fn("pcap_breakloop", FunctionDescriptor.ofVoid(P));
  private static final MethodHandle GETERR = fn("pcap_geterr", FunctionDescriptor.of(P, P));
  private static final MethodHandle CLOSE = fn("pcap_close", FunctionDescriptor.ofVoid(P));

  private static SymbolLookup lib() {
    for (String name : new String[] {"libpcap.so.1", "libpcap.so.0.8", "libpcap.so"}) {
      try {
        return SymbolLookup.libraryLookup(name, Arena.global());
      } catch (IllegalArgumentException e) {
        // next name
      }
    }
    return null;
  }

  private static MethodHandle fn(String name, FunctionDescriptor fd) {
    return LIB == null ? null : LINKER.downcallHandle(LIB.find(name).orElseThrow(), fd);
  }

  private final String iface;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment pcap;
  private final MemorySegment hdrPtr;
  private final MemorySegment dataPtr;
  private final MemorySegment stats;
  private final int linkType;
  private final byte[] frame = new byte[262144];
  private volatile boolean stopped;
  private boolean released;
  private long lastRecv;
  private long lastDrop;

  /**
   * Opens {@code iface} (promiscuous, 50 ms read timeout, {@code bufferBytes} kernel buffer) with
   * the snap length and BPF filter of {@code filter}.
   */
  public PcapLiveCapture(String iface, CaptureFilter filter, int bufferBytes) throws IOException {
    if (LIB == null) {
      arena.close();
      throw new IOException("libpcap not found (Debian: libpcap0.8)");
    }
    this.iface = iface;
    try {
      MemorySegment err = arena.allocate(256);
      pcap = (MemorySegment) CREATE.invokeExact(arena.allocateFrom(iface), err);
      if (pcap.address() == 0) {
        throw new IOException("pcap_create(" + iface + "): " + err.getString(0));
      }
      int snap = filter.snaplen();
      int rc = (int) SET_SNAPLEN.invokeExact(pcap, snap);
      rc |= (int) SET_PROMISC.invokeExact(pcap, 1);
      rc |= (int) SET_TIMEOUT.invokeExact(pcap, 50);
      rc |= (int) SET_BUFFER_SIZE.invokeExact(pcap, bufferBytes);
      if (rc != 0) {
        throw new IOException("pcap settings on " + iface + " refused");
      }
      rc = (int) ACTIVATE.invokeExact(pcap);
      if (rc < 0) {
        throw new IOException("pcap_activate(" + iface + "): " + error());
      }
      linkType = (int) DATALINK.invokeExact(pcap);
      if (filter.bpf() != null) {
        MemorySegment prog = arena.allocate(16, 8);
        rc = (int) COMPILE.invokeExact(pcap, prog, arena.allocateFrom(filter.bpf()), 1, 0xffffffff);
        if (rc != 0) {
          throw new IOException("BPF filter \"" + filter.bpf() + "\": " + error());
        }
        rc = (int) SETFILTER.invokeExact(pcap, prog);
        FREECODE.invokeExact(prog);
        if (rc != 0) {
          throw new IOException("pcap_setfilter on " + iface + ": " + error());
        }
      }
      hdrPtr = arena.allocate(P);
      dataPtr = arena.allocate(P);
      stats = arena.allocate(12, 4);
    } catch (IOException e) {
      arena.close();
      throw e;
    } catch (Throwable t) {
      arena.close();
      throw new IOException("libpcap setup on " + iface + " failed: " + t, t);
    }
  }

  private String error() throws Throwable {
    MemorySegment e = (MemorySegment) GETERR.invokeExact(pcap);
    return e.reinterpret(512).getString(0);
  }

  public int linkType() {
    return linkType;
  }

  @Override
  public boolean next(PacketHandler handler) throws IOException {
    if (stopped) {
      return false;
    }
    int rc;
    try {
      rc = (int) NEXT_EX.invokeExact(pcap, hdrPtr, dataPtr);
    } catch (Throwable t) {
      throw new IOException(t);
    }
    if (rc == 1) {
      MemorySegment hdr = hdrPtr.get(P, 0).reinterpret(24);
      long sec = hdr.get(ValueLayout.JAVA_LONG, 0);
      long usec = hdr.get(ValueLayout.JAVA_LONG, 8);
      int cap = Math.min(hdr.get(ValueLayout.JAVA_INT, 16), frame.length);
      int wire = hdr.get(ValueLayout.JAVA_INT, 20);
      MemorySegment data = dataPtr.get(P, 0).reinterpret(cap);
      MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, frame, 0, cap);
      handler.onPacket(linkType, 0, sec * 1_000_000_000L + usec * 1000L, frame, 0, cap, wire);
      return true;
    }
    if (rc == 0) {
      return !stopped; // read timeout
    }
    if (rc == -2 || stopped) {
      return false;
    }
    try {
      throw new IOException("pcap_next_ex on " + iface + ": " + error());
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  @Override
  public synchronized long[] statistics() {
    if (released) {
      return new long[] {0, 0};
    }
    try {
      if ((int) STATS.invokeExact(pcap, stats) != 0) {
        return new long[] {0, 0};
      }
    } catch (Throwable t) {
      return new long[] {0, 0};
    }
    long recv = Integer.toUnsignedLong(stats.get(ValueLayout.JAVA_INT, 0));
    long drop =
        Integer.toUnsignedLong(stats.get(ValueLayout.JAVA_INT, 4))
            + Integer.toUnsignedLong(stats.get(ValueLayout.JAVA_INT, 8));
    long[] delta = {recv - lastRecv, drop - lastDrop};
    lastRecv = recv;
    lastDrop = drop;
    return delta;
  }

  @Override
  public String describe() {
    return "libpcap on " + iface + " (linktype " + linkType + ")";
  }

  @Override
  public synchronized void stop() {
    stopped = true;
    if (!released) {
      try {
        BREAKLOOP.invokeExact(pcap);
      } catch (Throwable ignored) {
        // the 50 ms timeout ends the read anyway
      }
    }
  }

  @Override
  public void close() {
    stop();
    release();
  }

  @Override
  public synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    try {
      CLOSE.invokeExact(pcap);
    } catch (Throwable ignored) {
      // best effort on teardown
    }
    arena.close();
  }
}
