package dev.vigil.agent.bpf;

/**
 * Receives agent events on the polling thread. Each view is only valid during the call: the ring
 * buffer slot is released when the method returns, so copy what must outlive it.
 */
public interface EventSink {
  void onExec(ExecEvent e);

  void onExit(ExitEvent e);

  void onFork(ForkEvent e);

  void onSock(SockEvent e);
}
