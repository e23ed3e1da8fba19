package dev.vigil.common.ship;

import dev.vigil.common.schema.DataClass;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A bounded, append-only, CRC-checked on-disk FIFO of {@link Doc}s in segment files {@code
 * <id>.seg}, read in segment-id order.
 *
 * <pre>
 * record:  0       4       8      9             17        19         19+idLen
 *          +-------+-------+------+-------------+---------+----------+-----------+
 *          | len   | crc32c| class| epochMillis | idLen   | id UTF-8 | json UTF-8|
 *          +-------+-------+------+-------------+---------+----------+-----------+
 *          len = bytes after the 8-byte header; crc32c covers those bytes
 * </pre>
 *
 * <ul>
 *   <li><b>Bound.</b> {@link #append} refuses (returns false) once the segment files would exceed
 *       {@code maxBytes}: the <em>newest</em> record is refused, never the oldest dropped, because
 *       what is already spooled is in order and was promised to the caller; the refusal is returned
 *       to the producer and counted ({@code spool_full_refused_total}). {@link #prepend} (a failed
 *       in-flight batch going back to the head) and {@link #appendUnbounded} (close) may overshoot
 *       by one batch, so nothing accepted earlier is ever lost.
 *   <li><b>Durability.</b> Appends are written at once and forced by {@link #sync()}, which the
 *       shipper calls before counting a batch spooled and at least every loop (≤ linger). Prepended
 *       segments are forced before {@link #prepend} returns.
 *   <li><b>Crash.</b> A fresh process never appends to an old segment. On replay a record whose
 *       length runs past the end of its segment (torn tail) ends that segment; one whose CRC does
 *       not match is skipped; both are counted as torn once, when the batch holding them commits.
 *   <li><b>Cursor.</b> The read position (segment, offset) is kept in {@code cursor} after each
 *       {@link #commit}, not forced: after a crash at most the last batch is replayed again, and
 *       deterministic document ids make that a no-op in OpenSearch.
 * </ul>
 *
 * <p>Thread-safe; all methods synchronise on the spool.
 */
public final class Spool implements Closeable {
  static final int HEADER = 8;
  private static final int BODY_FIXED = 1 + 8 + 2;
  private static final long FIRST_ID = 1_000_000_000_000L;
  private static final String SUFFIX = ".seg";
  private static final DataClass[] CLASSES = DataClass.values();

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final ShipperMetrics metrics;
  private final TreeMap<Long, Long> segments = new TreeMap<>(); // id -> size in bytes
  private long readOffset; // into segments.firstKey()
  private FileChannel writer;
  private long writerId = -1;
  private boolean dirty;
  private long totalBytes;

  /** What {@link #read} returned; pass it to {@link #commit} once its docs are dealt with. */
  public record Batch(List<Doc> docs, long endSegment, long endOffset, int torn) {
    public boolean advanced(long startSegment, long startOffset) {
      return endSegment != startSegment || endOffset != startOffset;
    }
  }

  public Spool(Path dir, long maxBytes, long segmentBytes, ShipperMetrics metrics)
      throws IOException {
    this.dir = Files.createDirectories(dir);
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.metrics = metrics;
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.endsWith(SUFFIX)) {
          long id = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
          long size = Files.size(p);
          segments.put(id, size);
          totalBytes += size;
        }
      }
    }
    Path cursor = dir.resolve("cursor");
    if (Files.exists(cursor)) {
      String[] parts = Files.readString(cursor).trim().split(":");
      long seg = Long.parseLong(parts[0]);
      long off = Long.parseLong(parts[1]);
      for (Long id : new ArrayList<>(segments.headMap(seg).keySet())) {
        delete(id);
      }
      readOffset = segments.containsKey(seg) ? off : 0;
    }
    dropConsumed();
    metrics.spoolBytes.set(totalBytes);
  }

  public synchronized boolean isEmpty() {
    return segments.isEmpty();
  }

  public synchronized long bytes() {
    return totalBytes;
  }

  /** Appends one record unless the spool is full; forced by the next {@link #sync()}. */
  public synchronized boolean append(Doc doc) {
    ByteBuffer rec = encode(doc);
    if (totalBytes + rec.remaining() > maxBytes) {
      return false;
    }
    write(rec);
    return true;
  }

  /** Appends ignoring the bound (used on close, so what was accepted is not lost). */
  public synchronized void appendUnbounded(List<Doc> docs) {
    for (Doc d : docs) {
      write(encode(d));
    }
    sync();
  }

  /**
   * Puts {@code docs} ahead of everything spooled (in a new, lower-numbered segment, forced before
   * returning). Only valid while nothing of the head segment has been read — the shipper prepends a
   * failed direct batch, which it only sends while the spool was empty; otherwise it appends.
   */
  public synchronized void prepend(List<Doc> docs) {
    if (docs.isEmpty()) {
      return;
    }
    if (readOffset != 0) {
      appendUnbounded(docs); // cannot happen in the shipper; keeps the records anyway
      return;
    }
    long id = segments.isEmpty() ? nextId() : segments.firstKey() - 1;
    Path p = segment(id);
    long size = 0;
    try (FileChannel ch =
        FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (Doc d : docs) {
        ByteBuffer rec = encode(d);
        size += rec.remaining();
        while (rec.hasRemaining()) {
          ch.write(rec);
        }
      }
      ch.force(true);
      forceDir();
    } catch (IOException e) {
      throw new UncheckedIOException("spool prepend to " + p, e);
    }
    segments.put(id, size);
    totalBytes += size;
    metrics.spoolBytes.set(totalBytes);
  }

  /** Forces appended records to disk. */
  public synchronized void sync() {
    if (dirty && writer != null) {
      try {
        writer.force(false);
      } catch (IOException e) {
        throw new UncheckedIOException("spool fsync", e);
      }
    }
    dirty = false;
  }

  /** Up to {@code maxDocs} records / about {@code maxBytes} bytes from the head, not consumed. */
  public synchronized Batch read(int maxDocs, long maxBatchBytes) {
    List<Doc> docs = new ArrayList<>();
    int torn = 0;
    long bytes = 0;
    long seg = segments.isEmpty() ? -1 : segments.firstKey();
    long off = readOffset;
    while (seg >= 0 && docs.size() < maxDocs && bytes < maxBatchBytes) {
      long size = segments.get(seg);
      try (FileChannel ch = FileChannel.open(segment(seg), StandardOpenOption.READ)) {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (off < size && docs.size() < maxDocs && bytes < maxBatchBytes) {
          if (size - off < HEADER) {
            torn++;
            off = size;
            break;
          }
          readFully(ch, header.clear(), off);
          int len = header.getInt(0);
          int crc = header.getInt(4);
          if (len < BODY_FIXED || len > size - off - HEADER) {
            torn++; // torn tail: nothing after it in this segment can be framed
            off = size;
            break;
          }
          ByteBuffer body = ByteBuffer.allocate(len);
          readFully(ch, body, off + HEADER);
          off += HEADER + len;
          CRC32C c = new CRC32C();
          c.update(body.array(), 0, len);
          if ((int) c.getValue() != crc) {
            torn++;
            continue;
          }
          Doc d = decode(body.array(), len);
          if (d == null) {
            torn++;
            continue;
          }
          docs.add(d);
          bytes += len;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("spool read " + segment(seg), e);
      }
      if (off < size || seg == writerId) {
        break; // batch full, or caught up with the segment being written
      }
      Long next = segments.higherKey(seg);
      if (next == null) {
        break;
      }
      seg = next;
      off = 0;
    }
    return new Batch(docs, seg, off, torn);
  }

  /** Marks everything up to the batch's end consumed; deletes segments read to their end. */
  public synchronized void commit(Batch b) {
    if (b.endSegment() < 0) {
      return;
    }
    for (Long id : new ArrayList<>(segments.headMap(b.endSegment()).keySet())) {
      delete(id);
    }
    readOffset = b.endOffset();
    metrics.tornRecords.addAndGet(b.torn());
    dropConsumed();
    Path cursor = dir.resolve("cursor");
    try {
      if (segments.isEmpty()) {
        Files.deleteIfExists(cursor);
      } else {
        Path tmp = dir.resolve("cursor.tmp");
        Files.writeString(tmp, segments.firstKey() + ":" + readOffset + "\n");
        try {
          Files.move(
              tmp, cursor, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, cursor, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("spool cursor", e);
    }
  }

  @Override
  public synchronized void close() {
    sync();
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException ignored) {
        // forced above
      }
      writer = null;
      writerId = -1;
    }
  }

  private void dropConsumed() {
    while (!segments.isEmpty()) {
      long first = segments.firstKey();
      if (readOffset < segments.get(first)) {
        return;
      }
      if (first == writerId) {
        try {
          writer.close();
        } catch (IOException ignored) {
          // fully consumed; its content is gone anyway
        }
        writer = null;
        writerId = -1;
        dirty = false;
      }
      delete(first);
      readOffset = 0;
    }
  }

  private void delete(long id) {
    Long size = segments.remove(id);
    if (size != null) {
      totalBytes -= size;
    }
    try {
      Files.deleteIfExists(segment(id));
    } catch (IOException e) {
      throw new UncheckedIOException("spool delete segment " + id, e);
    }
    metrics.spoolBytes.set(totalBytes);
  }

  private void write(ByteBuffer rec) {
    int len = rec.remaining();
    try {
      if (writer == null
          || (segments.get(writerId) > 0 && segments.get(writerId) + len > segmentBytes)) {
        roll();
      }
      while (rec.hasRemaining()) {
        writer.write(rec);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("spool append", e);
    }
    segments.merge(writerId, (long) len, Long::sum);
    totalBytes += len;
    dirty = true;
    metrics.spoolBytes.set(totalBytes);
  }

  private void roll() throws IOException {
    if (writer != null) {
      writer.force(false);
      writer.close();
    }
    writerId = nextId();
    writer =
        FileChannel.open(
            segment(writerId), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    segments.put(writerId, 0L);
    forceDir();
    dirty = false;
  }

  /** Makes a new segment's directory entry durable (Linux allows fsync on a directory). */
  private void forceDir() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Not supported on every platform/file system; the segment data itself is forced.
    }
  }

  private long nextId() {
    return segments.isEmpty() ? FIRST_ID : segments.lastKey() + 1;
  }

  private Path segment(long id) {
    return dir.resolve(id + SUFFIX);
  }

  static ByteBuffer encode(Doc d) {
    byte[] id = d.id().getBytes(StandardCharsets.UTF_8);
    byte[] json = d.json().getBytes(StandardCharsets.UTF_8);
    int len = BODY_FIXED + id.length + json.length;
    ByteBuffer b = ByteBuffer.allocate(HEADER + len);
    b.putInt(len).putInt(0);
    b.put((byte) d.dataClass().ordinal())
        .putLong(d.epochMillis())
        .putShort((short) id.length)
        .put(id)
        .put(json);
    CRC32C c = new CRC32C();
    c.update(b.array(), HEADER, len);
    b.putInt(4, (int) c.getValue());
    return b.flip();
  }

  private static Doc decode(byte[] body, int len) {
    ByteBuffer b = ByteBuffer.wrap(body, 0, len);
    int cls = b.get() & 0xFF;
    long ts = b.getLong();
    int idLen = b.getShort() & 0xFFFF;
    if (cls >= CLASSES.length || idLen == 0 || BODY_FIXED + idLen > len) {
      return null;
    }
    String id = new String(body, BODY_FIXED, idLen, StandardCharsets.UTF_8);
    String json =
        new String(body, BODY_FIXED + idLen, len - BODY_FIXED - idLen, StandardCharsets.UTF_8);
    return new Doc(CLASSES[cls], ts, id, json);
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, pos + b.position());
      if (n < 0) {
        throw new IOException("unexpected end of segment");
      }
    }
    b.flip();
  }

  /** For tests and diagnostics: segment id to size. */
  synchronized Map<Long, Long> segments() {
    return new TreeMap<>(segments);
  }

  Path dir() {
    return dir;
  }
}
