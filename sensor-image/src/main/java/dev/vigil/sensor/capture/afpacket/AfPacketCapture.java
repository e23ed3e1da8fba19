package dev.vigil.sensor.capture.afpacket;

import static dev.vigil.sensor.capture.afpacket.LinuxNative.*;

import dev.vigil.sensor.capture.Bpf;
import dev.vigil.sensor.capture.LiveCapture;
import dev.vigil.sensor.capture.PacketHandler;
import dev.vigil.sensor.decode.LinkTypes;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Live capture from a Linux interface through an AF_PACKET TPACKET_V3 receive ring, optionally
 * joined to a PACKET_FANOUT (hash) group so several workers split the traffic by flow.
 *
 * <p>The kernel fills blocks of the mmap'd ring; this reader walks a ready block's packets in place
 * (memory reads, no system call, no allocation), copies each frame into one reused array for the
 * decoders, and hands the block back by writing its status word. The only native call on the data
 * path is {@code poll}, once per block that is not ready yet.
 *
 * <pre>
 *  Block descriptor (struct tpacket_block_desc, at the start of each block):
 *    0 version (4)  4 offset_to_priv (4)  8 block_status (4)  12 num_pkts (4)
 *   16 offset_to_first_pkt (4)  20 blk_len (4)  24 seq_num (8)  32 ts_first, 44 ts_last
 *  Packet header (struct tpacket3_hdr):
 *    0 tp_next_offset (4)  4 tp_sec (4)  8 tp_nsec (4)  12 tp_snaplen (4)  16 tp_len (4)
 *   20 tp_status (4)  24 tp_mac (2)  26 tp_net (2)  28 tp_rxhash (4)  32 tp_vlan_tci (4)
 *   36 tp_vlan_tpid (2)
 * </pre>
 *
 * VLAN tags the NIC stripped (TP_STATUS_VLAN_VALID) are put back into the copied frame, so the
 * decoders see the wire format.
 */
public final class AfPacketCapture implements LiveCapture {
  static final int TP_STATUS_KERNEL = 0;
  static final int TP_STATUS_USER = 1;
  static final int TP_STATUS_VLAN_VALID = 0x10;
  static final int TP_STATUS_VLAN_TPID_VALID = 0x40;
  static final int SLL_OFFSET = 48;
  static final byte PACKET_OUTGOING = 4;
  static final short ARPHRD_LOOPBACK = 772;
  static final int BLK_STATUS = 8;
  static final int BLK_NUM_PKTS = 12;
  static final int BLK_FIRST = 16;
  static final int SOL_SOCKET = 1;
  static final int SO_ATTACH_FILTER = 26;

  private final String iface;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment callState;
  private final MemorySegment pollFd;
  private final int fd;
  private final MemorySegment ring;
  private final int blockSize;
  private final int blockCount;
  private final byte[] frame;

  private int block;
  private int remainingInBlock = -1;
  private long pktOffset;
  private volatile boolean closed;

  /**
   * @param fanoutGroup PACKET_FANOUT group id shared by the workers of one sensor, or -1 for none
   */
  public AfPacketCapture(
      String iface, int fanoutGroup, int blockSize, int blockCount, int timeoutMs)
      throws IOException {
    this(iface, fanoutGroup, blockSize, blockCount, timeoutMs, null);
  }

