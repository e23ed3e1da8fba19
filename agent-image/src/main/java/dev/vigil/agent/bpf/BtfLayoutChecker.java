package dev.vigil.agent.bpf;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares the Java layouts of the event structs with the struct layouts in the compiled BPF
 * object's BTF (after tetragon's {@code pkg/alignchecker}). Every named member must exist on both
 * sides with the same byte offset and size, nested structs are checked member by member, and the
 * total sizes must agree. The agent refuses to load an object that does not match.
 */
public final class BtfLayoutChecker {
  private BtfLayoutChecker() {}

  /** The C struct name for each Java view of the agent's object. */
  public static final Map<String, StructLayout> AGENT_STRUCTS =
      Map.of(
          "event_header", EventHeader.LAYOUT,
          "exec_event", ExecEvent.LAYOUT,
          "exit_event", ExitEvent.LAYOUT,
          "fork_event", ForkEvent.LAYOUT,
          "sock_event", SockEvent.LAYOUT);

  /** Returns every mismatch, empty when the layouts agree. */
  public static List<String> check(Btf btf, Map<String, StructLayout> structs) {
    List<String> problems = new ArrayList<>();
    structs.forEach(
        (cname, layout) -> {
          Optional<Btf.Struct> s = btf.struct(cname);
          if (s.isEmpty()) {
            problems.add("struct " + cname + " is not in the object's BTF");
          } else {
            compare(btf, cname, s.get(), layout, problems);
          }
        });
    return problems;
  }

  public static void verify(Btf btf) throws BpfException {
    List<String> problems = check(btf, AGENT_STRUCTS);
    if (!problems.isEmpty()) {
      throw new BpfException("Java event views disagree with the BPF object: " + problems);
    }
  }

  private static void compare(
      Btf btf, String path, Btf.Struct s, GroupLayout layout, List<String> problems) {
    if (s.size() != layout.byteSize()) {
      problems.add(
          path + ": size is " + s.size() + " in BTF but " + layout.byteSize() + " in Java");
    }
    long javaOffset = 0;
    List<String> javaNames = new ArrayList<>();
    for (MemoryLayout m : layout.memberLayouts()) {
      long at = javaOffset;
      javaOffset += m.byteSize();
      if (m instanceof PaddingLayout || m.name().isEmpty()) {
        continue;
      }
      String name = m.name().get();
      javaNames.add(name);
      Optional<Btf.Member> bm = s.member(name);
      if (bm.isEmpty()) {
        problems.add(path + "." + name + ": in Java but not in BTF");
        continue;
      }
      Btf.Member b = bm.get();
      if (b.bitfield()) {
        problems.add(path + "." + name + ": is a bitfield in BTF");
      }
      if (b.offset() != at) {
        problems.add(
            path + "." + name + ": offset " + b.offset() + " in BTF but " + at + " in Java");
      }
      if (b.size() != m.byteSize()) {
        problems.add(
            path + "." + name + ": size " + b.size() + " in BTF but " + m.byteSize() + " in Java");
      }
      if (m instanceof GroupLayout g) {
        Optional<Btf.Struct> nested = btf.structOf(b.typeId());
        if (nested.isEmpty()) {
          problems.add(path + "." + name + ": a struct in Java but not in BTF");
        } else {
          compare(btf, path + "." + name, nested.get(), g, problems);
        }
      }
    }
    for (Btf.Member b : s.members()) {
      if (!javaNames.contains(b.name())) {
        problems.add(path + "." + b.name() + ": in BTF but not in Java");
      }
    }
  }
}
