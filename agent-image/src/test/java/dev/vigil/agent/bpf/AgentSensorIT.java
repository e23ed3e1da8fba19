package dev.vigil.agent.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads the real BPF object into the running kernel and checks that events for processes this test
 * starts arrive with the right pid, comm, arguments, exit code and addresses. Needs root, kernel
 * BTF and tracefs (mounted if missing); fails, never skips, when they are absent.
 */
class AgentSensorIT {
  private static final CapturedEvent.Recorder RECORDER = new CapturedEvent.Recorder();
  private static final AtomicBoolean RUNNING = new AtomicBoolean(true);
  private static AgentSensor sensor;
  private static Thread poller;

  @BeforeAll
  static void load() throws Exception {
    sensor = AgentSensor.load(Path.of(System.getProperty("vigil.bpf.object")), RECORDER);
    poller =
        Thread.ofPlatform()
            .name("bpf-poll")
            .start(
                () -> {
                  while (RUNNING.get()) {
                    try {
                      sensor.poll(50);
                    } catch (BpfException e) {
                      throw new IllegalStateException(e);
                    }
                  }
                });
  }

  @AfterAll
  static void unload() throws InterruptedException {
    RUNNING.set(false);
    if (poller != null) {
      poller.join();
    }
    if (sensor != null) {
      assertThat(sensor.sinkFailure()).isNull();
      assertThat(sensor.malformed()).isZero();
      sensor.close();
    }
  }

  @Test
  void attachesEveryTracepointProgram() {
    assertThat(sensor.attachedPrograms()).containsExactlyInAnyOrderElementsOf(AgentSensor.PROGRAMS);
  }

  @Test
  void execForkAndExitOfBinTrue() throws Exception {
    Process p = new ProcessBuilder("/bin/true").start();
    int pid = (int) p.pid();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long self = ProcessHandle.current().pid();

    // The JDK spawns jspawnhelper, which then execs the target under the same pid.
    CapturedEvent exec =
        await(
            e ->
                e.kind() == EventHeader.KIND_EXEC
                    && e.tgid() == pid
                    && e.filename().equals("/bin/true"));
    assertThat(exec.comm()).isEqualTo("true");
    assertThat(exec.args()).containsExactly("/bin/true");
    assertThat(exec.ppid()).isEqualTo(self);
    assertThat(exec.uid()).isZero();

    CapturedEvent fork = await(e -> e.kind() == EventHeader.KIND_FORK && e.childPid() == pid);
    assertThat(fork.tgid()).isEqualTo(self);

    CapturedEvent exit = await(e -> e.kind() == EventHeader.KIND_EXIT && e.tgid() == pid);
    assertThat(exit.comm()).isEqualTo("true");
    assertThat(exit.exitCode()).isZero();
  }

  @Test
  void exitCodeAndArgumentsOfAShell() throws Exception {
    Process p = new ProcessBuilder("/bin/sh", "-c", "exit 3").start();
    int pid = (int) p.pid();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(3);

    CapturedEvent exec =
        await(
            e ->
                e.kind() == EventHeader.KIND_EXEC
                    && e.tgid() == pid
                    && e.filename().equals("/bin/sh"));
    assertThat(exec.args()).containsExactly("/bin/sh", "-c", "exit 3");
    CapturedEvent exit = await(e -> e.kind() == EventHeader.KIND_EXIT && e.tgid() == pid);
    assertThat(exit.exitCode()).isEqualTo(3);
  }

