package dev.vigil.sensor.detect;

import static dev.vigil.sensor.detect.NoticeLogEndToEndTest.SERVER_HELLO;
import static dev.vigil.sensor.detect.NoticeLogEndToEndTest.ascii;
import static dev.vigil.sensor.detect.NoticeLogEndToEndTest.lines;
import static dev.vigil.sensor.detect.NoticeLogEndToEndTest.minerLogsIn;
import static dev.vigil.sensor.detect.NoticeLogEndToEndTest.minerSubscribes;
import static dev.vigil.sensor.detect.NoticeLogEndToEndTest.open;
import static dev.vigil.sensor.testutil.TcpConv.PSH;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.sensor.testutil.PcapWriter;
import dev.vigil.sensor.testutil.SensorRun;
import dev.vigil.sensor.testutil.TcpConv;
import dev.vigil.sensor.testutil.TlsHellos;
import dev.vigil.sensor.testutil.Trace;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts are written when the deciding fact is seen, not when the connection ends: the CLI reads a
 * capture from a named pipe the test writes in two parts. The first part holds a long-lived
 * connection up to the packets that identify it (a Stratum login, a blocklisted ClientHello); the
 * test waits until notice.log has the alert while the pipe is still open and the sensor still
 * reading, then writes two more hours of the same connection (never closed, no active timeout) and
 * closes the pipe. The connection is then reported once, as one connection, and alerted once.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AlertWhileOpenEndToEndTest {
  static final long MINUTE = 60_000_000L; // µs

  @TempDir Path dir;

  /** A miner: subscribe, the pool's answer, authorize (the login); then two hours of work. */
  static Trace stratum(boolean rest) {
    Trace t = new Trace();
    TcpConv m = open(t, "192.0.2.51", 52001, "192.0.2.99", 3333);
    minerLogsIn(m);
    if (rest) {
      m.s(10, PSH, ascii("{\"id\":2,\"result\":true,\"error\":null}\n"));
      for (int i = 0; i < 120; i++) { // a job a minute, a share for each
        m.s(
            MINUTE,
            PSH,
            ascii("{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"" + i + "\"]}\n"));
        m.c(
            1000,
            PSH,
            ascii(
                "{\"params\":[\"bc1qminer.rig7\",\""
                    + i
                    + "\",\"00000000\",\"5f5e1000\",\"1d2c3b4a\"],\"id\":"
                    + (3 + i)
                    + ",\"method\":\"mining.submit\"}\n"));
      }
    }
    return t;
  }

  /**
   * A miner that subscribes and submits without authorising first: the fact is handed over at its
   * 4th line (no login seen); the authorize it sends much later is not waited for.
   */
  static Trace stratumWithoutLogin(boolean rest) {
    Trace t = new Trace();
    TcpConv m = open(t, "192.0.2.51", 52002, "192.0.2.99", 3333);
    minerSubscribes(m);
    for (int i = 0; i < 3; i++) {
      m.c(
          MINUTE,
          PSH,
          ascii(
              "{\"params\":[\"w\",\""
                  + i
                  + "\"],\"id\":"
                  + (2 + i)
                  + ",\"method\":\"mining.submit\"}\n"));
    }
    if (rest) {
      for (int i = 0; i < 120; i++) {
        m.c(
            MINUTE,
            PSH,
            ascii(
                "{\"params\":[\"late.rig\",\"x\"],\"id\":"
                    + (5 + i)
                    + ",\"method\":\"mining.authorize\"}\n"));
      }
    }
    return t;
  }

  /** A TLS client whose JA3 is blocklisted: its ClientHello; then two hours of application data. */
  static Trace tls(boolean rest) {
    Trace t = new Trace();
    TcpConv c = open(t, "192.0.2.50", 51000, "192.0.2.60", 443);
    c.c(10, PSH, TlsHellos.chrome().record());
    if (rest) {
      c.s(10, PSH, SERVER_HELLO).c(10, PSH, TlsHellos.CHANGE_CIPHER_SPEC);
      byte[] appData = new byte[] {23, 3, 3, 0, 4, 1, 2, 3, 4};
      for (int i = 0; i < 120; i++) {
        c.c(MINUTE, PSH, appData).s(1000, PSH, appData);
      }
    }
    return t;
  }

  @Test
  void stratumLoginAlertsWhileTheConnectionIsOpen() throws Exception {
    Path policies = policies("0".repeat(32));
    JsonNode alert = alertBeforeTheEnd(AlertWhileOpenEndToEndTest::stratumPart, policies, 52001);
    assertThat(alert.at("/rule/name").asText()).isEqualTo("StratumMining");
    assertThat(alert.at("/message").asText())
        .isEqualTo(
            "Stratum mining from 192.0.2.51 to pool 192.0.2.99:3333 as bc1qminer.rig7,"
                + " agent cpuminer/2.5");
  }

  @Test
  void stratumWithoutLoginAlertsAtItsFourthLine() throws Exception {
    JsonNode alert =
        alertBeforeTheEnd(part -> stratumWithoutLogin(part != 0), policies("0".repeat(32)), 52002);
    assertThat(alert.at("/message").asText())
        .isEqualTo(
            "Stratum mining from 192.0.2.51 to pool 192.0.2.99:3333 (no login seen),"
                + " agent cpuminer/2.5");
    assertThat(alert.at("/vigil/evidence/stratum.login").isMissingNode()).isTrue();
  }

  @Test
  void blocklistedJa3AlertsAtTheClientHello() throws Exception {
    Trace full = tls(true);
    SensorRun plain = SensorRun.run(full, dir.resolve("plain"));
    assertThat(plain.exitCode()).as(plain.stderr()).isZero();
    String ja3 = plain.ssl(51000).get("ja3").asText();
    Path policies = policies(ja3);
    JsonNode alert = alertBeforeTheEnd(AlertWhileOpenEndToEndTest::tlsPart, policies, 51000);
    assertThat(alert.at("/rule/name").asText()).isEqualTo("TlsBlocklist");
    assertThat(alert.at("/tls/client/ja3").asText()).isEqualTo(ja3);
    assertThat(alert.at("/vigil/evidence/server_name").asText()).isEqualTo("tls.browserleaks.com");
    // the same capture read from a file gives the same notice.log
    SensorRun file = SensorRun.run(full, dir.resolve("file"), "--policy-dir", policies.toString());
    assertThat(file.exitCode()).as(file.stderr()).isZero();
    assertThat(Files.readString(dir.resolve("file/logs/notice.log")))
        .isEqualTo(Files.readString(dir.resolve("pipe/logs/notice.log")));
  }

  static Trace stratumPart(int part) {
    return stratum(part != 0);
  }

  static Trace tlsPart(int part) {
    return tls(part != 0);
  }

  private Path policies(String ja3) throws Exception {
    Path p = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(p.resolve("site-baseline.json"), NoticeLogEndToEndTest.enforce(ja3));
    return p;
  }

  /**
   * Streams {@code trace.apply(0)} (the packets up to the deciding fact), waits for notice.log's
   * alert with the sensor still reading, then the rest of {@code trace.apply(1)} (a superset) and
   * the end of input. Returns the one alert, after checking the connection it names.
   */
  private JsonNode alertBeforeTheEnd(IntFunction<Trace> trace, Path policies, int port)
      throws Exception {
    byte[] first = PcapWriter.pcap(trace.apply(0), ByteOrder.LITTLE_ENDIAN, false);
    byte[] all = PcapWriter.pcap(trace.apply(1), ByteOrder.LITTLE_ENDIAN, false);
    assertThat(java.util.Arrays.equals(all, 0, first.length, first, 0, first.length))
        .as("the first part is a prefix of the whole")
        .isTrue();
    Path fifo = dir.resolve("capture.pcap");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo (coreutils) needed for a pipe capture");
    Path out = dir.resolve("pipe");
    Path notice = out.resolve("logs/notice.log");
    CompletableFuture<SensorRun> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return SensorRun.run(
                    fifo, out.resolve("logs"), "--policy-dir", policies.toString());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    List<JsonNode> early;
    try (OutputStream pipe = Files.newOutputStream(fifo, StandardOpenOption.WRITE)) {
      pipe.write(first);
      pipe.flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      do {
        Thread.sleep(20);
        early = lines(notice);
      } while (early.isEmpty() && !run.isDone() && System.nanoTime() < deadline);
      assertThat(run.isDone()).as("the sensor is still reading the open capture").isFalse();
      assertThat(early).as("notice.log while the connection is open").hasSize(1);
      pipe.write(all, first.length, all.length - first.length);
    }
    SensorRun done = run.get(120, TimeUnit.SECONDS);
    assertThat(done.exitCode()).as(done.stderr()).isZero();
    List<JsonNode> alerts = lines(notice);
    assertThat(alerts).as("one alert for the connection, written early").isEqualTo(early);
    JsonNode conn = done.conn(port);
    assertThat(done.conns()).hasSize(1);
    assertThat(conn.get("conn_state").asText()).isEqualTo("S1"); // never closed
    assertThat(conn.get("duration").asDouble()).isGreaterThan(7000);
    assertThat(conn.get("orig_pkts").asLong()).isGreaterThan(120);
    JsonNode a = alerts.get(0);
    assertThat(a.at("/zeek/session_id").asText()).isEqualTo(conn.get("uid").asText());
    assertThat(a.at("/source/port").asInt()).isEqualTo(port);
    return a;
  }
}
