package dev.vigil.agent.cli;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.agent.attrib.CgroupAttribution;
import dev.vigil.agent.attrib.CgroupIds;
import dev.vigil.agent.attrib.ProcFs;
import dev.vigil.agent.attrib.ProcessInfo;
import dev.vigil.agent.attrib.ProcessTable;
import dev.vigil.agent.attrib.Users;
import dev.vigil.agent.bpf.AgentSensor;
import dev.vigil.agent.bpf.BpfException;
import dev.vigil.agent.bpf.EventSink;
import dev.vigil.agent.bpf.ExecEvent;
import dev.vigil.agent.bpf.ExitEvent;
import dev.vigil.agent.bpf.ForkEvent;
import dev.vigil.agent.bpf.SockEvent;
import dev.vigil.agent.detect.Alert;
import dev.vigil.agent.detect.ConnectBackDetector;
import dev.vigil.agent.detect.EcsAlerts;
import dev.vigil.agent.detect.MinerDetector;
import dev.vigil.agent.detect.PolicyHolder;
import dev.vigil.agent.detect.Suppressions;
import dev.vigil.agent.gpu.Nvml;
import dev.vigil.agent.log.EventLog;
import dev.vigil.agent.sample.JobSample;
import dev.vigil.agent.sample.Sampler;
import dev.vigil.common.schema.CommunityId;
import dev.vigil.common.schema.DataClass;
import dev.vigil.common.ship.Doc;
import dev.vigil.common.ship.Shipper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host agent: the BPF sensor's events, the 1-second sampler and the policy watcher, wired to
 * attribution, detectors and the JSON logs. Three threads: {@code bpf-poll} (ring buffer → logs and
 * event detectors), {@code sampler} (/proc → resource.log and the miner detector, then policy
 * reload), and the optional metrics HTTP server. With {@code --opensearch}, every alert (as an ECS
 * document, {@code <prefix>-alerts-*}) and every process, socket and resource line ({@code
 * <prefix>-host-*}) also goes to the shared {@link Shipper}, the same string as in the file.
 */
public final class Agent implements AutoCloseable {
  private final AgentConfig config;
  private final EventLog log;
  private final PolicyHolder policy;
  private final ProcessTable table;
  private final ConnectBackDetector connectBack;
  private final MinerDetector miner;
  private final Sampler sampler;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> suppressedCounts = new ConcurrentHashMap<>();
  private final Optional<Nvml> nvml;
  private final Shipper shipper;
  private final AtomicLong lastAlertMicros = new AtomicLong();
  private final PendingConnects connects = new PendingConnects(PendingConnects.HOLD_NANOS);
  private final PendingExecs execs = new PendingExecs(PendingExecs.HOLD_NANOS);
  private AgentSensor sensor;
  private Thread poller;
  private Thread sampling;
  private HttpServer metrics;

  public Agent(AgentConfig config) throws IOException {
    this.config = config;
    this.log = new EventLog(config.events());
    this.policy =
        new PolicyHolder(
            config.policy(),
            config.policyDir(),
            msg -> {
              count("policy_errors");
              agentLog("policy_error", Map.of("message", msg));
            });
    ProcFs proc = new ProcFs(config.proc());
    this.table =
        new ProcessTable(
                proc,
                new Users(config.passwd()),
                new CgroupAttribution(config.podLogs()),
                System::currentTimeMillis,
                30_000)
            .withCgroupIds(new CgroupIds(config.cgroupRoot(), System::currentTimeMillis, 1_000));
    this.connectBack = new ConnectBackDetector(config.node(), policy.get());
    this.miner = new MinerDetector(config.node(), policy.get());
    this.nvml = Nvml.open("libnvidia-ml.so.1");
    this.sampler =
        new Sampler(proc, config.cgroupRoot(), table, Runtime.getRuntime().availableProcessors())
            .withGpus(() -> nvml.map(Nvml::sample).orElse(List.of()));
    // Last, so nothing after it can fail and leave its threads running.
    this.shipper = config.opensearch() == null ? null : new Shipper(Shipping.config(config));
    if (shipper != null) {
      log.tap(this::shipHostLine);
    }
  }

