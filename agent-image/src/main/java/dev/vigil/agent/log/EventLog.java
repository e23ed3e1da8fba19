package dev.vigil.agent.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON-lines logs in the {@code --events} directory, one file per stream, like the sensor's: {@code
 * process.log}, {@code socket.log}, {@code resource.log}, {@code notice.log} (alerts) and {@code
 * agent.log} (the agent's own status). Lines are buffered; the agent calls {@link #flush()} after
 * each ring buffer batch and sampler tick, so tailers see them within ~100 ms without a write(2)
 * per event.
 */
public final class EventLog implements AutoCloseable {
  public static final String PROCESS = "process.log";
  public static final String SOCKET = "socket.log";
  public static final String RESOURCE = "resource.log";
  public static final String NOTICE = "notice.log";
  public static final String AGENT = "agent.log";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;
  private final Map<String, Writer> writers = new ConcurrentHashMap<>();
  private volatile Tap tap = (stream, epochMillis, line) -> {};

  /** Sees every line written, exactly as it goes to the file (e.g. the OpenSearch shipper). */
  @FunctionalInterface
  public interface Tap {
    void line(String stream, long epochMillis, String line);
  }

  public EventLog(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Sends every line written from now on to {@code t} as well. */
  public void tap(Tap t) {
    tap = t;
  }

  /**
   * Writes {@code {"ts": <epoch seconds>, ...fields}} as one line. {@code ts} is written in plain
   * decimal with milliseconds ({@code 1700000000.123}), as Zeek writes it and as the index's {@code
   * epoch_second} date format parses it; a double would print as {@code 1.700000000123E9}, which
   * OpenSearch rejects.
   */
  public void write(String stream, long epochMillis, Map<String, Object> fields) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("ts", BigDecimal.valueOf(epochMillis, 3));
    line.putAll(fields);
    String text;
    try {
      text = JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serialisable: " + fields, e);
    }
    writeLine(stream, epochMillis, text);
  }

  /** Writes one already-serialised JSON line (no newline in it), e.g. an ECS alert. */
  public void writeLine(String stream, long epochMillis, String text) {
    Writer w = writers.computeIfAbsent(stream, this::open);
    synchronized (w) {
      try {
        w.write(text);
        w.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    tap.line(stream, epochMillis, text);
  }

  private Writer open(String stream) {
    try {
      return Files.newBufferedWriter(
          dir.resolve(stream),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pushes buffered lines to the files. */
  public void flush() {
    for (Writer w : writers.values()) {
      synchronized (w) {
        try {
          w.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  @Override
  public void close() {
    for (Writer w : writers.values()) {
      synchronized (w) {
        try {
          w.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
    writers.clear();
  }
}
