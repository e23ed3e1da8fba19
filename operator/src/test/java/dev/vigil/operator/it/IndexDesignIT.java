package dev.vigil.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.agent.cli.Agent;
import dev.vigil.agent.cli.AgentConfig;
import dev.vigil.agent.it.NetNs;
import dev.vigil.agent.it.Sh;
import dev.vigil.agent.it.SlurmCgroup;
import dev.vigil.api.v1alpha1.spec.OpenSearch;
import dev.vigil.common.ship.Doc;
import dev.vigil.common.ship.Shipper;
import dev.vigil.common.ship.ShipperConfig;
import dev.vigil.operator.opensearch.DataClass;
import dev.vigil.operator.opensearch.IndexTemplates;
import dev.vigil.sensor.testutil.PcapWriter;
import dev.vigil.sensor.testutil.Scenarios;
import dev.vigil.sensor.testutil.Trace;
import dev.vigil.testing.OpenSearchCalls;
import dev.vigil.testing.OpenSearchNodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index design checked against what Vigil really ships: the operator's templates installed in a
 * real OpenSearch node, then the sensor's CLI (every generated trace of the sensor's own tests,
 * conn.log and ssl.log through its shipper) and the real eBPF agent (process and socket lines, a
 * Slurm job's resource lines, a miner-executable and a connect-back alert) shipping into them. Each
 * document must be indexed (nothing dead-lettered, counts equal to the log files, sources equal to
 * the lines), every field of every document must land in an explicit mapping (no dynamic mapping;
 * {@code enabled: false} evidence objects only where declared), the time field must parse to the
 * same instant the line states, addresses must be {@code ip} fields answering CIDR queries, and the
 * daily indices must be sorted by time, {@code best_compression}, with the spec's replicas.
 *
 * <p>dns.log and http.log come from the sensor's analyzers; they are also checked with Zeek-shaped
 * records (Zeek's own field names and types) shipped through the common shipper.
 */
class IndexDesignIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final String NODE = "design-it-node";

  @TempDir Path tmp;

  @Test
  void everyRecordTheSensorAndAgentShipIsIndexedIntoExplicitMappings() throws Exception {
    URI os = URI.create(OpenSearchNodes.url());
    String prefix =
        "design-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    OpenSearch spec = new OpenSearch();
    spec.setEndpoints(List.of(os.toString()));
    spec.setIndexPrefix(prefix);
    spec.setShards(1);
    spec.setReplicas(0);
    spec.setCodec(OpenSearch.Codec.BEST_COMPRESSION);
    for (DataClass cls : DataClass.values()) {
      call(
          os,
          "PUT",
          "/_index_template/" + IndexTemplates.name(spec, cls),
          IndexTemplates.desired(spec, cls, "it/design").toString());
    }

    Map<DataClass, List<String>> expected = new EnumMap<>(DataClass.class);
    for (DataClass cls : DataClass.values()) {
      expected.put(cls, new ArrayList<>());
    }
    List<Path> deadLetters = new ArrayList<>();

    // 1. The sensor CLI on every trace its own tests generate: conn, ssl, dns and http logs; and
    // on the detectors' trace with a policy: the sensor's alerts (notice.log).
    Path policies = Files.createDirectories(tmp.resolve("policies"));
    Files.writeString(
        policies.resolve("site-baseline.json"),
        dev.vigil.sensor.detect.NoticeLogEndToEndTest.enforce("0".repeat(32)));
    Map<String, Supplier<Trace>> traces = new java.util.LinkedHashMap<>(Scenarios.all());
    traces.put("detectors", dev.vigil.sensor.detect.NoticeLogEndToEndTest::trace);
    int seed = 1;
    for (Map.Entry<String, Supplier<Trace>> s : traces.entrySet()) {
      Path pcap =
          PcapWriter.write(
              tmp.resolve(s.getKey() + ".pcap"),
              PcapWriter.pcap(s.getValue().get(), ByteOrder.LITTLE_ENDIAN, false));
      Path logs = tmp.resolve("sensor-" + s.getKey());
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int rc =
          dev.vigil.sensor.cli.Main.run(
              new String[] {
                "--read",
                pcap.toString(),
                "--logs",
                logs.toString(),
                "--opensearch",
                os.toString(),
                "--index-prefix",
                prefix,
                "--uid-seed",
                Integer.toString(seed++), // traces share their start time: distinct uids
                "--policy-dir",
                policies.toString(),
                "--sensor-name",
                "design-tap",
                "--link",
                "design-link"
              },
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      String stderr = err.toString(StandardCharsets.UTF_8);
      assertThat(rc).as("sensor on %s: %s", s.getKey(), stderr).isZero();
      assertThat(stderr).as(s.getKey()).contains(" 0 dead-lettered, 0 refused");
      for (String l : lines(logs.resolve("conn.log"))) {
        // shipped conn records name the sensor and link (the file keeps Zeek's fields)
        ObjectNode doc = (ObjectNode) JSON.readTree(l);
        ObjectNode observer = doc.putObject("observer");
        observer.put("type", "sensor").put("name", "design-tap");
        observer.putObject("ingress").putObject("interface").put("name", "design-link");
        expected.get(DataClass.CONN).add(doc.toString());
      }
      expected.get(DataClass.SSL).addAll(lines(logs.resolve("ssl.log")));
      expected.get(DataClass.DNS).addAll(lines(logs.resolve("dns.log")));
      expected.get(DataClass.HTTP).addAll(lines(logs.resolve("http.log")));
      expected.get(DataClass.ALERTS).addAll(lines(logs.resolve("notice.log")));
      deadLetters.add(logs.resolve("spool/dead-letter.jsonl"));
    }
    assertThat(expected.get(DataClass.CONN)).hasSizeGreaterThan(20);
    assertThat(expected.get(DataClass.SSL)).isNotEmpty();
    assertThat(expected.get(DataClass.DNS)).hasSizeGreaterThan(5);
    assertThat(expected.get(DataClass.HTTP)).hasSizeGreaterThan(5);
    assertThat(expected.get(DataClass.ALERTS)).hasSizeGreaterThanOrEqualTo(3); // sensor alerts

    // 2. The real eBPF agent: process/socket lines, a Slurm job's resource lines, two alerts.
    Path events = tmp.resolve("agent");
    Agent agent =
        new Agent(
                AgentConfig.parse(
                    "--events",
                    events.toString(),
                    "--node",
                    NODE,
                    "--pod-logs",
                    Files.createDirectories(tmp.resolve("pods")).toString(),
                    "--opensearch",
                    os.toString(),
                    "--index-prefix",
                    prefix))
            .start();
    String jobId = Integer.toString(ThreadLocalRandom.current().nextInt(600000, 699999));
    try (NetNs ns = new NetNs();
        SlurmCgroup job = new SlurmCgroup(jobId, 0)) {
      connectBack(ns, job, ThreadLocalRandom.current().nextInt(30000, 40000));
      Path miner = tmp.resolve("xmrig");
      Files.copy(Path.of("/bin/sleep"), miner, StandardCopyOption.REPLACE_EXISTING);
      miner.toFile().setExecutable(true);
      // Started inside the job: the exec the detector sees is attributed to it.
      Process p = new ProcessBuilder("/bin/bash", "-c", "read go; exec " + miner + " 3").start();
      job.add(p.pid());
      p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().flush();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      awaitLines(events.resolve("notice.log"), "MinerExecutable", "ConnectBack");
      awaitLines(events.resolve("resource.log"), "slurm:" + jobId);
    } finally {
      agent.close(); // ships for up to 10 s, spools the rest
    }
    // What the agent could not send within its close timeout (every exec on this busy machine is
    // a host line) is in its spool: the next start replays it, as this shipper does.
    ShipperConfig agentSpool =
        ShipperConfig.defaults(() -> os, events.resolve("spool")).withIndexPrefix(prefix);
    try (Shipper replay = new Shipper(agentSpool)) {
      assertThat(replay.awaitDrained(Duration.ofMinutes(5))).as("agent spool replayed").isTrue();
    }
    expected.get(DataClass.ALERTS).addAll(lines(events.resolve("notice.log")));
    for (String stream : List.of("process.log", "socket.log", "resource.log")) {
      expected.get(DataClass.HOST).addAll(lines(events.resolve(stream)));
    }
    deadLetters.add(events.resolve("spool/dead-letter.jsonl"));

    // 3. dns and http: also Zeek-shaped records (Zeek's own fields) through the common shipper.
    Path dnsHttp = tmp.resolve("zeek-shaped");
    ShipperConfig cfg =
        ShipperConfig.defaults(() -> os, dnsHttp)
            .withIndexPrefix(prefix)
            .withQueue(1024, 100, Duration.ofMillis(20));
    try (Shipper shipper = new Shipper(cfg)) {
      long now = Instant.now().toEpochMilli();
      for (String line : zeekShaped(now)) {
        DataClass cls = line.contains("\"qtype_name\"") ? DataClass.DNS : DataClass.HTTP;
        common(cls, shipper, now, line);
        expected.get(cls).add(line);
      }
      assertThat(shipper.awaitDrained(Duration.ofSeconds(60))).isTrue();
    }
    deadLetters.add(cfg.deadLetterFile());

    // Nothing rejected by any mapping.
    for (Path dl : deadLetters) {
      assertThat(Files.exists(dl) ? Files.readString(dl) : "")
          .as("dead letters in %s", dl)
          .isEmpty();
    }

    call(os, "POST", "/" + prefix + "-*/_refresh", null);
    for (DataClass cls : DataClass.values()) {
      List<String> want = expected.get(cls);
      assertThat(want).as("%s records produced", cls).isNotEmpty();
      String pattern = prefix + "-" + cls.id() + "-*";
      // Every line is there, once, as written.
      List<JsonNode> hits = search(os, pattern, cls.sortField());
      assertThat(hits).as("%s documents", cls).hasSameSizeAs(want);
      List<JsonNode> wantJson = new ArrayList<>();
      for (String l : want) {
        wantJson.add(JSON.readTree(l));
      }
      List<JsonNode> sources = hits.stream().map(h -> h.path("_source")).toList();
      if (cls.derivedSource()) {
        // Rebuilt from doc values and stored fields: every field and value as shipped, in the
        // shape a reader of fields sees (ReadBack; DerivedSourceIT checks it in depth).
        JsonNode props = cls.properties();
        assertThat(multiset(sources.stream().map(s -> ReadBack.leaves(s, props)).toList()))
            .as("%s sources, derived", cls)
            .isEqualTo(multiset(wantJson.stream().map(s -> ReadBack.leaves(s, props)).toList()));
      } else {
        assertThat(multiset(sources)).as("%s sources", cls).isEqualTo(multiset(wantJson));
      }

      for (JsonNode hit : hits) {
        // The date parses to the instant the line states.
        JsonNode src = hit.path("_source");
        long indexedMillis =
            new BigDecimal(hit.path("fields").path(cls.sortField()).path(0).asText("-1"))
                .longValue();
        assertThat(indexedMillis)
            .as("%s %s parsed", cls, cls.sortField())
            .isEqualTo(millis(src, cls));
        // The daily index is the record's own UTC day.
        assertThat(hit.path("_index").asText())
            .isEqualTo(
                dev.vigil.common.schema.DataClass.valueOf(cls.name())
                    .indexName(prefix, millis(src, cls)));
      }

      // Each daily index: the template's mapping exactly (nothing added dynamically), every
      // field of every document mapped, sorted by time, best_compression, the spec's replicas.
      JsonNode mappings = call(os, "GET", "/" + pattern + "/_mapping", null);
      JsonNode settings = call(os, "GET", "/" + pattern + "/_settings", null);
      ObjectNode templateProps = cls.properties();
      for (Iterator<String> it = mappings.fieldNames(); it.hasNext(); ) {
        String index = it.next();
        JsonNode m = mappings.path(index).path("mappings");
        assertThat(m.path("dynamic").asText()).as(index).isEqualTo(cls.dynamic());
        assertThat(normalise(m.path("properties")))
            .as("%s mapping = template (no dynamically added field)", index)
            .isEqualTo(normalise(templateProps));
        JsonNode s = settings.path(index).path("settings").path("index");
        assertThat(s.at("/sort/field").toString()).isEqualTo("[\"" + cls.sortField() + "\"]");
        assertThat(s.at("/sort/order").toString()).isEqualTo("[\"desc\"]");
        assertThat(s.path("codec").asText()).isEqualTo("best_compression");
        assertThat(s.path("number_of_replicas").asText()).isEqualTo("0");
        assertThat(s.path("number_of_shards").asText()).isEqualTo("1");
      }
      // What was shipped, not what came back: a derived source holds mapped fields only.
      TreeSet<String> unmapped = new TreeSet<>();
      for (JsonNode src : wantJson) {
        leaves(src, "", templateProps, unmapped);
      }
      assertThat(unmapped).as("%s fields without an explicit mapping", cls).isEmpty();
    }

    // Addresses are ip fields: CIDR queries work, on IPv4 and IPv6.
    assertThat(count(os, prefix + "-conn-*", "{\"term\":{\"id.orig_h\":\"10.0.0.0/8\"}}"))
        .isPositive();
    assertThat(count(os, prefix + "-conn-*", "{\"term\":{\"id.resp_h\":\"2001:db8::/32\"}}"))
        .isPositive();
    assertThat(
            count(os, prefix + "-alerts-*", "{\"term\":{\"destination.ip\":\"198.51.100.0/24\"}}"))
        .isEqualTo(
            where(
                expected.get(DataClass.ALERTS),
                n -> n.at("/destination/ip").asText().startsWith("198.51.100.")))
        .isPositive();
    assertThat(count(os, prefix + "-host-*", "{\"term\":{\"dst\":\"198.51.100.0/24\"}}"))
        .isPositive();
    // The router's and dashboards' keys are searchable: each term finds exactly the notice.log
    // lines that carry it.
    List<String> notices = expected.get(DataClass.ALERTS);
    assertThat(
            count(
                os, prefix + "-alerts-*", "{\"term\":{\"orchestrator.job.id\":\"" + jobId + "\"}}"))
        .isEqualTo(notices.stream().filter(l -> l.contains("\"job\":{\"id\":\"" + jobId)).count())
        .isPositive();
    assertThat(count(os, prefix + "-alerts-*", "{\"term\":{\"rule.name\":\"MinerExecutable\"}}"))
        .isEqualTo(notices.stream().filter(l -> l.contains("\"MinerExecutable\"")).count())
        .isPositive();
    assertThat(count(os, prefix + "-alerts-*", "{\"range\":{\"event.severity\":{\"gte\":47}}}"))
        .isEqualTo(where(notices, n -> n.at("/event/severity").asInt() >= 47))
        .isPositive();
    // the agent's alerts name the node, the sensor's the sensor and link
    assertThat(count(os, prefix + "-alerts-*", "{\"term\":{\"host.name\":\"" + NODE + "\"}}"))
        .isEqualTo(where(notices, n -> n.at("/host/name").asText().equals(NODE)))
        .isPositive();
    assertThat(
            count(
                os,
                prefix + "-alerts-*",
                "{\"term\":{\"observer.ingress.interface.name\":\"design-link\"}}"))
        .isEqualTo(where(notices, n -> n.at("/event/dataset").asText().equals("vigil.sensor")))
        .isPositive();
    assertThat(
            count(
                os,
                prefix + "-conn-*",
                "{\"term\":{\"observer.ingress.interface.name\":\"design-link\"}}"))
        .isEqualTo(expected.get(DataClass.CONN).size());
    assertThat(count(os, prefix + "-alerts-*", "{\"exists\":{\"field\":\"vigil.dedup_key\"}}"))
        .isEqualTo(notices.size());
    assertThat(count(os, prefix + "-ssl-*", "{\"exists\":{\"field\":\"ja3\"}}")).isPositive();
    assertThat(count(os, prefix + "-dns-*", "{\"term\":{\"qtype_name\":\"AAAA\"}}"))
        .isEqualTo(
            where(expected.get(DataClass.DNS), n -> n.path("qtype_name").asText().equals("AAAA")))
        .isPositive();
    assertThat(count(os, prefix + "-http-*", "{\"range\":{\"status_code\":{\"gte\":400}}}"))
        .isEqualTo(where(expected.get(DataClass.HTTP), n -> n.path("status_code").asInt() >= 400))
        .isPositive();
  }

  /** How many of the lines match: what a query must find. */
  private static long where(List<String> lines, java.util.function.Predicate<JsonNode> p)
      throws IOException {
    long n = 0;
    for (String l : lines) {
      if (p.test(JSON.readTree(l))) {
        n++;
      }
    }
    return n;
  }

  private static <T> Map<T, Integer> multiset(List<T> nodes) {
    Map<T, Integer> m = new HashMap<>();
    for (T n : nodes) {
      m.merge(n, 1, Integer::sum);
    }
    return m;
  }

  /** The class's time field as epoch millis, as the line states it. */
  private static long millis(JsonNode src, DataClass cls) {
    if (cls == DataClass.ALERTS) {
      return Instant.parse(src.path("@timestamp").asText()).toEpochMilli();
    }
    return new BigDecimal(src.path("ts").asText()).movePointRight(3).longValue();
  }

  /**
   * Adds to {@code out} every leaf path of {@code doc} (dotted keys expanded, as OpenSearch does)
   * that no explicit leaf mapping covers; an {@code enabled: false} object covers all below it.
   */
  private static void leaves(JsonNode doc, String path, JsonNode props, TreeSet<String> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String[] parts = e.getKey().split("\\.");
      JsonNode p = props;
      JsonNode field = null;
      String full = path;
      for (int i = 0; i < parts.length; i++) {
        full = full.isEmpty() ? parts[i] : full + "." + parts[i];
        field = p == null ? null : p.get(parts[i]);
        if (field != null && field.path("enabled").asBoolean(true) == false) {
          break;
        }
        if (i < parts.length - 1) {
          p = field == null ? null : field.get("properties");
        }
      }
      JsonNode v = e.getValue();
      if (field != null && !field.path("enabled").asBoolean(true)) {
        continue;
      }
      if (field == null) {
        out.add(full);
      } else if (v.isObject()) {
        if (field.get("properties") == null) {
          out.add(full + " (object, mapped as " + field.path("type").asText() + ")");
        } else {
          leaves(v, full, field.get("properties"), out);
        }
      } else if (v.isArray() && v.size() > 0 && v.get(0).isObject()) {
        out.add(full + " (array of objects)");
      } else if (!field.has("type") || field.path("type").asText().equals("object")) {
        out.add(full + " (value, mapped as object)");
      }
    }
  }

  /** The mapping as the node returns it: every value a string, "type": "object" implied. */
  private static JsonNode normalise(JsonNode props) throws IOException {
    JsonNode n = JSON.readTree(props.toString());
    strip(n);
    return n;
  }

  private static void strip(JsonNode n) {
    if (!n.isObject()) {
      return;
    }
    ObjectNode o = (ObjectNode) n;
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isValueNode()) {
        e.setValue(JSON.getNodeFactory().textNode(e.getValue().asText()));
      } else {
        strip(e.getValue());
      }
    }
    if (o.has("properties") && "object".equals(o.path("type").asText())) {
      o.remove("type");
    }
  }

  /** A connect from a process in the Slurm job to a "public" address (the connect-back rule). */
  private static void connectBack(NetNs ns, SlurmCgroup job, int port) throws Exception {
    List<String> listen = new ArrayList<>(List.of(ns.prefix()));
    listen.addAll(
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
    Process listener = new ProcessBuilder(listen).redirectErrorStream(true).start();
    Process client = null;
    try {
      var out =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("ready");
      client =
          new ProcessBuilder(
                  "/bin/bash",
                  "-c",
                  "read go; exec 3<>/dev/tcp/" + ns.nsAddress + "/" + port + " && echo hello >&3")
              .redirectErrorStream(true)
              .start();
      job.add(client.pid());
      client.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
      client.getOutputStream().flush();
      assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(client.exitValue()).isZero();
      assertThat(out.readLine()).isEqualTo("got hello");
    } finally {
      Sh.kill(client);
      Sh.kill(listener);
    }
  }

  /** Zeek dns.log and http.log records, Zeek's field names and JSON types. */
  private static List<String> zeekShaped(long nowMillis) {
    String ts = BigDecimal.valueOf(nowMillis, 3).toPlainString() + "123";
    String ids =
        "\"id.orig_h\":\"10.1.2.3\",\"id.orig_p\":53124,\"id.resp_h\":\"10.0.0.53\",\"id.resp_p\":53";
    return List.of(
        "{\"ts\":"
            + ts
            + ",\"uid\":\"CdnsA1\","
            + ids
            + ",\"proto\":\"udp\",\"trans_id\":4711,\"rtt\":0.000412,\"query\":\"login.example.org\""
            + ",\"qclass\":1,\"qclass_name\":\"C_INTERNET\",\"qtype\":28,\"qtype_name\":\"AAAA\""
            + ",\"rcode\":0,\"rcode_name\":\"NOERROR\",\"AA\":false,\"TC\":false,\"RD\":true"
            + ",\"RA\":true,\"Z\":0,\"answers\":[\"2001:db8::10\"],\"TTLs\":[300.0]"
            + ",\"rejected\":false}",
        "{\"ts\":"
            + ts
            + ",\"uid\":\"CdnsB2\","
            + ids
            + ",\"proto\":\"udp\",\"trans_id\":4712,\"query\":\"nonexistent.example.org\""
            + ",\"qclass\":1,\"qclass_name\":\"C_INTERNET\",\"qtype\":1,\"qtype_name\":\"A\""
            + ",\"rcode\":3,\"rcode_name\":\"NXDOMAIN\",\"AA\":false,\"TC\":false,\"RD\":true"
            + ",\"RA\":true,\"Z\":0,\"rejected\":false}",
        "{\"ts\":"
            + ts
            + ",\"uid\":\"ChttpC3\",\"id.orig_h\":\"10.1.2.3\",\"id.orig_p\":40100"
            + ",\"id.resp_h\":\"10.0.0.80\",\"id.resp_p\":80,\"trans_depth\":1,\"method\":\"GET\""
            + ",\"host\":\"mirror.example.org\",\"uri\":\"/debian/dists/stable/InRelease\""
            + ",\"referrer\":\"-\",\"version\":\"1.1\",\"user_agent\":\"Debian APT-HTTP/1.3\""
            + ",\"request_body_len\":0,\"response_body_len\":151234,\"status_code\":200"
            + ",\"status_msg\":\"OK\",\"tags\":[],\"resp_fuids\":[\"FhttpX1\"]"
            + ",\"resp_mime_types\":[\"text/plain\"]}",
        "{\"ts\":"
            + ts
            + ",\"uid\":\"ChttpD4\",\"id.orig_h\":\"10.1.2.4\",\"id.orig_p\":40101"
            + ",\"id.resp_h\":\"10.0.0.80\",\"id.resp_p\":80,\"trans_depth\":2,\"method\":\"POST\""
            + ",\"host\":\"10.0.0.80\",\"uri\":\"/upload\",\"version\":\"1.1\""
            + ",\"user_agent\":\"curl/8.5.0\",\"request_body_len\":1024,\"response_body_len\":9"
            + ",\"status_code\":403,\"status_msg\":\"Forbidden\",\"tags\":[]}");
  }

  private static void common(DataClass cls, Shipper shipper, long millis, String line) {
    assertThat(
            shipper.offer(
                Doc.of(dev.vigil.common.schema.DataClass.valueOf(cls.name()), millis, line)))
        .isNotEqualTo(Shipper.Offer.REFUSED);
  }

  private static List<String> lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
  }

  private static void awaitLines(Path file, String... needles) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String text = Files.exists(file) ? Files.readString(file) : "";
      boolean all = true;
      for (String n : needles) {
        all &= text.contains(n);
      }
      if (all) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        file + " lacks one of " + List.of(needles) + ":\n" + String.join("\n", lines(file)));
  }

  /** Every hit (with the time field's doc value as epoch millis), scrolled past 10 000. */
  private static List<JsonNode> search(URI os, String pattern, String timeField) throws Exception {
    JsonNode r =
        call(
            os,
            "POST",
            "/" + pattern + "/_search?scroll=2m",
            "{\"size\":5000,\"query\":{\"match_all\":{}},\"docvalue_fields\":[{\"field\":\""
                + timeField
                + "\",\"format\":\"epoch_millis\"}]}");
    List<JsonNode> out = new ArrayList<>();
    while (r.path("hits").path("hits").size() > 0) {
      r.path("hits").path("hits").forEach(out::add);
      r =
          call(
              os,
              "POST",
              "/_search/scroll",
              "{\"scroll\":\"2m\",\"scroll_id\":\"" + r.path("_scroll_id").asText() + "\"}");
    }
    return out;
  }

  private static long count(URI os, String pattern, String query) throws Exception {
    return call(os, "POST", "/" + pattern + "/_count", "{\"query\":" + query + "}")
        .path("count")
        .asLong(-1);
  }

  private static JsonNode call(URI base, String method, String path, String body) throws Exception {
    return OpenSearchCalls.call(base, method, path, body);
  }
}
