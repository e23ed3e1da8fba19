package dev.vigil.agent.bpf;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The flyweight getters read the fields their layouts name (events built by hand). */
class EventViewsTest {

  private static long at(StructLayout l, String... path) {
    var elems = new java.lang.foreign.MemoryLayout.PathElement[path.length];
    for (int i = 0; i < path.length; i++) {
      elems[i] = groupElement(path[i]);
    }
    return l.byteOffset(elems);
  }

  private static void header(MemorySegment s, StructLayout l, int kind) {
    s.set(JAVA_INT, at(l, "h", "kind"), kind);
    s.set(JAVA_INT, at(l, "h", "pid"), 101);
    s.set(JAVA_INT, at(l, "h", "tgid"), 100);
    s.set(JAVA_INT, at(l, "h", "ppid"), 1);
    s.set(JAVA_INT, at(l, "h", "uid"), -2); // 4294967294 unsigned
    s.set(JAVA_INT, at(l, "h", "gid"), 7);
    s.set(JAVA_LONG, at(l, "h", "ktime_ns"), 123456789L);
    s.set(JAVA_LONG, at(l, "h", "cgroup_id"), 4242L);
    byte[] comm = "exactly16chars!!".getBytes(StandardCharsets.US_ASCII);
    MemorySegment.copy(comm, 0, s, JAVA_BYTE, at(l, "h", "comm"), 16);
  }

  @Test
  void execHeaderFilenameAndArgs() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment s = a.allocate(ExecEvent.LAYOUT);
      header(s, ExecEvent.LAYOUT, EventHeader.KIND_EXEC);
      s.setString(at(ExecEvent.LAYOUT, "filename"), "/usr/bin/env");
      s.set(JAVA_INT, at(ExecEvent.LAYOUT, "filename_len"), 12);
      byte[] args = "env\0-i\0FOO=bar\0".getBytes(StandardCharsets.US_ASCII);
      MemorySegment.copy(args, 0, s, JAVA_BYTE, at(ExecEvent.LAYOUT, "args"), args.length);
      s.set(JAVA_INT, at(ExecEvent.LAYOUT, "args_len"), args.length);
      s.set(
          java.lang.foreign.ValueLayout.JAVA_LONG, at(ExecEvent.LAYOUT, "exe_ino"), 0x1_0000_0007L);
      ExecEvent e = (ExecEvent) new ExecEvent().wrap(s);
      assertThat(EventHeader.kindOf(s)).isEqualTo(EventHeader.KIND_EXEC);
      assertThat(e.pid()).isEqualTo(101);
      assertThat(e.tgid()).isEqualTo(100);
      assertThat(e.ppid()).isEqualTo(1);
      assertThat(e.uid()).isEqualTo(4294967294L);
      assertThat(e.gid()).isEqualTo(7);
      assertThat(e.ktimeNs()).isEqualTo(123456789L);
      assertThat(e.cgroupId()).isEqualTo(4242L);
      assertThat(e.comm()).isEqualTo("exactly16chars!!");
      assertThat(e.filename()).isEqualTo("/usr/bin/env");
      assertThat(e.args()).containsExactly("env", "-i", "FOO=bar");
      assertThat(e.exeInode()).isEqualTo(0x1_0000_0007L);
    }
  }

  @Test
  void exitStatusDecoding() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment s = a.allocate(ExitEvent.LAYOUT);
      header(s, ExitEvent.LAYOUT, EventHeader.KIND_EXIT);
      ExitEvent e = (ExitEvent) new ExitEvent().wrap(s);
      s.set(JAVA_INT, at(ExitEvent.LAYOUT, "exit_code"), 3 << 8);
      assertThat(e.exitCode()).isEqualTo(3);
      assertThat(e.signal()).isZero();
      s.set(JAVA_INT, at(ExitEvent.LAYOUT, "exit_code"), 9);
      assertThat(e.exitCode()).isEqualTo(-1);
      assertThat(e.signal()).isEqualTo(9);
    }
  }

  @Test
  void sockAddressesPortsAndOps() throws Exception {
    try (Arena a = Arena.ofConfined()) {
      StructLayout l = SockEvent.LAYOUT;
      MemorySegment s = a.allocate(l);
      header(s, l, EventHeader.KIND_SOCK);
      s.set(JAVA_INT, at(l, "op"), SockEvent.OP_CONNECT);
      s.set(JAVA_INT, at(l, "oldstate"), 7);
      s.set(JAVA_INT, at(l, "newstate"), 2);
      s.set(JAVA_SHORT, at(l, "family"), (short) SockEvent.AF_INET6);
      s.set(JAVA_SHORT, at(l, "sport"), (short) 50000);
      s.set(JAVA_SHORT, at(l, "dport"), (short) 443);
      byte[] v6 = InetAddress.getByName("2001:db8::7").getAddress();
      MemorySegment.copy(v6, 0, s, JAVA_BYTE, at(l, "daddr"), 16);
      SockEvent e = (SockEvent) new SockEvent().wrap(s);
      assertThat(e.op()).isEqualTo(SockEvent.OP_CONNECT);
      assertThat(SockEvent.opName(e.op())).isEqualTo("connect");
      assertThat(e.oldState()).isEqualTo(7);
      assertThat(e.newState()).isEqualTo(2);
      assertThat(e.sport()).isEqualTo(50000);
      assertThat(e.dport()).isEqualTo(443);
      assertThat(e.daddr()).isEqualTo(InetAddress.getByName("2001:db8::7"));
      assertThat(e.saddr()).isEqualTo(InetAddress.getByName("::"));

      s.set(JAVA_SHORT, at(l, "family"), (short) SockEvent.AF_INET);
      MemorySegment.copy(new byte[] {10, 1, 2, 3}, 0, s, JAVA_BYTE, at(l, "saddr"), 4);
      assertThat(e.saddr()).isEqualTo(InetAddress.getByName("10.1.2.3"));
    }
  }

  @Test
  void aShortRecordIsRejected() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment s = a.allocate(EventHeader.LAYOUT.byteSize() + 8);
      assertThatThrownBy(() -> new ExecEvent().wrap(s))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("shorter than 840");
    }
  }
}
