package dev.vigil.agent.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's BPF "sensor": the programs and maps of {@code vigil_agent.bpf.o}, loaded, attached
 * and unloaded as one unit (after tetragon's {@code pkg/sensors}). Events arrive through the {@code
 * events} ring buffer; {@link #poll(int)} drives libbpf's {@code ring_buffer__poll}, whose callback
 * is an FFM upcall that dispatches flyweight views to an {@link EventSink}.
 *
 * <p>Not thread-safe: one thread polls; {@link #close()} from the same thread after polling stops.
 */
public final class AgentSensor implements AutoCloseable {
  public static final String RESOURCE = "/bpf/vigil_agent.bpf.o";
  public static final List<String> PROGRAMS =
      List.of(
          "handle_exec",
          "handle_exit",
          "handle_fork",
          "handle_inet_sock_set_state",
          "handle_accept_exit",
          "handle_accept4_exit");

  /**
   * What the kernel side reports; written into the object's {@code agent_config} map after load.
   */
  public record Options(boolean loopbackSockets) {
    /**
     * Loopback-to-loopback TCP dropped in the kernel (never a connect-back, and the most of it).
     */
    public static final Options DEFAULT = new Options(false);

    /** Everything, loopback included (tests, or a site that wants local connections logged). */
    public static final Options ALL = new Options(true);

    int flags() {
      return loopbackSockets ? 1 : 0;
    }
  }

  private final Arena arena = Arena.ofShared();
  private final EventSink sink;
  private final ExecEvent exec = new ExecEvent();
  private final ExitEvent exit = new ExitEvent();
  private final ForkEvent fork = new ForkEvent();
  private final SockEvent sock = new SockEvent();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final List<MemorySegment> links = new ArrayList<>();
  private final List<String> attached = new ArrayList<>();
  private MemorySegment object = MemorySegment.NULL;
  private MemorySegment ringBuffer = MemorySegment.NULL;
  private MemorySegment droppedMap = MemorySegment.NULL;
  private volatile Throwable sinkFailure;

  private AgentSensor(EventSink sink) {
    this.sink = sink;
  }

  /** Loads the object packaged in the agent's jar (copied to a temp file for libbpf). */
  public static AgentSensor loadPackaged(EventSink sink) throws BpfException {
    return loadPackaged(sink, Options.ALL);
  }

  /** Loads the packaged object with {@code options}. */
  public static AgentSensor loadPackaged(EventSink sink, Options options) throws BpfException {
    Path tmp;
    try (InputStream in = AgentSensor.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new BpfException(RESOURCE + " is not on the class path; build with ./mvnw package");
      }
      tmp = Files.createTempFile("vigil_agent", ".bpf.o");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new BpfException("cannot extract " + RESOURCE, e);
    }
    try {
      return load(tmp, sink, options);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }

  /**
   * Verifies the host, checks the Java views against the object's BTF, then opens, loads and
   * attaches every program. On any failure everything already loaded is released.
   */
  public static AgentSensor load(Path objectFile, EventSink sink) throws BpfException {
    return load(objectFile, sink, Options.ALL);
  }

  /** Like {@link #load(Path, EventSink)}, reporting what {@code options} selects. */
  public static AgentSensor load(Path objectFile, EventSink sink, Options options)
      throws BpfException {
    BpfEnvironment.prepare();
    try {
      BtfLayoutChecker.verify(Btf.fromElf(objectFile));
    } catch (IOException e) {
      throw new BpfException("cannot read BTF of " + objectFile, e);
    }
    AgentSensor s = new AgentSensor(sink);
    try {
      s.open(objectFile, options);
      return s;
    } catch (BpfException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void open(Path objectFile, Options options) throws BpfException {
    try {
      MemorySegment errno = Libbpf.captureSegment(arena);
      object =
          (MemorySegment)
              Libbpf.OBJECT_OPEN_FILE.invokeExact(
                  errno, arena.allocateFrom(objectFile.toString()), MemorySegment.NULL);
      if (object.equals(MemorySegment.NULL)) {
        object = MemorySegment.NULL;
        throw new BpfException(
            "bpf_object__open_file(" + objectFile + ") failed: errno " + Libbpf.errno(errno));
      }
      int rc = (int) Libbpf.OBJECT_LOAD.invokeExact(object);
      if (rc != 0) {
        throw new BpfException(
            "bpf_object__load failed: errno "
                + -rc
                + " (the verifier log is on stderr; root and kernel BTF are needed)");
      }
      // Settings go in before any program is attached, so no event is filtered the wrong way.
      MemorySegment config =
          (MemorySegment)
              Libbpf.OBJECT_FIND_MAP.invokeExact(object, arena.allocateFrom("agent_config"));
      if (config.equals(MemorySegment.NULL)) {
        throw new BpfException("object has no 'agent_config' map");
      }
      MemorySegment key = arena.allocate(JAVA_INT);
      MemorySegment value = arena.allocate(JAVA_INT);
      value.set(JAVA_INT, 0, options.flags());
      rc = (int) Libbpf.MAP_UPDATE_ELEM.invokeExact(config, key, 4L, value, 4L, 0L);
      if (rc != 0) {
        throw new BpfException("writing the 'agent_config' map failed: errno " + -rc);
      }
      MemorySegment prog = MemorySegment.NULL;
      while (true) {
        prog = (MemorySegment) Libbpf.OBJECT_NEXT_PROGRAM.invokeExact(object, prog);
        if (prog.equals(MemorySegment.NULL)) {
          break;
        }
        String name =
            ((MemorySegment) Libbpf.PROGRAM_NAME.invokeExact(prog)).reinterpret(256).getString(0);
        MemorySegment link = (MemorySegment) Libbpf.PROGRAM_ATTACH.invokeExact(errno, prog);
        if (link.equals(MemorySegment.NULL)) {
          throw new BpfException(
              "attaching "
                  + name
                  + " failed: errno "
                  + Libbpf.errno(errno)
                  + " (is tracefs mounted at /sys/kernel/tracing?)");
        }
        links.add(link);
        attached.add(name);
      }
      if (!attached.containsAll(PROGRAMS)) {
        throw new BpfException("object lacks programs: expected " + PROGRAMS + ", got " + attached);
      }
      MemorySegment events =
          (MemorySegment) Libbpf.OBJECT_FIND_MAP.invokeExact(object, arena.allocateFrom("events"));
      droppedMap =
          (MemorySegment) Libbpf.OBJECT_FIND_MAP.invokeExact(object, arena.allocateFrom("dropped"));
      if (events.equals(MemorySegment.NULL)) {
        throw new BpfException("object has no 'events' ring buffer map");
      }
      int fd = (int) Libbpf.MAP_FD.invokeExact(events);
      MethodHandle target =
          MethodHandles.lookup()
              .findVirtual(
                  AgentSensor.class,
                  "onSample",
                  MethodType.methodType(
                      int.class, MemorySegment.class, MemorySegment.class, long.class))
              .bindTo(this);
      MemorySegment stub = Libbpf.LINKER.upcallStub(target, Libbpf.SAMPLE_FN, arena);
      ringBuffer =
          (MemorySegment)
              Libbpf.RING_BUFFER_NEW.invokeExact(
                  errno, fd, stub, MemorySegment.NULL, MemorySegment.NULL);
      if (ringBuffer.equals(MemorySegment.NULL)) {
        ringBuffer = MemorySegment.NULL;
        throw new BpfException("ring_buffer__new failed: errno " + Libbpf.errno(errno));
      }
    } catch (BpfException | RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new BpfException("libbpf call failed", t);
    }
  }

  /** Upcall from libbpf; must never throw (an exception here would abort the JVM). */
  @SuppressWarnings("unused")
  private int onSample(MemorySegment ctx, MemorySegment data, long size) {
    try {
      MemorySegment event = data.reinterpret(size);
      received.incrementAndGet();
      if (size < EventHeader.LAYOUT.byteSize()) {
        malformed.incrementAndGet();
        return 0;
      }
      switch (EventHeader.kindOf(event)) {
        case EventHeader.KIND_EXEC -> sink.onExec((ExecEvent) exec.wrap(event));
        case EventHeader.KIND_EXIT -> sink.onExit((ExitEvent) exit.wrap(event));
        case EventHeader.KIND_FORK -> sink.onFork((ForkEvent) fork.wrap(event));
        case EventHeader.KIND_SOCK -> sink.onSock((SockEvent) sock.wrap(event));
        default -> malformed.incrementAndGet();
      }
    } catch (Throwable t) {
      if (sinkFailure == null) {
        sinkFailure = t;
      }
      malformed.incrementAndGet();
    }
    return 0;
  }

  /**
   * Waits up to {@code timeoutMs} for a wakeup, then hands every pending event to the sink. The BPF
   * side wakes the agent only once a batch has built up, so events that arrived without a wakeup
   * are drained here when the wait times out: latency is bounded by {@code timeoutMs}.
   *
   * @return the number of events consumed
   */
  public int poll(int timeoutMs) throws BpfException {
    int n;
    try {
      n = (int) Libbpf.RING_BUFFER_POLL.invokeExact(ringBuffer, timeoutMs);
      if (n == 0) {
        n = (int) Libbpf.RING_BUFFER_CONSUME.invokeExact(ringBuffer);
      }
    } catch (Throwable t) {
      throw new BpfException("ring_buffer__poll failed", t);
    }
    if (n < 0 && n != -4 /* EINTR */) {
      throw new BpfException("ring_buffer__poll failed: errno " + -n);
    }
    return Math.max(n, 0);
  }

  public List<String> attachedPrograms() {
    return List.copyOf(attached);
  }

  public long received() {
    return received.get();
  }

  public long malformed() {
    return malformed.get();
  }

  /** The first exception a sink threw, if any (the event was counted as malformed). */
  public Throwable sinkFailure() {
    return sinkFailure;
  }

  /** Events the kernel side could not reserve ring buffer space for, summed over CPUs. */
  public long dropped() {
    if (droppedMap.equals(MemorySegment.NULL)) {
      return 0;
    }
    try (Arena a = Arena.ofConfined()) {
      int cpus = (int) Libbpf.NUM_POSSIBLE_CPUS.invokeExact();
      MemorySegment key = a.allocate(JAVA_INT);
      MemorySegment values = a.allocate(JAVA_LONG, cpus);
      int rc =
          (int)
              Libbpf.MAP_LOOKUP_ELEM.invokeExact(
                  droppedMap, key, 4L, values, values.byteSize(), 0L);
      if (rc != 0) {
        return -1;
      }
      long sum = 0;
      for (int i = 0; i < cpus; i++) {
        sum += values.getAtIndex(JAVA_LONG, i);
      }
      return sum;
    } catch (Throwable t) {
      return -1;
    }
  }

  /** Detaches every program and frees the ring buffer and the object. Idempotent. */
  @Override
  public void close() {
    try {
      if (!ringBuffer.equals(MemorySegment.NULL)) {
        Libbpf.RING_BUFFER_FREE.invokeExact(ringBuffer);
        ringBuffer = MemorySegment.NULL;
      }
      for (MemorySegment link : links) {
        int ignored = (int) Libbpf.LINK_DESTROY.invokeExact(link);
      }
      links.clear();
      if (!object.equals(MemorySegment.NULL)) {
        Libbpf.OBJECT_CLOSE.invokeExact(object);
        object = MemorySegment.NULL;
      }
    } catch (Throwable t) {
      throw new IllegalStateException("releasing BPF resources failed", t);
    } finally {
      if (arena.scope().isAlive()) {
        arena.close();
      }
    }
  }
}
