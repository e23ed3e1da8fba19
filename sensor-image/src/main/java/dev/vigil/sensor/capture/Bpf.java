package dev.vigil.sensor.capture;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A classic BPF program compiled from a tcpdump filter expression by libpcap ({@code pcap_compile}
 * on a dead handle of the capture's link type and snap length, through FFM), and an interpreter for
 * it. Live AF_PACKET sockets get the program itself ({@link #socketFilter}, for {@code
 * SO_ATTACH_FILTER}: the kernel drops what it rejects and cuts what it keeps to the snap length);
 * reading a file runs {@link #run} on each frame, so both apply the same filter.
 *
 * <pre>
 *  struct bpf_insn (8 bytes): code (u16), jt (u8), jf (u8), k (u32)
 * </pre>
 */
public final class Bpf {
  /** Instructions as 4 ints each: code, jt, jf, k. */
  private final int[] insns;

  private final String expression;
  private final int snaplen;
  private final int[] mem = new int[16];

  private Bpf(int[] insns, String expression, int snaplen) {
    this.insns = insns;
    this.expression = expression;
    this.snaplen = snaplen;
  }

  public String expression() {
    return expression;
  }

  public int snaplen() {
    return snaplen;
  }

  public int length() {
    return insns.length / 4;
  }

  // ---- libpcap ------------------------------------------------------------------------------

  private static final class Pcap {
    static final MethodHandle OPEN_DEAD;
    static final MethodHandle COMPILE;
    static final MethodHandle GETERR;
    static final MethodHandle FREECODE;
    static final MethodHandle CLOSE;
    static final String MISSING;

    static {
      Linker linker = Linker.nativeLinker();
      SymbolLookup lib = null;
      String missing = null;
      for (String name : new String[] {"libpcap.so.1", "libpcap.so.0.8", "libpcap.so"}) {
        try {
          lib = SymbolLookup.libraryLookup(name, Arena.global());
          break;
        } catch (IllegalArgumentException e) {
          missing = "libpcap not found (" + name + ": " + e.getMessage() + ")";
        }
      }
      MISSING = lib == null ? missing : null;
      var p = ValueLayout.ADDRESS;
      var i = ValueLayout.JAVA_INT;
      OPEN_DEAD =
          lib == null ? null : fn(linker, lib, "pcap_open_dead", FunctionDescriptor.of(p, i, i));
      COMPILE =
          lib == null
              ? null
              : fn(linker, lib, "pcap_compile", FunctionDescriptor.of(i, p, p, p, i, i));
      GETERR = lib == null ? null : fn(linker, lib, "pcap_geterr", FunctionDescriptor.of(p, p));
      FREECODE =
          lib == null ? null : fn(linker, lib, "pcap_freecode", FunctionDescriptor.ofVoid(p));
      CLOSE = lib == null ? null : fn(linker, lib, "pcap_close", FunctionDescriptor.ofVoid(p));
    }

    private static MethodHandle fn(
        Linker linker, SymbolLookup lib, String name, FunctionDescriptor fd) {
      return linker.downcallHandle(lib.find(name).orElseThrow(), fd);
    }
  }

  /**
   * Compiles {@code expression} (tcpdump syntax; empty = every frame) for frames of {@code
   * linkType}, keeping at most {@code snaplen} bytes of each.
   *
   * @throws IllegalArgumentException the expression does not compile (libpcap's message), or
   *     libpcap is missing
   */
  public static Bpf compile(String expression, int linkType, int snaplen) {
    if (Pcap.MISSING != null) {
      throw new IllegalArgumentException("cannot compile BPF filter: " + Pcap.MISSING);
    }
    String expr = expression == null ? "" : expression;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment pcap = (MemorySegment) Pcap.OPEN_DEAD.invokeExact(linkType, snaplen);
      if (pcap.address() == 0) {
        throw new IllegalArgumentException("pcap_open_dead(" + linkType + ") failed");
      }
      try {
        MemorySegment prog = arena.allocate(16, 8);
        int rc =
            (int)
                Pcap.COMPILE.invokeExact(
                    pcap, prog, arena.allocateFrom(expr), 1, 0xffffffff /* netmask unknown */);
        if (rc != 0) {
          MemorySegment err = (MemorySegment) Pcap.GETERR.invokeExact(pcap);
          throw new IllegalArgumentException(
              "BPF filter \"" + expr + "\": " + err.reinterpret(1024).getString(0));
        }
        try {
          int n = prog.get(ValueLayout.JAVA_INT, 0);
          MemorySegment code = prog.get(ValueLayout.ADDRESS, 8).reinterpret(8L * n);
          int[] insns = new int[4 * n];
          for (int i = 0; i < n; i++) {
            insns[4 * i] = code.get(ValueLayout.JAVA_SHORT, 8L * i) & 0xffff;
            insns[4 * i + 1] = code.get(ValueLayout.JAVA_BYTE, 8L * i + 2) & 0xff;
            insns[4 * i + 2] = code.get(ValueLayout.JAVA_BYTE, 8L * i + 3) & 0xff;
            insns[4 * i + 3] = code.get(ValueLayout.JAVA_INT, 8L * i + 4);
          }
          return new Bpf(insns, expr, snaplen);
        } finally {
          Pcap.FREECODE.invokeExact(prog);
        }
      } finally {
        Pcap.CLOSE.invokeExact(pcap);
      }
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalArgumentException("cannot compile BPF filter \"" + expr + "\": " + t, t);
    }
  }

  /**
   * The program as a {@code struct sock_fprog} (length u16, pointer) in {@code arena}, for {@code
   * setsockopt(SOL_SOCKET, SO_ATTACH_FILTER)}; 16 bytes.
   */
  public MemorySegment socketFilter(Arena arena) {
    int n = length();
    MemorySegment code = arena.allocate(8L * n, 8);
    for (int i = 0; i < n; i++) {
      code.set(ValueLayout.JAVA_SHORT, 8L * i, (short) insns[4 * i]);
      code.set(ValueLayout.JAVA_BYTE, 8L * i + 2, (byte) insns[4 * i + 1]);
      code.set(ValueLayout.JAVA_BYTE, 8L * i + 3, (byte) insns[4 * i + 2]);
      code.set(ValueLayout.JAVA_INT, 8L * i + 4, insns[4 * i + 3]);
    }
    MemorySegment fprog = arena.allocate(16, 8);
    fprog.set(ValueLayout.JAVA_SHORT, 0, (short) n);
    fprog.set(ValueLayout.ADDRESS, 8, code);
    return fprog;
  }

  // ---- interpreter ----------------------------------------------------------------------------

  /**
   * Runs the program on a frame ({@code capLen} bytes at {@code off}; {@code wireLen} its length on
   * the wire, what BPF_LEN loads). Returns how many bytes to keep: 0 = rejected. A load beyond the
   * captured bytes or a division by zero rejects, as in the kernel and libpcap.
   */
  public int run(byte[] b, int off, int capLen, int wireLen) {
    int[] c = insns;
    int[] m = mem;
    int a = 0;
    int x = 0;
    int pc = 0;
    int n = c.length / 4;
    while (pc < n) {
      int i = 4 * pc++;
      int code = c[i];
      int k = c[i + 3];
      switch (code & 0x07) {
        case 0x00, 0x01 -> { // LD, LDX
          boolean ldx = (code & 0x07) == 0x01;
          int v;
          switch (code & 0xe0) {
            case 0x00 -> v = k; // IMM
            case 0x60 -> v = m[k & 15]; // MEM
            case 0x80 -> v = wireLen; // LEN
            case 0xa0 -> { // MSH: 4 * (P[k] & 0xf)
              if (k < 0 || k >= capLen) {
                return 0;
              }
              v = (b[off + k] & 0xf) << 2;
            }
            default -> { // ABS, IND
              long at =
                  (code & 0xe0) == 0x40 ? (x & 0xffffffffL) + (k & 0xffffffffL) : k & 0xffffffffL;
              int size = (code & 0x18) == 0x00 ? 4 : (code & 0x18) == 0x08 ? 2 : 1;
              if (at + size > capLen) {
                return 0;
              }
              int p = off + (int) at;
              v =
                  switch (size) {
                    case 4 ->
                        ((b[p] & 0xff) << 24)
                            | ((b[p + 1] & 0xff) << 16)
                            | ((b[p + 2] & 0xff) << 8)
                            | (b[p + 3] & 0xff);
                    case 2 -> ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
                    default -> b[p] & 0xff;
                  };
            }
          }
          if (ldx) {
            x = v;
          } else {
            a = v;
          }
        }
        case 0x02 -> m[k & 15] = a; // ST
        case 0x03 -> m[k & 15] = x; // STX
        case 0x04 -> { // ALU
          int s = (code & 0x08) != 0 ? x : k;
          switch (code & 0xf0) {
            case 0x00 -> a += s;
            case 0x10 -> a -= s;
            case 0x20 -> a *= s;
            case 0x30 -> {
              if (s == 0) {
                return 0;
              }
              a = Integer.divideUnsigned(a, s);
            }
            case 0x40 -> a |= s;
            case 0x50 -> a &= s;
            case 0x60 -> a = (s & 0xffffffffL) >= 32 ? 0 : a << s;
            case 0x70 -> a = (s & 0xffffffffL) >= 32 ? 0 : a >>> s;
            case 0x80 -> a = -a;
            case 0x90 -> {
              if (s == 0) {
                return 0;
              }
              a = Integer.remainderUnsigned(a, s);
            }
            case 0xa0 -> a ^= s;
            default -> {
              return 0;
            }
          }
        }
        case 0x05 -> { // JMP
          int op = code & 0xf0;
          if (op == 0x00) {
            pc += k;
            continue;
          }
          int s = (code & 0x08) != 0 ? x : k;
          boolean t =
              switch (op) {
                case 0x10 -> a == s;
                case 0x20 -> Integer.compareUnsigned(a, s) > 0;
                case 0x30 -> Integer.compareUnsigned(a, s) >= 0;
                case 0x40 -> (a & s) != 0;
                default -> false;
              };
          pc += t ? c[i + 1] : c[i + 2];
        }
        case 0x06 -> { // RET
          int r = (code & 0x18) == 0x10 ? a : (code & 0x18) == 0x08 ? x : k;
          return r < 0 ? Integer.MAX_VALUE : r;
        }
        default -> { // MISC: TAX / TXA
          if ((code & 0xf8) == 0x80) {
            a = x;
          } else {
            x = a;
          }
        }
      }
    }
    return 0;
  }
}