  /**
   * @param filter attached to the socket (SO_ATTACH_FILTER) before it is bound, so the kernel drops
   *     what the program rejects and cuts each frame to the length it returns (the snap length);
   *     null for every frame whole
   */
  public AfPacketCapture(
      String iface, int fanoutGroup, int blockSize, int blockCount, int timeoutMs, Bpf filter)
      throws IOException {
    this.iface = iface;
    this.blockSize = blockSize;
    this.blockCount = blockCount;
    this.frame = new byte[65536 + 8];
    this.callState = callState(arena);
    try {
      int ifindex = (int) IF_NAMETOINDEX.invokeExact(callState, arena.allocateFrom(iface));
      if (ifindex == 0) {
        throw new IOException("no such interface: " + iface);
      }
      // Protocol 0: receive nothing until bind() names the interface and ETH_P_ALL, so no frame
      // of another interface slips into the ring while it is being set up.
      fd = (int) SOCKET.invokeExact(callState, AF_PACKET, SOCK_RAW, 0);
      check(fd, "socket(AF_PACKET) (needs CAP_NET_RAW)");
      setInt(PACKET_VERSION, TPACKET_V3, "PACKET_VERSION TPACKET_V3");
      if (filter != null) {
        check(
            (int)
                SETSOCKOPT.invokeExact(
                    callState, fd, SOL_SOCKET, SO_ATTACH_FILTER, filter.socketFilter(arena), 16),
            "SO_ATTACH_FILTER");
      }
      MemorySegment req = arena.allocate(28, 4);
      req.set(ValueLayout.JAVA_INT, 0, blockSize); // tp_block_size
      req.set(ValueLayout.JAVA_INT, 4, blockCount); // tp_block_nr
      req.set(ValueLayout.JAVA_INT, 8, 2048); // tp_frame_size (V3: only for frame_nr)
      req.set(ValueLayout.JAVA_INT, 12, (int) ((long) blockSize * blockCount / 2048));
      req.set(ValueLayout.JAVA_INT, 16, timeoutMs); // tp_retire_blk_tov
      req.set(ValueLayout.JAVA_INT, 20, 0); // tp_sizeof_priv
      req.set(ValueLayout.JAVA_INT, 24, 0); // tp_feature_req_word
      int rc = (int) SETSOCKOPT.invokeExact(callState, fd, SOL_PACKET, PACKET_RX_RING, req, 28);
      check(rc, "PACKET_RX_RING");
      long len = (long) blockSize * blockCount;
      MemorySegment addr =
          (MemorySegment)
              MMAP.invokeExact(
                  callState, MemorySegment.NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0L);
      if (addr.address() == -1L) {
        check(-1, "mmap of the ring");
      }
      ring = addr.reinterpret(len);
      MemorySegment sll = arena.allocate(20, 4);
      sll.set(ValueLayout.JAVA_SHORT, 0, (short) AF_PACKET);
      sll.set(ValueLayout.JAVA_SHORT, 2, htons(ETH_P_ALL));
      sll.set(ValueLayout.JAVA_INT, 4, ifindex);
      check((int) BIND.invokeExact(callState, fd, sll, 20), "bind to " + iface);
      MemorySegment mreq = arena.allocate(16, 4);
      mreq.set(ValueLayout.JAVA_INT, 0, ifindex);
      mreq.set(ValueLayout.JAVA_SHORT, 4, (short) PACKET_MR_PROMISC);
      check(
          (int) SETSOCKOPT.invokeExact(callState, fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq, 16),
          "PACKET_ADD_MEMBERSHIP promisc");
      if (fanoutGroup >= 0) {
        int arg = (fanoutGroup & 0xffff) | ((PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG) << 16);
        setInt(PACKET_FANOUT, arg, "PACKET_FANOUT");
      }
      pollFd = arena.allocate(8, 4);
      pollFd.set(ValueLayout.JAVA_INT, 0, fd);
      pollFd.set(ValueLayout.JAVA_SHORT, 4, (short) (POLLIN | POLLERR));
    } catch (IOException e) {
      arena.close();
      throw e;
    } catch (Throwable t) {
      arena.close();
      throw new IOException("AF_PACKET setup on " + iface + " failed: " + t, t);
    }
  }

  private void setInt(int opt, int value, String what) throws Throwable {
    MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
    v.set(ValueLayout.JAVA_INT, 0, value);
    check((int) SETSOCKOPT.invokeExact(callState, fd, SOL_PACKET, opt, v, 4), what);
  }

  private void check(int rc, String what) throws IOException {
    if (rc < 0) {
      int e = errno(callState);
      throw new IOException(what + " on " + iface + ": " + strerror(e));
    }
  }

