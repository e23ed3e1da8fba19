package dev.vigil.agent.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Flyweight over {@code struct sock_event} (sock:inet_sock_set_state, TCP only).
 *
 * <pre>
 *  +-------------------------------------------+   0
 *  | event_header h (56)                       |
 *  +-------------------------------------------+  56
 *  | skaddr (64)                               |
 *  +----------+----------+----------+----------+  64
 *  | op       | oldstate | newstate |             76
 *  +----------+----------+----------+----------+  76
 *  | family16 | sport16  | dport16  | pad16    |   ports in host order
 *  +-------------------------------------------+  84
 *  | saddr[16] (IPv4 in the first 4 bytes)     |
 *  +-------------------------------------------+ 100
 *  | daddr[16]                                 |
 *  +-------------------------------------------+ 116 (+4 tail padding = 120)
 * </pre>
 */
public final class SockEvent extends EventHeader {
  public static final int OP_CONNECT = 1;
  public static final int OP_ESTABLISHED = 2;
  public static final int OP_ACCEPT = 3;
  public static final int OP_CLOSE = 4;
  public static final int OP_LISTEN = 5;
  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;

  public static final StructLayout LAYOUT =
      MemoryLayout.structLayout(
              EventHeader.LAYOUT.withName("h"),
              JAVA_LONG_UNALIGNED.withName("skaddr"),
              JAVA_INT_UNALIGNED.withName("op"),
              JAVA_INT_UNALIGNED.withName("oldstate"),
              JAVA_INT_UNALIGNED.withName("newstate"),
              JAVA_SHORT_UNALIGNED.withName("family"),
              JAVA_SHORT_UNALIGNED.withName("sport"),
              JAVA_SHORT_UNALIGNED.withName("dport"),
              JAVA_SHORT_UNALIGNED.withName("pad"),
              MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("saddr"),
              MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("daddr"),
              MemoryLayout.paddingLayout(4))
          .withName("sock_event");

  static final long SKADDR = off(LAYOUT, "skaddr");
  static final long OP = off(LAYOUT, "op");
  static final long OLDSTATE = off(LAYOUT, "oldstate");
  static final long NEWSTATE = off(LAYOUT, "newstate");
  static final long FAMILY = off(LAYOUT, "family");
  static final long SPORT = off(LAYOUT, "sport");
  static final long DPORT = off(LAYOUT, "dport");
  static final long SADDR = off(LAYOUT, "saddr");
  static final long DADDR = off(LAYOUT, "daddr");

  @Override
  protected long minimumSize() {
    return LAYOUT.byteSize();
  }

  public long skaddr() {
    return segment.get(JAVA_LONG_UNALIGNED, SKADDR);
  }

  public int op() {
    return segment.get(JAVA_INT_UNALIGNED, OP);
  }

  public int oldState() {
    return segment.get(JAVA_INT_UNALIGNED, OLDSTATE);
  }

  public int newState() {
    return segment.get(JAVA_INT_UNALIGNED, NEWSTATE);
  }

  public int family() {
    return Short.toUnsignedInt(segment.get(JAVA_SHORT_UNALIGNED, FAMILY));
  }

  public int sport() {
    return Short.toUnsignedInt(segment.get(JAVA_SHORT_UNALIGNED, SPORT));
  }

  public int dport() {
    return Short.toUnsignedInt(segment.get(JAVA_SHORT_UNALIGNED, DPORT));
  }

  /** Raw address bytes: 4 for AF_INET, 16 for AF_INET6. */
  public byte[] saddrBytes() {
    return addr(SADDR);
  }

  public byte[] daddrBytes() {
    return addr(DADDR);
  }

  public InetAddress saddr() {
    return inet(saddrBytes());
  }

  public InetAddress daddr() {
    return inet(daddrBytes());
  }

  private byte[] addr(long off) {
    byte[] b = new byte[family() == AF_INET ? 4 : 16];
    MemorySegment.copy(segment, JAVA_BYTE, off, b, 0, b.length);
    return b;
  }

  private static InetAddress inet(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // only for bad lengths, which addr() never makes
    }
  }

  public static String opName(int op) {
    return switch (op) {
      case OP_CONNECT -> "connect";
      case OP_ESTABLISHED -> "established";
      case OP_ACCEPT -> "accept";
      case OP_CLOSE -> "close";
      case OP_LISTEN -> "listen";
      default -> "op" + op;
    };
  }
}
