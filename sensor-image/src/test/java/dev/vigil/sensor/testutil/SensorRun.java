package dev.vigil.sensor.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.sensor.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in-process on a capture file and parses what it wrote. */
public record SensorRun(
    int exitCode,
    String stderr,
    String connLog,
    JsonNode stats,
    String sslLog,
    String dnsLog,
    String httpLog) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static SensorRun run(Path capture, Path logs, String... extra) throws IOException {
    List<String> args =
        new ArrayList<>(List.of("--read", capture.toString(), "--logs", logs.toString()));
    args.addAll(List.of(extra));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        Main.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    Path conn = logs.resolve("conn.log");
    Path stats = logs.resolve("sensor_stats.log");
    Path ssl = logs.resolve("ssl.log");
    return new SensorRun(
        rc,
        err.toString(StandardCharsets.UTF_8),
        Files.exists(conn) ? Files.readString(conn) : null,
        Files.exists(stats) ? JSON.readTree(Files.readString(stats)) : null,
        Files.exists(ssl) ? Files.readString(ssl) : "",
        Files.exists(logs.resolve("dns.log")) ? Files.readString(logs.resolve("dns.log")) : "",
        Files.exists(logs.resolve("http.log")) ? Files.readString(logs.resolve("http.log")) : "");
  }

  public static SensorRun run(Trace trace, Path dir, String... extra) throws IOException {
    Files.createDirectories(dir);
    Path pcap =
        PcapWriter.write(
            dir.resolve("trace.pcap"),
            PcapWriter.pcap(trace, java.nio.ByteOrder.LITTLE_ENDIAN, false));
    return run(pcap, dir.resolve("logs"), extra);
  }

  public List<JsonNode> conns() throws IOException {
    List<JsonNode> l = new ArrayList<>();
    for (String line : connLog.split("\n")) {
      if (!line.isBlank()) {
        l.add(JSON.readTree(line));
      }
    }
    return l;
  }

  /** The single connection whose originator port is {@code origPort}. */
  public JsonNode conn(int origPort) throws IOException {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode n : conns()) {
      if (n.get("id.orig_p").asInt() == origPort) {
        found.add(n);
      }
    }
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one conn with orig_p " + origPort + ", got " + found + "\n" + connLog);
    }
    return found.get(0);
  }

  public List<JsonNode> dns() throws IOException {
    return lines(dnsLog);
  }

  public List<JsonNode> http() throws IOException {
    return lines(httpLog);
  }

  /** Lines of one log whose originator port is {@code origPort}, in file order. */
  public static List<JsonNode> byPort(List<JsonNode> log, int origPort) {
    return log.stream().filter(n -> n.get("id.orig_p").asInt() == origPort).toList();
  }

  private static List<JsonNode> lines(String log) throws IOException {
    List<JsonNode> l = new ArrayList<>();
    for (String line : log.split("\n")) {
      if (!line.isBlank()) {
        l.add(JSON.readTree(line));
      }
    }
    return l;
  }

  public List<JsonNode> ssl() throws IOException {
    List<JsonNode> l = new ArrayList<>();
    for (String line : sslLog.split("\n")) {
      if (!line.isBlank()) {
        l.add(JSON.readTree(line));
      }
    }
    return l;
  }

  /** The single ssl.log entry whose originator port is {@code origPort}, or null. */
  public JsonNode ssl(int origPort) throws IOException {
    JsonNode found = null;
    for (JsonNode n : ssl()) {
      if (n.get("id.orig_p").asInt() == origPort) {
        if (found != null) {
          throw new AssertionError("two ssl.log entries for " + origPort + "\n" + sslLog);
        }
        found = n;
      }
    }
    return found;
  }

  public long weird(String name) {
    JsonNode w = stats.get("weirds").get(name);
    return w == null ? 0 : w.asLong();
  }
}
