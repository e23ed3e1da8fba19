package dev.vigil.agent.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java event views against the BTF of the object this build compiled (no kernel needed). */
class BtfLayoutCheckerTest {
  private static Btf btf;

  @BeforeAll
  static void readObject() throws Exception {
    btf = Btf.fromElf(Path.of(System.getProperty("vigil.bpf.object")));
  }

  @Test
  void javaViewsMatchTheCompiledObject() {
    assertThat(BtfLayoutChecker.check(btf, BtfLayoutChecker.AGENT_STRUCTS)).isEmpty();
  }

  @Test
  void readsStructMembersFromBtf() {
    Btf.Struct sock = btf.struct("sock_event").orElseThrow();
    assertThat(sock.size()).isEqualTo(SockEvent.LAYOUT.byteSize());
    assertThat(sock.members())
        .extracting(Btf.Member::name)
        .containsExactly(
            "h",
            "skaddr",
            "op",
            "oldstate",
            "newstate",
            "family",
            "sport",
            "dport",
            "pad",
            "saddr",
            "daddr");
    assertThat(sock.member("daddr").orElseThrow().size()).isEqualTo(16);
    assertThat(btf.structOf(sock.member("h").orElseThrow().typeId()).orElseThrow().name())
        .isEqualTo("event_header");
  }

  @Test
  void reportsAShiftedFieldAMissingFieldAndASizeChange() {
    StructLayout wrong =
        MemoryLayout.structLayout(
            EventHeader.LAYOUT.withName("h"),
            JAVA_SHORT.withName("child_pid"),
            MemoryLayout.paddingLayout(2),
            JAVA_INT.withName("extra"));
    assertThat(BtfLayoutChecker.check(btf, Map.of("fork_event", wrong)))
        .containsExactlyInAnyOrder(
            "fork_event.child_pid: size 4 in BTF but 2 in Java",
            "fork_event.extra: in Java but not in BTF",
            "fork_event.pad: in BTF but not in Java");
  }

  @Test
  void reportsNestedMismatchAndUnknownStruct() {
    StructLayout header =
        MemoryLayout.structLayout(
            JAVA_INT.withName("kind"),
            JAVA_INT.withName("tgid"),
            JAVA_INT.withName("pid"),
            MemoryLayout.paddingLayout(44));
    StructLayout exit =
        MemoryLayout.structLayout(
            header.withName("h"), JAVA_INT.withName("exit_code"), JAVA_INT.withName("pad"));
    assertThat(BtfLayoutChecker.check(btf, Map.of("exit_event", exit)))
        .contains(
            "exit_event.h.tgid: offset 8 in BTF but 4 in Java",
            "exit_event.h.pid: offset 4 in BTF but 8 in Java",
            "exit_event.h.comm: in BTF but not in Java");
    assertThat(
            BtfLayoutChecker.check(
                btf, Map.of("no_such_event", MemoryLayout.structLayout(JAVA_BYTE.withName("x")))))
        .containsExactly("struct no_such_event is not in the object's BTF");
  }
}