  /** Loads the BPF sensor and starts the threads; throws when eBPF cannot be used. */
  public Agent start() throws BpfException, IOException {
    EventSink sink = new Events();
    AgentSensor.Options options = new AgentSensor.Options(config.loopbackSockets());
    sensor =
        config.bpfObject() != null
            ? AgentSensor.load(config.bpfObject(), sink, options)
            : AgentSensor.loadPackaged(sink, options);
    agentLog(
        "started",
        Map.of(
            "node",
            config.node(),
            "programs",
            sensor.attachedPrograms(),
            "loopback_sockets",
            config.loopbackSockets(),
            "policy",
            policy.file().map(Object::toString).orElse("defaults"),
            "policies",
            policy.sources(),
            "mode",
            policy.shadow() ? "shadow" : "enforce",
            "gpus",
            nvml.map(Nvml::deviceCount).orElse(0),
            "opensearch",
            config.opensearch() == null ? "off" : config.opensearch().toString()));
    poller = Thread.ofPlatform().name("bpf-poll").daemon().start(this::pollLoop);
    sampling = Thread.ofPlatform().name("sampler").daemon().start(this::sampleLoop);
    if (config.metricsPort() >= 0) {
      metrics = HttpServer.create(new InetSocketAddress(config.metricsPort()), 0);
      metrics.createContext(
          "/metrics",
          ex -> {
            byte[] body = prometheus().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
              o.write(body);
            }
          });
      metrics.start();
    }
    return this;
  }

  public int metricsPort() {
    return metrics == null ? -1 : metrics.getAddress().getPort();
  }

  private void pollLoop() {
    while (running.get()) {
      try {
        sensor.poll(100);
        long now = System.nanoTime();
        connects.expire(now).forEach(this::alert);
        execs.expire(now).forEach(this::alert);
        log.flush();
      } catch (BpfException | java.io.UncheckedIOException e) {
        agentLog("poll_error", Map.of("message", String.valueOf(e.getMessage())));
        return;
      }
    }
  }

  private void sampleLoop() {
    long next = System.currentTimeMillis();
    while (running.get()) {
      long now = System.currentTimeMillis();
      try {
        List<JobSample> samples = sampler.sample(now);
        Set<String> live = new HashSet<>();
        for (JobSample s : samples) {
          live.add(s.key());
          log.write(EventLog.RESOURCE, now, resourceLine(s));
          miner.onSample(s).ifPresent(this::alert);
        }
        miner.retain(live);
        log.flush();
        table.expire();
        if (policy.reloadIfChanged()) {
          connectBack.update(policy.get());
          miner.update(policy.get());
          count("policy_reloads");
          agentLog(
              "policy_reloaded",
              Map.of(
                  "generation",
                  policy.generation(),
                  "policies",
                  policy.sources(),
                  "mode",
                  policy.shadow() ? "shadow" : "enforce"));
        }
      } catch (RuntimeException e) {
        agentLog("sampler_error", Map.of("message", String.valueOf(e)));
      }
      next += config.sampleIntervalMillis();
      long sleep = next - System.currentTimeMillis();
      if (sleep < 0) {
        next = System.currentTimeMillis();
        continue;
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Map<String, Object> resourceLine(JobSample s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", config.node());
    m.put("key", s.key());
    m.put("workload", s.workload().toMap());
    m.put("cpu_fraction", Math.round(s.cpuFraction() * 1000) / 1000.0);
    m.put("cores", s.cores());
    m.put("rss_bytes", s.rssBytes());
    m.put("threads", s.threads());
    m.put("read_bytes", s.readBytes());
    m.put("write_bytes", s.writeBytes());
    if (s.cgroupCpuFraction() >= 0) {
      m.put("cgroup_cpu_fraction", Math.round(s.cgroupCpuFraction() * 1000) / 1000.0);
    }
    if (s.cgroupMemoryBytes() >= 0) {
      m.put("cgroup_memory_bytes", s.cgroupMemoryBytes());
    }
    if (s.gpuUtilPercent() >= 0) {
      m.put("gpu_util_percent", s.gpuUtilPercent());
      m.put("gpu_memory_bytes", s.gpuMemoryBytes());
    }
    m.put("pids", s.pids());
    s.top().ifPresent(t -> m.put("top_pid", t.pid()));
    return m;
  }

  private void alert(Alert a) {
    Optional<Suppressions.Suppression> suppressed =
        Suppressions.find(policy.suppressions(), a, config.node(), Instant.now());
    if (suppressed.isPresent()) {
      // known benign: counted per suppression and noted locally, neither notice.log nor shipped
      Suppressions.Suppression s = suppressed.get();
      suppressedCounts.computeIfAbsent(s.id(), k -> new AtomicLong()).incrementAndGet();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("note", a.note());
      m.put("pid", a.fields().get("pid"));
      m.put("suppression", s.id());
      m.put("reason", s.reason());
      m.put("msg", a.msg());
      agentLog("suppressed_alert", m);
      return;
    }
    if (policy.shadow()) {
      // mode: shadow — counted and logged locally, never a notice.log line nor shipped
      count("shadow_alerts_" + a.note());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("note", a.note());
      m.put("msg", a.msg());
      m.put("alert", a.fields());
      agentLog("shadow_alert", m);
      return;
    }
    count("alerts_" + a.note());
    Instant ts = alertTimestamp();
    EcsAlerts.Ecs ecs =
        EcsAlerts.toEcs(
            a, ts, config.node(), policy.severity(a.note()).orElse(EcsAlerts.severity(a.note())));
    String line = ecs.line();
    log.writeLine(EventLog.NOTICE, ts.toEpochMilli(), line);
    if (shipper != null) {
      offer(Doc.withId(DataClass.ALERTS, ts.toEpochMilli(), ecs.docId(), line));
    }
  }

  /**
   * Now, in microseconds, and strictly after the previous alert's time: two alerts of this agent
   * never share a timestamp, so their document ids (dedup key + timestamp) never collide.
   */
  private Instant alertTimestamp() {
    Instant now = Instant.now();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    long t = lastAlertMicros.accumulateAndGet(micros, (prev, x) -> Math.max(prev + 1, x));
    return Instant.ofEpochSecond(t / 1_000_000L, (t % 1_000_000L) * 1_000L);
  }

  private void shipHostLine(String stream, long epochMillis, String line) {
    switch (stream) {
      case EventLog.PROCESS, EventLog.SOCKET, EventLog.RESOURCE ->
          offer(Doc.of(DataClass.HOST, epochMillis, line));
      default -> {
        // notice.log is offered by alert() with its own id; agent.log stays local
      }
    }
  }

  private void offer(Doc doc) {
    if (shipper.offer(doc) == Shipper.Offer.REFUSED) {
      count("ship_refused_" + doc.dataClass().wireName());
    }
  }

  private void agentLog(String event, Map<String, Object> fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", event);
    m.putAll(fields);
    log.write(EventLog.AGENT, System.currentTimeMillis(), m);
    log.flush();
  }

  private void count(String name) {
    counters.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
  }

  /** Prometheus text exposition of the agent's counters. */
  public String prometheus() {
    StringBuilder b = new StringBuilder();
    b.append("# TYPE vigil_agent_events_total counter\n");
    for (String k : List.of("exec", "exit", "fork", "sock")) {
      b.append("vigil_agent_events_total{kind=\"")
          .append(k)
          .append("\"} ")
          .append(counter("events_" + k))
          .append('\n');
    }
    b.append("# TYPE vigil_agent_alerts_total counter\n");
    for (String k : List.of(Alert.CONNECT_BACK, Alert.SILENT_MINER, Alert.MINER_EXECUTABLE)) {
      b.append("vigil_agent_alerts_total{note=\"")
          .append(k)
          .append("\"} ")
          .append(counter("alerts_" + k))
          .append('\n');
    }
    b.append("# TYPE vigil_agent_shadow_alerts_total counter\n");
    for (String k : List.of(Alert.CONNECT_BACK, Alert.SILENT_MINER, Alert.MINER_EXECUTABLE)) {
      b.append("vigil_agent_shadow_alerts_total{note=\"")
          .append(k)
          .append("\"} ")
          .append(counter("shadow_alerts_" + k))
          .append('\n');
    }
    b.append("# TYPE vigil_agent_suppressed_alerts_total counter\n");
    for (Map.Entry<String, AtomicLong> e : new java.util.TreeMap<>(suppressedCounts).entrySet()) {
      b.append("vigil_agent_suppressed_alerts_total{suppression=\"")
          .append(e.getKey().replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\"} ")
          .append(e.getValue().get())
          .append('\n');
    }
    b.append("# TYPE vigil_agent_ringbuf_dropped_total counter\n");
    b.append("vigil_agent_ringbuf_dropped_total ")
        .append(sensor == null ? 0 : Math.max(0, sensor.dropped()))
        .append('\n');
    b.append("# TYPE vigil_agent_policy_reloads_total counter\n");
    b.append("vigil_agent_policy_reloads_total ").append(counter("policy_reloads")).append('\n');
    b.append("# TYPE vigil_agent_policy_errors_total counter\n");
    b.append("vigil_agent_policy_errors_total ").append(counter("policy_errors")).append('\n');
    b.append("# TYPE vigil_agent_processes gauge\n");
    b.append("vigil_agent_processes ").append(table.size()).append('\n');
    if (shipper != null) {
      for (Map.Entry<String, Long> e : shipper.metrics().snapshot().entrySet()) {
        b.append("# TYPE vigil_ship_")
            .append(e.getKey())
            .append(e.getKey().endsWith("_total") ? " counter\n" : " gauge\n");
        b.append("vigil_ship_").append(e.getKey()).append(' ').append(e.getValue()).append('\n');
      }
    }
    return b.toString();
  }

  private long counter(String name) {
    AtomicLong v = counters.get(name);
    return v == null ? 0 : v.get();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    if (metrics != null) {
      metrics.stop(0);
    }
    if (poller != null) {
      poller.join();
      connects.drain().forEach(this::alert); // held for their port: out without it, not lost
      execs.drain().forEach(this::alert); // held for a further exec: out as they are
    }
    if (sampling != null) {
      sampling.interrupt();
      sampling.join();
    }
    if (sensor != null) {
      sensor.close();
    }
    nvml.ifPresent(Nvml::close);
    if (shipper != null) {
      shipper.close(); // ships what it can within its close timeout, spools the rest
    }
    log.close();
  }

  /** BPF events → process table, logs, detectors. Runs on the poll thread. */
  private final class Events implements EventSink {
    @Override
    public void onExec(ExecEvent e) {
      count("events_exec");
      ProcessInfo p =
          table.onExec(
              e.tgid(),
              e.ppid(),
              e.uid(),
              e.comm(),
              e.filename(),
              e.args(),
              e.cgroupId(),
              e.exeInode());
      Map<String, Object> m = processLine("exec", p);
      m.put("filename", e.filename());
      m.put("parents", table.parents(p, 8).stream().map(Agent::brief).toList());
      log.write(EventLog.PROCESS, System.currentTimeMillis(), m);
      // held per process: a wrapper (setpriv, su, a shell's exec, or sudo forking the miner) and
      // the miner it starts are one launch, one alert, with the miner's own image and user
      execs
          .onExec(
              e.tgid(), e.ppid(), miner.onExec(p).map(a -> withParents(a, p)), System.nanoTime())
          .forEach(Agent.this::alert);
    }

    @Override
    public void onExit(ExitEvent e) {
      count("events_exit");
      ProcessInfo p = table.lookupOr(e.tgid(), e.ppid(), e.uid(), e.comm());
      Map<String, Object> m = processLine("exit", p);
      m.put("exit_code", e.exitCode());
      if (e.signal() != 0) {
        m.put("signal", e.signal());
      }
      log.write(EventLog.PROCESS, System.currentTimeMillis(), m);
      table.onExit(e.tgid());
      execs.onExit(e.tgid()).ifPresent(Agent.this::alert);
    }

    @Override
    public void onFork(ForkEvent e) {
      count("events_fork");
      if (java.nio.file.Files.exists(config.proc().resolve(e.tgid() + "/task/" + e.childPid()))) {
        count("events_fork_thread"); // a new thread of the same process: not a process event
        return;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", config.node());
      m.put("event", "fork");
      m.put("pid", e.tgid());
      m.put("tid", e.pid());
      m.put("child_pid", e.childPid());
      m.put("comm", e.comm());
      m.put("uid", e.uid());
      log.write(EventLog.PROCESS, System.currentTimeMillis(), m);
    }

    @Override
    public void onSock(SockEvent e) {
      count("events_sock");
      InetAddress src = e.saddr();
      InetAddress dst = e.daddr();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", config.node());
      m.put("event", SockEvent.opName(e.op()));
      m.put("family", e.family() == SockEvent.AF_INET ? "ipv4" : "ipv6");
      m.put("src", src.getHostAddress());
      m.put("sport", e.sport());
      m.put("dst", dst.getHostAddress());
      m.put("dport", e.dport());
      Optional<ProcessInfo> p = Optional.empty();
      if (e.tgid() > 0) {
        p = Optional.of(table.lookupOr(e.tgid(), e.ppid(), e.uid(), e.comm()));
        m.put("pid", e.tgid());
        m.put("uid", e.uid());
        m.put("comm", e.comm());
        p.ifPresent(
            i -> {
              m.put("user", i.user());
              m.put("exe", i.exe());
              m.put("workload", i.workload().toMap());
            });
      }
      if (e.op() == SockEvent.OP_CONNECT) {
        m.put("direction", connectBack.classify(dst));
      }
      if ((e.op() == SockEvent.OP_ESTABLISHED || e.op() == SockEvent.OP_ACCEPT)
          && e.sport() != 0
          && e.dport() != 0) {
        // joins with the sensor's conn.log (both directions hash the same)
        m.put("community_id", CommunityId.v1(src, e.sport(), dst, e.dport(), CommunityId.TCP));
      }
      log.write(EventLog.SOCKET, System.currentTimeMillis(), m);
      if (e.op() == SockEvent.OP_CONNECT && p.isPresent()) {
        ProcessInfo who =
            connectBack.classify(dst).equals("external")
                ? table.refreshWorkload(p.get(), e.cgroupId())
                : p.get();
        connectBack
            .onConnect(who, src, e.sport(), dst, e.dport())
            .map(a -> withParents(a, who))
            // held until the kernel has picked the source port (next transition of this socket)
            .flatMap(a -> connects.hold(e.skaddr(), a, System.nanoTime()))
            .ifPresent(Agent.this::alert);
      } else if (e.op() == SockEvent.OP_ESTABLISHED || e.op() == SockEvent.OP_CLOSE) {
        connects.complete(e.skaddr(), src, e.sport()).ifPresent(Agent.this::alert);
      }
    }

    private Map<String, Object> processLine(String event, ProcessInfo p) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", config.node());
      m.put("event", event);
      m.put("pid", p.pid());
      m.put("ppid", p.ppid());
      m.put("uid", p.uid());
      m.put("user", p.user());
      m.put("comm", p.comm());
      m.put("exe", p.exe());
      m.put("cmdline", p.args());
      m.put("workload", p.workload().toMap());
      return m;
    }
  }

  private Alert withParents(Alert a, ProcessInfo p) {
    return a.with("parents", table.parents(p, 8).stream().map(Agent::brief).toList());
  }

  private static Map<String, Object> brief(ProcessInfo p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pid", p.pid());
    m.put("exe", p.exe());
    m.put("user", p.user());
    return m;
  }
}
