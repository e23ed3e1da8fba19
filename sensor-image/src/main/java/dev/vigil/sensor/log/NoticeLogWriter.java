package dev.vigil.sensor.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.common.schema.Alert;
import dev.vigil.common.schema.DataClass;
import dev.vigil.common.ship.Doc;
import dev.vigil.common.ship.Shipper;
import dev.vigil.sensor.detect.NoticeSink;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes notice.log: one alert per line in the common ECS schema ({@link Alert#toJson()} plus the
 * sensor's {@code vigil.evidence}), flushed at each alert so a responder tailing the file sees it
 * at once. The file is created at the first alert, so a run without alerts leaves no notice.log.
 *
 * <p>With a {@link Shipper}, every line is also offered as a {@link DataClass#ALERTS} document
 * whose id is {@code <dedup key>@<zeek uid>}: one document per finding and connection, stable when
 * the same capture is read again. Thread-safe: the workers of a live sensor share one writer.
 */
public final class NoticeLogWriter implements NoticeSink, Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Shipper shipper;
  private final LongAdder shipRefused = new LongAdder();
  private Writer out;
  private long written;

  /**
   * @param shipper also offers every alert to OpenSearch, or null for the file only
   */
  public NoticeLogWriter(Path file, Shipper shipper) {
    this.file = file;
    this.shipper = shipper;
  }

  /** Alerts the shipper refused (queue and spool full); they are in the file only. */
  public long shipRefused() {
    return shipRefused.sum();
  }

  public synchronized long written() {
    return written;
  }

  @Override
  public synchronized void onAlert(Alert alert, ObjectNode json) {
    String line;
    try {
      line = JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an ObjectNode always serialises", e);
    }
    if (shipper != null) {
      String id =
          alert.dedupKey() + "@" + (alert.zeekUid() != null ? alert.zeekUid() : alert.timestamp());
      if (shipper.offer(Doc.withId(DataClass.ALERTS, alert.timestamp().toEpochMilli(), id, line))
          == Shipper.Offer.REFUSED) {
        shipRefused.increment();
      }
    }
    try {
      if (out == null) {
        out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 14);
      }
      out.append(line).append('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    written++;
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
    }
  }
}
