package dev.vigil.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.agent.cli.Agent;
import dev.vigil.agent.cli.AgentConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent against the real kernel: BPF events, attribution, detectors and JSON logs.
 * Creates its own network namespace and Slurm-style cgroups and removes them afterwards.
 */
class AgentIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODE = "it-node";
  private static final double CPU_THRESHOLD = 0.35;
  private static final int SUSTAIN_SECONDS = 2;
  private static Path policy;

  @TempDir static Path tmp;
  private static Path events;
  private static EventFiles files;
  private static Agent agent;

  @BeforeAll
  static void start() throws Exception {
    events = tmp.resolve("events");
    files = new EventFiles(events);
    policy = tmp.resolve("policy.yaml");
    writePolicy(CPU_THRESHOLD);
    agent =
        new Agent(
                AgentConfig.parse(
                    "--events",
                    events.toString(),
                    "--policy",
                    policy.toString(),
                    "--node",
                    NODE,
                    "--pod-logs",
                    podLogs().toString(),
                    "--metrics-port",
                    "0",
                    "--loopback-sockets",
                    "on",
                    "--bpf-object",
                    System.getProperty("vigil.bpf.object")))
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void connectBackToANonInternalAddressNamesPidExeAndUser() throws Exception {
    String jobId = Integer.toString(ThreadLocalRandom.current().nextInt(600000, 699999));
    try (NetNs ns = new NetNs();
        SlurmCgroup job = new SlurmCgroup(jobId, 0)) {
      int port = ThreadLocalRandom.current().nextInt(20000, 30000);
      long pid = connectBack(ns, job, port);
      JsonNode alert = awaitAlert("ConnectBack", pid);
      assertConnectBack(alert, NODE, jobId, ns.nsAddress, port);

      // held until the handshake gave the source port: the community id joins with conn.log
      JsonNode established =
          await(
              "socket.log",
              n -> n.path("event").asText().equals("established") && n.path("pid").asLong() == pid);
      assertThat(alert.at("/source/port").asInt()).isEqualTo(established.path("sport").asInt());
      assertThat(alert.at("/source/port").asInt()).isPositive();
      assertThat(alert.at("/network/community_id").asText())
          .isEqualTo(
              dev.vigil.common.schema.CommunityId.v1(
                  java.net.InetAddress.getByName(alert.at("/source/ip").asText()),
                  alert.at("/source/port").asInt(),
                  java.net.InetAddress.getByName(ns.nsAddress),
                  port,
                  dev.vigil.common.schema.CommunityId.TCP))
          .isEqualTo(established.path("community_id").asText())
          .startsWith("1:");

      JsonNode connect =
          await(
              "socket.log",
              n -> n.path("event").asText().equals("connect") && n.path("pid").asLong() == pid);
      assertThat(connect.path("direction").asText()).isEqualTo("external");
    }
  }

  @Test
  void loopbackConnectIsLoggedButNotAlerted() throws Exception {
    try (java.net.ServerSocket server =
        new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      Process client =
          new ProcessBuilder(
                  "/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort())
              .start();
      long pid = client.pid();
      server.accept().close();
      assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();
      JsonNode connect =
          await(
              "socket.log",
              n -> n.path("event").asText().equals("connect") && n.path("pid").asLong() == pid);
      assertThat(connect.path("direction").asText()).isEqualTo("internal");
      assertThat(connect.path("dst").asText()).isEqualTo("127.0.0.1");
      assertThat(lines("notice.log")).noneMatch(n -> n.at("/process/pid").asLong() == pid);
    }
  }

  @Test
  void execOfAMinerNamedBinaryAndAStratumCommandLineAlert() throws Exception {
    Path xmrig = tmp.resolve("xmrig");
    Files.copy(Path.of("/bin/sleep"), xmrig, StandardCopyOption.REPLACE_EXISTING);
    long pid;
    try (SlurmCgroup pod = SlurmCgroup.pod(POD_UID)) {
      // Joins the pod's cgroup first, then execs the miner-named binary (as a runtime would).
      Process p = new ProcessBuilder("/bin/bash", "-c", "read go; exec " + xmrig + " 0.2").start();
      pid = p.pid();
      pod.add(pid);
      p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().flush();
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      // the pod's cgroup outlives its process, as with a real pod: the agent may look it up late
      awaitAlert("MinerExecutable", pid);
    }
    JsonNode byName = awaitAlert("MinerExecutable", pid);
    assertThat(byName.at("/process/executable").asText()).isEqualTo(xmrig.toString());
    assertThat(byName.at("/user/name").asText()).isEqualTo("root");
    assertThat(byName.at("/user/id").asText()).isEqualTo("0");
    assertThat(byName.at("/host/name").asText()).isEqualTo(NODE);
    assertThat(byName.at("/orchestrator/type").asText()).isEqualTo("kubernetes");
    assertThat(byName.at("/orchestrator/resource/id").asText()).isEqualTo(POD_UID);
    assertThat(byName.at("/orchestrator/namespace").asText()).isEqualTo("hpc-team");
    assertThat(byName.at("/orchestrator/resource/name").asText()).isEqualTo("solver-7f9c");
    assertThat(byName.at("/vigil/workload/kind").asText()).isEqualTo("kubernetes");

    Process q =
        new ProcessBuilder("/bin/sh", "-c", "sleep 0.1", "stratum+tcp://pool.invalid:3333").start();
    long qpid = q.pid();
    assertThat(q.waitFor(10, TimeUnit.SECONDS)).isTrue();
    JsonNode byCmd = awaitAlert("MinerExecutable", qpid);
    assertThat(byCmd.at("/vigil/evidence/reason").asText()).contains("stratum");

    JsonNode exec =
        await(
            "process.log",
            n ->
                n.path("event").asText().equals("exec")
                    && n.path("pid").asLong() == pid
                    && n.path("filename").asText().equals(xmrig.toString()));
    assertThat(exec.path("ppid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(exec.path("parents").get(0).path("pid").asLong())
        .isEqualTo(ProcessHandle.current().pid());
    assertThat(exec.path("cmdline").get(1).asText()).isEqualTo("0.2");
    JsonNode exit =
        await(
            "process.log",
            n -> n.path("event").asText().equals("exit") && n.path("pid").asLong() == pid);
    assertThat(exit.path("exit_code").asInt()).isZero();
  }

  /**
   * The demo's launch: a root shell execs {@code setpriv}, which drops to nobody and execs the
   * miner in the same process — three execs of one pid (bash, setpriv with the miner's command
   * line, xmrig) that reach the agent in one ring-buffer batch, after /proc already shows the last
   * image. One launch of a miner is one alert, carrying the image and user of the miner's own exec.
   */
  @Test
  void minerExecedThroughSetprivIsOneAlertAsNobody() throws Exception {
    try (FakeMiner m = FakeMiner.create()) {
      Path xmrig = m.exe();
      long pid = m.launch("exec ", "");

      // every exec of the pid is logged with its own image, not whatever /proc showed later
      await(
          "process.log",
          n -> n.path("event").asText().equals("exit") && n.path("pid").asLong() == pid);
      List<JsonNode> execs =
          lines("process.log").stream()
              .filter(n -> n.path("event").asText().equals("exec") && n.path("pid").asLong() == pid)
              .toList();
      assertThat(execs).as(execs.toString()).hasSizeGreaterThanOrEqualTo(3);
      for (JsonNode e : execs) {
        assertThat(Path.of(e.path("exe").asText()).getFileName())
            .as(e.toString())
            .isEqualTo(Path.of(e.path("filename").asText()).getFileName());
      }
      JsonNode setpriv = execs.get(execs.size() - 2);
      JsonNode miner = execs.get(execs.size() - 1);
      assertThat(Path.of(setpriv.path("exe").asText()).getFileName().toString())
          .isEqualTo("setpriv");
      assertThat(setpriv.path("user").asText()).isEqualTo("root");
      assertThat(miner.path("exe").asText()).isEqualTo(xmrig.toString());
      assertThat(miner.path("user").asText()).isEqualTo("nobody");

      // a superseded alert would have been written by now (held at most ExecAlerts.HOLD)
      JsonNode alert = awaitAlert("MinerExecutable", pid);
      Thread.sleep(2_500);
      List<JsonNode> alerts = minerAlerts(pid);
      assertThat(alerts).as(alerts.toString()).hasSize(1);
      assertThat(alert.at("/user/name").asText()).isEqualTo("nobody");
      assertThat(alert.at("/user/id").asText()).isEqualTo("65534");
      assertThat(alert.at("/process/executable").asText()).isEqualTo(xmrig.toString());
      assertThat(alert.at("/process/name").asText()).isEqualTo("xmrig");
      assertThat(alert.at("/process/command_line").asText()).contains("stratum+tcp://");
    }
  }

  @Test
  void minerForkedByAWrapperThatWaitsIsOneAlertAsNobody() throws Exception {
    try (FakeMiner m = FakeMiner.create()) {
      Path xmrig = m.exe();
      // Like sudo: the wrapper (bash, its command line naming the pool) forks, its child becomes
      // the miner as nobody, and the wrapper waits for it (the "; true" keeps bash from exec'ing).
      long wrapper = m.launch("", "; true");

      long child =
          await(
                  "process.log",
                  n ->
                      n.path("event").asText().equals("exec")
                          && n.path("ppid").asLong() == wrapper
                          && n.path("exe").asText().equals(xmrig.toString()))
              .path("pid")
              .asLong();
      assertThat(child).isNotEqualTo(wrapper);
      JsonNode alert = awaitAlert("MinerExecutable", child);
      // the wrapper's own alert, had it been raised, would be out by now (held at most 1 s)
      await(
          "process.log",
          n -> n.path("event").asText().equals("exit") && n.path("pid").asLong() == wrapper);
      Thread.sleep(2_500);
      List<JsonNode> alerts = minerAlerts(wrapper, child);
      assertThat(alerts).as("one launch, one alert: %s", alerts).hasSize(1);
      assertThat(alert.at("/user/name").asText()).isEqualTo("nobody");
      assertThat(alert.at("/process/executable").asText()).isEqualTo(xmrig.toString());
      assertThat(alert.at("/process/parent/pid").asLong()).isEqualTo(wrapper);
      assertThat(alert.at("/vigil/evidence/earlier_execs/0/exe").asText())
          .as("the wrapper's exec is listed: %s", alert)
          .endsWith("/bash");
    }
  }

  /** The MinerExecutable alerts in notice.log of any of {@code pids}. */
  private static List<JsonNode> minerAlerts(long... pids) throws Exception {
    java.util.Set<Long> of =
        java.util.Arrays.stream(pids).boxed().collect(java.util.stream.Collectors.toSet());
    return lines("notice.log").stream()
        .filter(
            n ->
                n.at("/rule/name").asText().equals("MinerExecutable")
                    && of.contains(n.at("/process/pid").asLong()))
        .toList();
  }

  /**
   * A copy of perl named {@code xmrig} in a 0755 directory under /tmp: nobody must be able to reach
   * and run it (the JUnit temp dir is 0700).
   */
  private record FakeMiner(Path dir, Path exe) implements AutoCloseable {
    static FakeMiner create() throws Exception {
      Path dir = Files.createTempDirectory(Path.of("/tmp"), "vigil-it-miner");
      Files.setPosixFilePermissions(
          dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      Path exe = dir.resolve("xmrig");
      Files.copy(Path.of(Sh.run("sh", "-c", "command -v perl").strip()), exe);
      Files.setPosixFilePermissions(
          exe, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      return new FakeMiner(dir, exe);
    }

    /**
     * Runs {@code bash -c "read go; <before>setpriv ... xmrig -o stratum+tcp://...<after>"} (the
     * miner as nobody, for 0.3 s) and returns bash's pid once it has exited 0.
     */
    long launch(String before, String after) throws Exception {
      Process p =
          new ProcessBuilder(
                  "/bin/bash",
                  "-c",
                  "read go; "
                      + before
                      + "setpriv --reuid=nobody --regid=nogroup --clear-groups "
                      + exe
                      + " -e 'select(undef,undef,undef,0.3)' --"
                      + " -o stratum+tcp://pool.invalid:3333 --donate-level 1"
                      + after)
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().flush();
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue())
          .as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isZero();
      return p.pid();
    }

    @Override
    public void close() throws IOException {
      Files.deleteIfExists(exe);
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void busyTinyJobIsASilentMinerButAMemoryHeavyBusyJobIsNot() throws Exception {
    int cpus = Runtime.getRuntime().availableProcessors();
    String minerJob = Integer.toString(ThreadLocalRandom.current().nextInt(700000, 799999));
    String heavyJob = Integer.toString(ThreadLocalRandom.current().nextInt(800000, 899999));
    List<Process> procs = new ArrayList<>();
    try (SlurmCgroup light = new SlurmCgroup(minerJob, 0);
        SlurmCgroup heavy = new SlurmCgroup(heavyJob, Math.min(1, cpus - 1))) {
      try {
        for (int i = 0; i < light.cores; i++) {
          // nice -10: CI machines are shared; a job with its cores to itself is what is modelled.
          Process p =
              new ProcessBuilder("nice", "-n", "-10", "/bin/bash", "-c", "while :; do :; done")
                  .start();
          procs.add(p);
          light.add(p.pid());
        }
        for (int i = 0; i < heavy.cores; i++) {
          // 160 MiB resident per core, then spin: far above the 64 MiB-per-core policy.
          Process p =
              new ProcessBuilder(
                      "nice",
                      "-n",
                      "-10",
                      "perl",
                      "-e",
                      "my $x = 'a' x (160*1024*1024); 1 while 1; print length $x")
                  .start();
          procs.add(p);
          heavy.add(p.pid());
        }
        // Shared CI machines give a busy loop anything from 10 % to 100 % of its core. Measure
        // what both jobs actually get, then hot-reload a policy whose threshold both meet: the
        // only difference left between them is memory per core.
        double threshold = Math.clamp(0.6 * observedCpu(minerJob, heavyJob), 0.03, CPU_THRESHOLD);
        long reloads =
            lines("agent.log").stream()
                .filter(n -> n.path("event").asText().equals("policy_reloaded"))
                .count();
        writePolicy(threshold);
        awaitCount(
            "agent.log",
            n -> n.path("event").asText().equals("policy_reloaded"),
            (int) reloads + 1,
            Duration.ofSeconds(10));
        long reloadedAt = System.currentTimeMillis();
        JsonNode alert;
        try {
          alert =
              await(
                  "notice.log",
                  n ->
                      n.at("/rule/name").asText().equals("SilentMiner")
                          && n.at("/orchestrator/job/id").asText().equals(minerJob),
                  Duration.ofSeconds(30));
        } catch (AssertionError e) {
          throw new AssertionError(
              e.getMessage()
                  + "\nresource.log for the job: "
                  + lines("resource.log").stream()
                      .filter(n -> n.path("key").asText().equals("slurm:" + minerJob))
                      .toList(),
              e);
        }
        assertThat(alert.at("/observer/name").asText()).isEqualTo(NODE);
        assertThat(alert.at("/host/name").asText()).isEqualTo(NODE);
        assertThat(alert.at("/user/name").asText()).isEqualTo("root");
        assertThat(alert.at("/orchestrator/type").asText()).isEqualTo("slurm");
        assertThat(alert.at("/vigil/evidence/cores").asInt()).isEqualTo(light.cores);
        assertThat(alert.at("/vigil/evidence/cpu_fraction").asDouble())
            .isGreaterThanOrEqualTo(threshold);
        assertThat(alert.at("/vigil/evidence/sustained_seconds").asDouble())
            .isGreaterThanOrEqualTo(SUSTAIN_SECONDS);
        assertThat(alert.at("/vigil/evidence/pids").toString())
            .contains(Long.toString(procs.getFirst().pid()));
        assertThat(alert.at("/vigil/workload/cgroup").asText()).contains("job_" + minerJob);

        // The heavy job was just as busy, for longer than the window, and yet no alert.
        awaitCount(
            "resource.log",
            n ->
                n.path("key").asText().equals("slurm:" + heavyJob)
                    && n.path("ts").asDouble() * 1000 >= reloadedAt
                    && n.path("cpu_fraction").asDouble() >= threshold
                    && n.path("rss_bytes").asLong() / n.path("cores").asLong()
                        >= 150L * 1024 * 1024,
            SUSTAIN_SECONDS + 2,
            Duration.ofSeconds(30));
        assertThat(lines("notice.log"))
            .noneMatch(n -> n.at("/orchestrator/job/id").asText().equals(heavyJob));
      } finally {
        procs.forEach(Sh::kill);
        writePolicy(CPU_THRESHOLD);
      }
    }
  }

  @Test
  void metricsEndpointCountsEventsAndAlerts() throws Exception {
    Process p = new ProcessBuilder("/bin/true").start();
    p.waitFor(10, TimeUnit.SECONDS);
    long pid = p.pid();
    await(
        "process.log",
        n -> n.path("event").asText().equals("exit") && n.path("pid").asLong() == pid);
    String body = EventFiles.metrics(agent);
    long execs =
        body.lines()
            .filter(l -> l.startsWith("vigil_agent_events_total{kind=\"exec\"}"))
            .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)))
            .findFirst()
            .orElseThrow();
    assertThat(execs).isPositive();
    assertThat(body).contains("vigil_agent_ringbuf_dropped_total 0");
    assertThat(body).as("no shipper without --opensearch").doesNotContain("vigil_ship_");
  }

  /**
   * From a Slurm job cgroup, as user {@code nobody}: a TCP connection to {@code port} on the
   * namespace's TEST-NET-2 address (outside every internal network, reachable only over the veth),
   * which answers. Returns the client's pid once the exchange is done.
   */
  static long connectBack(NetNs ns, SlurmCgroup job, int port) throws Exception {
    Process listener = null;
    Process client = null;
    try {
      List<String> cmd = new ArrayList<>(List.of(ns.prefix()));
      cmd.addAll(
          List.of(
              "perl",
              "-MIO::Socket::INET",
              "-e",
              "$|=1; my $s = IO::Socket::INET->new(LocalAddr => '"
                  + ns.nsAddress
                  + "', LocalPort => "
                  + port
                  + ", Listen => 5, ReuseAddr => 1) or die $!; print \"ready\\n\";"
                  + " my $c = $s->accept; my $l = <$c>; print \"got $l\";"));
      listener = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("ready");

      // The client waits on stdin until it sits in the job's cgroup, then connects.
      client =
          new ProcessBuilder(
                  "setpriv",
                  "--reuid=nobody",
                  "--regid=nogroup",
                  "--clear-groups",
                  "/bin/bash",
                  "-c",
                  "read go; exec 3<>/dev/tcp/" + ns.nsAddress + "/" + port + " && echo hello >&3")
              .redirectErrorStream(true)
              .start();
      long pid = client.pid();
      job.add(pid);
      client.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
      client.getOutputStream().flush();
      assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(client.exitValue()).as("client exit").isZero();
      assertThat(out.readLine()).isEqualTo("got hello");
      return pid;
    } finally {
      Sh.kill(client);
      Sh.kill(listener);
    }
  }

  /** The first notice.log alert of rule {@code rule} for process {@code pid}. */
  static JsonNode awaitAlert(String rule, long pid) throws Exception {
    return files.awaitAlert(rule, pid);
  }

  /**
   * What a connect-back alert must say, at its ECS locations: node (observer and host), Slurm job,
   * user name and uid, pid, exe, comm, parent pid (this JVM started the client), destination.
   */
  static void assertConnectBack(JsonNode alert, String node, String jobId, String dst, int port) {
    assertThat(alert.at("/event/kind").asText()).isEqualTo("alert");
    assertThat(alert.at("/event/dataset").asText()).isEqualTo("vigil.agent");
    assertThat(alert.at("/observer/type").asText()).isEqualTo("agent");
    assertThat(alert.at("/observer/name").asText()).isEqualTo(node);
    assertThat(alert.at("/host/name").asText()).isEqualTo(node);
    assertThat(alert.at("/orchestrator/job/id").asText()).as(alert.toString()).isEqualTo(jobId);
    assertThat(alert.at("/orchestrator/type").asText()).isEqualTo("slurm");
    assertThat(alert.at("/vigil/workload/kind").asText()).isEqualTo("slurm");
    assertThat(alert.at("/destination/ip").asText()).isEqualTo(dst);
    assertThat(alert.at("/destination/port").asInt()).isEqualTo(port);
    assertThat(alert.at("/network/transport").asText()).isEqualTo("tcp");
    assertThat(alert.at("/source/ip").asText()).isNotEmpty();
    assertThat(alert.at("/user/name").asText()).isEqualTo("nobody");
    assertThat(alert.at("/user/id").asText()).isEqualTo("65534");
    assertThat(Path.of(alert.at("/process/executable").asText()).getFileName().toString())
        .isEqualTo("bash");
    assertThat(alert.at("/process/name").asText()).isEqualTo("bash");
    assertThat(alert.at("/process/parent/pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(alert.at("/vigil/parents/0/pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(alert.at("/vigil/dedup_key").asText()).matches("[0-9a-f]{32}");
  }

  /** The lower of the two jobs' median CPU fractions over their first samples. */
  static double observedCpu(String... jobs) throws Exception {
    double lowest = 1;
    for (String job : jobs) {
      Predicate<JsonNode> mine =
          n ->
              n.path("key").asText().equals("slurm:" + job)
                  && n.path("cpu_fraction").asDouble() > 0;
      awaitCount("resource.log", mine, 3, Duration.ofSeconds(15));
      double[] v =
          lines("resource.log").stream()
              .filter(mine)
              .mapToDouble(n -> n.path("cpu_fraction").asDouble())
              .sorted()
              .toArray();
      lowest = Math.min(lowest, v[v.length / 2]);
    }
    return lowest;
  }

  static void writePolicy(double cpuThreshold) throws IOException {
    Files.writeString(
        policy,
        "# written at "
            + System.nanoTime()
            + " (always new content, so the agent always reloads)\n"
            + "miner:\n"
            + "  cpuThreshold: "
            + cpuThreshold
            + "\n  sustainSeconds: "
            + SUSTAIN_SECONDS
            + "\n  maxMemoryPerCoreMiB: 64\n");
  }

  static final String POD_UID = java.util.UUID.randomUUID().toString();

  /** A kubelet-style /var/log/pods with one pod, for namespace and name lookup. */
  static Path podLogs() throws IOException {
    Path logs = tmp.resolve("pods");
    Files.createDirectories(logs.resolve("hpc-team_solver-7f9c_" + POD_UID));
    return logs;
  }

  static List<JsonNode> lines(String stream) throws IOException {
    return files.lines(stream);
  }

  static JsonNode await(String stream, Predicate<JsonNode> match) throws Exception {
    return files.await(stream, match);
  }

  static JsonNode await(String stream, Predicate<JsonNode> match, Duration timeout)
      throws Exception {
    return files.await(stream, match, timeout);
  }

  static void awaitCount(String stream, Predicate<JsonNode> match, int count, Duration timeout)
      throws Exception {
    files.awaitCount(stream, match, count, timeout);
  }
}