  @Test
  void tcpConnectAcceptAndCloseOnLoopback() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(lo, 0));
      int port = server.getLocalPort();
      Process p =
          new ProcessBuilder(
                  "/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port + "; echo hi >&3")
              .start();
      int pid = (int) p.pid();
      int clientPort;
      try (Socket accepted = server.accept()) {
        clientPort = accepted.getPort();
        assertThat(accepted.getInputStream().read()).isEqualTo('h');
      }
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();

      CapturedEvent connect =
          await(
              e ->
                  e.kind() == EventHeader.KIND_SOCK
                      && e.op() == SockEvent.OP_CONNECT
                      && e.tgid() == pid);
      assertThat(connect.comm()).isEqualTo("bash");
      assertThat(connect.daddr()).isEqualTo(lo);
      assertThat(connect.dport()).isEqualTo(port);
      // SYN_SENT is entered before the kernel picks the source port, so sport is still 0 here.

      CapturedEvent established =
          await(
              e ->
                  e.kind() == EventHeader.KIND_SOCK
                      && e.op() == SockEvent.OP_ESTABLISHED
                      && e.sport() == clientPort);
      assertThat(established.tgid()).isEqualTo(pid);
      assertThat(established.dport()).isEqualTo(port);

      CapturedEvent accept =
          await(
              e ->
                  e.kind() == EventHeader.KIND_SOCK
                      && e.op() == SockEvent.OP_ACCEPT
                      && e.sport() == port
                      && e.dport() == clientPort);
      assertThat(accept.saddr()).isEqualTo(lo);
      // reported when accept(2) returned it, in the accepting process (this JVM), not in softirq
      assertThat(accept.tgid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(accept.comm()).isNotEmpty();

      CapturedEvent close =
          await(
              e ->
                  e.kind() == EventHeader.KIND_SOCK
                      && e.op() == SockEvent.OP_CLOSE
                      && e.sport() == clientPort
                      && e.dport() == port);
      assertThat(close.tgid()).isEqualTo(pid);
    }
  }

  @Test
  void tcpConnectOverIpv6Loopback() throws Exception {
    InetAddress lo6 = InetAddress.getByName("::1");
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(lo6, 0));
      int port = server.getLocalPort();
      Process p =
          new ProcessBuilder("/bin/bash", "-c", "exec 3<>/dev/tcp/::1/" + port + "; echo hi >&3")
              .start();
      int pid = (int) p.pid();
      try (Socket accepted = server.accept()) {
        assertThat(accepted.getInputStream().read()).isEqualTo('h');
      }
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      CapturedEvent connect =
          await(
              e ->
                  e.kind() == EventHeader.KIND_SOCK
                      && e.op() == SockEvent.OP_CONNECT
                      && e.tgid() == pid);
      assertThat(connect.daddr()).isEqualTo(lo6);
      assertThat(connect.dport()).isEqualTo(port);
    }
  }

  @Test
  void loopbackIsDroppedInTheKernelByDefault() throws Exception {
    InetAddress local =
        java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
            .filter(
                i -> {
                  try {
                    return i.isUp() && !i.isLoopback();
                  } catch (java.net.SocketException e) {
                    return false;
                  }
                })
            .flatMap(java.net.NetworkInterface::inetAddresses)
            .filter(a -> a instanceof java.net.Inet4Address)
            .findFirst()
            .orElseThrow(() -> new AssertionError("this test needs a non-loopback IPv4 address"));
    CapturedEvent.Recorder own = new CapturedEvent.Recorder();
    try (AgentSensor filtered =
            AgentSensor.load(
                Path.of(System.getProperty("vigil.bpf.object")), own, AgentSensor.Options.DEFAULT);
        ServerSocket lo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        ServerSocket nonLo = new ServerSocket(0, 5, local)) {
      try (Socket c = new Socket(InetAddress.getLoopbackAddress(), lo.getLocalPort());
          Socket a = lo.accept()) {
        assertThat(a.isConnected()).isTrue();
      }
      // Same ring buffer, later submission: once this one is seen, the loopback one would be too.
      try (Socket c = new Socket(local, nonLo.getLocalPort());
          Socket a = nonLo.accept()) {
        assertThat(a.isConnected()).isTrue();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      Predicate<CapturedEvent> nonLoopbackConnect =
          e ->
              e.kind() == EventHeader.KIND_SOCK
                  && e.op() == SockEvent.OP_CONNECT
                  && e.dport() == nonLo.getLocalPort();
      while (own.events.stream().noneMatch(nonLoopbackConnect) && System.nanoTime() < deadline) {
        filtered.poll(50);
      }
      assertThat(own.events).anyMatch(nonLoopbackConnect);
      assertThat(own.events)
          .filteredOn(e -> e.kind() == EventHeader.KIND_SOCK)
          .noneMatch(e -> e.daddr().isLoopbackAddress() || e.saddr().isLoopbackAddress());
      assertThat(own.events)
          .anyMatch(
              e ->
                  e.kind() == EventHeader.KIND_SOCK
                      && e.op() == SockEvent.OP_ACCEPT
                      && e.sport() == nonLo.getLocalPort()
                      && e.tgid() == ProcessHandle.current().pid());
    }
  }

  static CapturedEvent await(Predicate<CapturedEvent> match) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (CapturedEvent e : RECORDER.events) {
        if (match.test(e)) {
          return e;
        }
      }
      Thread.sleep(20);
    }
    List<CapturedEvent> seen = RECORDER.events.stream().toList();
    throw new AssertionError(
        "no matching event within 10 s; "
            + seen.size()
            + " events seen, last: "
            + seen.subList(Math.max(0, seen.size() - 10), seen.size()));
  }
}
