package dev.vigil.agent.bpf;

/** A BPF object could not be opened, loaded, verified or attached; the message says why. */
public final class BpfException extends Exception {
  public BpfException(String message) {
    super(message);
  }

  public BpfException(String message, Throwable cause) {
    super(message, cause);
  }
}
