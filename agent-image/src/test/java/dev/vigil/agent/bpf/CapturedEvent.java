package dev.vigil.agent.bpf;

import java.net.InetAddress;
import java.util.List;

/** A copy of one event, for tests that must look at it after the ring buffer slot is gone. */
record CapturedEvent(
    int kind,
    int pid,
    int tgid,
    int ppid,
    long uid,
    long cgroupId,
    String comm,
    String filename,
    List<String> args,
    int exitCode,
    int childPid,
    int op,
    InetAddress saddr,
    int sport,
    InetAddress daddr,
    int dport) {

  static final class Recorder implements EventSink {
    final java.util.concurrent.ConcurrentLinkedQueue<CapturedEvent> events =
        new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Override
    public void onExec(ExecEvent e) {
      events.add(
          new CapturedEvent(
              e.kind(),
              e.pid(),
              e.tgid(),
              e.ppid(),
              e.uid(),
              e.cgroupId(),
              e.comm(),
              e.filename(),
              e.args(),
              0,
              0,
              0,
              null,
              0,
              null,
              0));
    }

    @Override
    public void onExit(ExitEvent e) {
      events.add(
          new CapturedEvent(
              e.kind(),
              e.pid(),
              e.tgid(),
              e.ppid(),
              e.uid(),
              e.cgroupId(),
              e.comm(),
              null,
              List.of(),
              e.exitCode(),
              0,
              0,
              null,
              0,
              null,
              0));
    }

    @Override
    public void onFork(ForkEvent e) {
      events.add(
          new CapturedEvent(
              e.kind(),
              e.pid(),
              e.tgid(),
              e.ppid(),
              e.uid(),
              e.cgroupId(),
              e.comm(),
              null,
              List.of(),
              0,
              e.childPid(),
              0,
              null,
              0,
              null,
              0));
    }

    @Override
    public void onSock(SockEvent e) {
      events.add(
          new CapturedEvent(
              e.kind(),
              e.pid(),
              e.tgid(),
              e.ppid(),
              e.uid(),
              e.cgroupId(),
              e.comm(),
              null,
              List.of(),
              0,
              0,
              e.op(),
              e.saddr(),
              e.sport(),
              e.daddr(),
              e.dport()));
    }
  }
}
