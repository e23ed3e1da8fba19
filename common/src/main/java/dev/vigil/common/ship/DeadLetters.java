package dev.vigil.common.ship;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The dead-letter file: one JSON line per record OpenSearch rejected for its content, {@code
 * {"@timestamp", "data_class", "index", "id", "status", "reason", "source"}} with the original
 * document as a string in {@code source}, forced to disk before the record counts as dead-lettered.
 * It is append-only and unbounded on purpose (rejections are bugs to fix, not traffic); an operator
 * re-ships it after fixing the mapping.
 */
public final class DeadLetters implements Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final FileChannel ch;

  public DeadLetters(Path file) throws IOException {
    this.file = file;
    Files.createDirectories(file.toAbsolutePath().getParent());
    this.ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  public Path file() {
    return file;
  }

  public synchronized void write(Doc d, String index, int status, String reason) {
    ObjectNode n = JSON.createObjectNode();
    n.put("@timestamp", Instant.now().toString());
    n.put("data_class", d.dataClass().wireName());
    n.put("index", index);
    n.put("id", d.id());
    n.put("status", status);
    n.put("reason", reason);
    n.put("source", d.json());
    try {
      ByteBuffer b =
          ByteBuffer.wrap((JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("dead-letter write to " + file, e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    ch.close();
  }
}