  /**
   * Hands the next frame to {@code handler}. Returns true when a frame was delivered or the block
   * timeout passed without traffic (so the caller can check for shutdown); false once closed.
   */
  @Override
  public boolean next(PacketHandler handler) throws IOException {
    while (!closed) {
      long base = (long) block * blockSize;
      if (remainingInBlock < 0) {
        int status = ring.get(ValueLayout.JAVA_INT, base + BLK_STATUS);
        if ((status & TP_STATUS_USER) == 0) {
          if (!waitForBlock()) {
            return !closed;
          }
          continue;
        }
        java.lang.invoke.VarHandle.acquireFence();
        remainingInBlock = ring.get(ValueLayout.JAVA_INT, base + BLK_NUM_PKTS);
        pktOffset = base + Integer.toUnsignedLong(ring.get(ValueLayout.JAVA_INT, base + BLK_FIRST));
      }
      if (remainingInBlock == 0) {
        java.lang.invoke.VarHandle.releaseFence();
        ring.set(ValueLayout.JAVA_INT, base + BLK_STATUS, TP_STATUS_KERNEL);
        remainingInBlock = -1;
        block = (block + 1) % blockCount;
        continue;
      }
      long p = pktOffset;
      int next = ring.get(ValueLayout.JAVA_INT, p);
      long sec = Integer.toUnsignedLong(ring.get(ValueLayout.JAVA_INT, p + 4));
      long nsec = Integer.toUnsignedLong(ring.get(ValueLayout.JAVA_INT, p + 8));
      int snap = ring.get(ValueLayout.JAVA_INT, p + 12);
      int wire = ring.get(ValueLayout.JAVA_INT, p + 16);
      int status = ring.get(ValueLayout.JAVA_INT, p + 20);
      int mac = Short.toUnsignedInt(ring.get(ValueLayout.JAVA_SHORT, p + 24));
      remainingInBlock--;
      pktOffset = p + Integer.toUnsignedLong(next);
      // struct sockaddr_ll follows the 48-byte header: sll_hatype at +8, sll_pkttype at +10.
      if (ring.get(ValueLayout.JAVA_BYTE, p + SLL_OFFSET + 10) == PACKET_OUTGOING
          && ring.get(ValueLayout.JAVA_SHORT, p + SLL_OFFSET + 8) == ARPHRD_LOOPBACK) {
        continue; // loopback shows every frame twice, as sent and as received (libpcap too)
      }
      int cap = Math.max(0, Math.min(snap, frame.length - 8));
      int len;
      if ((status & TP_STATUS_VLAN_VALID) != 0 && cap >= 12) {
        int tci = ring.get(ValueLayout.JAVA_INT, p + 32) & 0xffff;
        int tpid =
            (status & TP_STATUS_VLAN_TPID_VALID) != 0
                ? Short.toUnsignedInt(ring.get(ValueLayout.JAVA_SHORT, p + 36))
                : 0x8100;
        MemorySegment.copy(ring, ValueLayout.JAVA_BYTE, p + mac, frame, 0, 12);
        frame[12] = (byte) (tpid >>> 8);
        frame[13] = (byte) tpid;
        frame[14] = (byte) (tci >>> 8);
        frame[15] = (byte) tci;
        MemorySegment.copy(ring, ValueLayout.JAVA_BYTE, p + mac + 12, frame, 16, cap - 12);
        len = cap + 4;
        wire += 4;
      } else {
        MemorySegment.copy(ring, ValueLayout.JAVA_BYTE, p + mac, frame, 0, cap);
        len = cap;
      }
      handler.onPacket(
          LinkTypes.ETHERNET, 0, sec * 1_000_000_000L + nsec, frame, 0, len, Math.max(wire, len));
      return true;
    }
    return false;
  }

  /** poll(2) until the current block is ready; false on timeout. */
  private boolean waitForBlock() throws IOException {
    try {
      pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
      int rc = (int) POLL.invokeExact(callState, pollFd, 1L, 100);
      if (rc < 0 && errno(callState) != 4 /* EINTR */) {
        check(rc, "poll");
      }
      return rc > 0;
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  /** Kernel counters since the last call: {packets, drops}. */
  @Override
  public long[] statistics() {
    try {
      MemorySegment st = arena.allocate(12, 4);
      MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
      len.set(ValueLayout.JAVA_INT, 0, 12);
      int rc = (int) GETSOCKOPT.invokeExact(callState, fd, SOL_PACKET, PACKET_STATISTICS, st, len);
      if (rc < 0) {
        return new long[] {0, 0};
      }
      return new long[] {
        Integer.toUnsignedLong(st.get(ValueLayout.JAVA_INT, 0)),
        Integer.toUnsignedLong(st.get(ValueLayout.JAVA_INT, 4))
      };
    } catch (Throwable t) {
      return new long[] {0, 0};
    }
  }

  @Override
  public String describe() {
    return "AF_PACKET TPACKET_V3 on " + iface + " (" + blockCount + " x " + blockSize + " bytes)";
  }

  /** Stops {@link #next}; call {@link #release} from the reading thread afterwards. */
  @Override
  public void stop() {
    closed = true;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    release();
  }

  private boolean released;

  /** Unmaps the ring and closes the socket. Only from the thread that called {@link #next}. */
  @Override
  public synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    try {
      int rc = (int) MUNMAP.invokeExact(callState, ring, ring.byteSize());
      rc = (int) CLOSE.invokeExact(callState, fd);
    } catch (Throwable ignored) {
      // best effort on teardown
    }
    arena.close();
  }
}
