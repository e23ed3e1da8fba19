package dev.vigil.agent.attrib;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * pid → {@link ProcessInfo}, fed by exec events and /proc. Exited processes stay for {@code
 * retainMillis} so late socket close events and alerts can still name them.
 */
public final class ProcessTable {
  private final ProcFs proc;
  private final Users users;
  private final CgroupAttribution cgroups;
  private final LongSupplier clock;
  private final long retainMillis;
  private CgroupIds cgroupIds;
  private final Map<Integer, ProcessInfo> byPid = new ConcurrentHashMap<>();
  private final Map<Integer, Long> exitedAt = new ConcurrentHashMap<>();

  public ProcessTable(
      ProcFs proc, Users users, CgroupAttribution cgroups, LongSupplier clock, long retainMillis) {
    this.proc = proc;
    this.users = users;
    this.cgroups = cgroups;
    this.clock = clock;
    this.retainMillis = retainMillis;
  }

  /** Also resolve workloads from the cgroup v2 id in BPF events (for tasks already gone). */
  public ProcessTable withCgroupIds(CgroupIds ids) {
    this.cgroupIds = ids;
    return this;
  }

  /**
   * Records an exec. The event's own fields win (the process may already be gone); the cgroup comes
   * from /proc when still readable, otherwise from the parent.
   */
  public ProcessInfo onExec(
      int pid, int ppid, long uid, String comm, String filename, List<String> args) {
    return onExec(pid, ppid, uid, comm, filename, args, 0);
  }

  /** Like above, with the cgroup v2 id the kernel saw at exec time. */
  public ProcessInfo onExec(
      int pid, int ppid, long uid, String comm, String filename, List<String> args, long cgroupId) {
    return onExec(pid, ppid, uid, comm, filename, args, cgroupId, 0);
  }

  /**
   * Like above, with the inode of the image the exec loaded ({@code exeInode}, 0 when unknown).
   * Events reach user space in batches, so by the time this runs the process may have exec'd again
   * (a {@code setpriv}, {@code su} or shell {@code exec} wrapper) and {@code /proc/<pid>} shows the
   * later image: {@code /proc/<pid>/exe} and {@code cmdline} are used only while the image there is
   * this exec's (same inode); otherwise the event's filename and argv stand alone. Uid and comm are
   * always the event's (the credentials this exec ran with).
   */
  public ProcessInfo onExec(
      int pid,
      int ppid,
      long uid,
      String comm,
      String filename,
      List<String> args,
      long cgroupId,
      long exeInode) {
    boolean sameImage =
        exeInode == 0 || proc.exeInode(pid).map(ino -> ino == exeInode).orElse(false);
    String exe = sameImage ? proc.exe(pid).orElse(filename) : filename;
    Workload w = best(workloadOf(pid), cgroupId, false).orElseGet(() -> parentWorkload(ppid));
    List<String> a =
        Redactor.args(args.isEmpty() && sameImage ? proc.cmdline(pid).orElse(List.of()) : args);
    ProcessInfo info =
        new ProcessInfo(pid, ppid, uid, users.name(uid), comm, exe, a, w, clock.getAsLong());
    byPid.put(pid, info);
    exitedAt.remove(pid);
    return info;
  }

  /** Info for a pid from the table, else from /proc; empty when neither knows it. */
  public Optional<ProcessInfo> lookup(int pid) {
    ProcessInfo known = byPid.get(pid);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<ProcFs.Status> st = proc.status(pid);
    if (st.isEmpty()) {
      return Optional.empty();
    }
    ProcFs.Status s = st.get();
    ProcessInfo info =
        new ProcessInfo(
            pid,
            s.ppid(),
            s.uid(),
            users.name(s.uid()),
            s.name(),
            proc.exe(pid).orElse(""),
            Redactor.args(proc.cmdline(pid).orElse(List.of())),
            workloadOf(pid).orElseGet(() -> parentWorkload(s.ppid())),
            clock.getAsLong());
    byPid.put(pid, info);
    return Optional.of(info);
  }

  /** Info for a pid, or a minimal record built from event fields when nothing else is known. */
  public ProcessInfo lookupOr(int pid, int ppid, long uid, String comm) {
    return lookup(pid)
        .orElseGet(
            () ->
                new ProcessInfo(
                    pid,
                    ppid,
                    uid,
                    users.name(uid),
                    comm,
                    "",
                    List.of(),
                    parentWorkload(ppid),
                    clock.getAsLong()));
  }

  /**
   * Re-reads the cgroup of a live process whose info is about to go into an alert: tasks can be
   * moved into a job's cgroup after their exec. Keeps the known info when /proc has no answer.
   */
  public ProcessInfo refreshWorkload(ProcessInfo p, long cgroupId) {
    Optional<Workload> now = best(workloadOf(p.pid()), cgroupId, true);
    if (now.isEmpty() || now.get().equals(p.workload())) {
      return p;
    }
    ProcessInfo updated =
        new ProcessInfo(
            p.pid(),
            p.ppid(),
            p.uid(),
            p.user(),
            p.comm(),
            p.exe(),
            p.args(),
            now.get(),
            p.seenAtMillis());
    byPid.put(p.pid(), updated);
    return updated;
  }

  public void onExit(int pid) {
    if (byPid.containsKey(pid)) {
      exitedAt.put(pid, clock.getAsLong());
    }
  }

  /** The chain of ancestors, nearest first, at most {@code depth} long, stopping at pid 1. */
  public List<ProcessInfo> parents(ProcessInfo of, int depth) {
    List<ProcessInfo> out = new ArrayList<>();
    int next = of.ppid();
    while (next > 0 && out.size() < depth) {
      Optional<ProcessInfo> p = lookup(next);
      if (p.isEmpty()) {
        break;
      }
      out.add(p.get());
      if (next == 1 || p.get().ppid() == next) {
        break;
      }
      next = p.get().ppid();
    }
    return out;
  }

  /** Drops processes that exited more than the retention ago; returns how many. */
  public int expire() {
    long now = clock.getAsLong();
    int n = 0;
    for (var e : exitedAt.entrySet()) {
      if (now - e.getValue() > retainMillis) {
        exitedAt.remove(e.getKey());
        byPid.remove(e.getKey());
        n++;
      }
    }
    return n;
  }

  public int size() {
    return byPid.size();
  }

  /**
   * /proc when it names a job or pod (it sees v1 and v2); else the event's cgroup v2 id when that
   * does (the task may be gone); else whatever /proc said.
   */
  private Optional<Workload> best(Optional<Workload> fromProc, long cgroupId, boolean urgent) {
    if (fromProc.isPresent() && fromProc.get().kind() != Workload.Kind.HOST) {
      return fromProc;
    }
    if (cgroupIds != null && cgroupId != 0) {
      Optional<Workload> byId =
          (urgent ? cgroupIds.pathUrgently(cgroupId) : cgroupIds.path(cgroupId))
              .map(path -> cgroups.attribute("0::" + path + "\n"));
      if (byId.isPresent() && byId.get().kind() != Workload.Kind.HOST) {
        return byId;
      }
    }
    return fromProc;
  }

  private Optional<Workload> workloadOf(int pid) {
    return proc.cgroup(pid).map(cgroups::attribute);
  }

  private Workload parentWorkload(int ppid) {
    ProcessInfo p = byPid.get(ppid);
    if (p != null) {
      return p.workload();
    }
    return proc.cgroup(ppid).map(cgroups::attribute).orElse(Workload.host("unknown"));
  }
}
