package dev.vigil.common.ship;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.schema.DataClass;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir Path dir;

  private static Doc doc(int i) {
    return Doc.of(
        DataClass.CONN, 1_700_000_000_000L + i, "{\"n\":" + i + ",\"pad\":\"xxxxxxxxxx\"}");
  }

  private static List<Integer> drain(Spool s) {
    List<Integer> seen = new ArrayList<>();
    while (true) {
      Spool.Batch b = s.read(7, Long.MAX_VALUE);
      if (b.docs().isEmpty() && b.torn() == 0) {
        s.commit(b);
        if (s.isEmpty()) {
          return seen;
        }
        continue;
      }
      for (Doc d : b.docs()) {
        seen.add((int) (d.epochMillis() - 1_700_000_000_000L));
      }
      s.commit(b);
    }
  }

  @Test
  void replaysInAppendOrderAcrossSegmentsAndRestarts() throws IOException {
    ShipperMetrics m = new ShipperMetrics();
    try (Spool s = new Spool(dir, 1 << 20, 512, m)) {
      for (int i = 0; i < 50; i++) {
        assertThat(s.append(doc(i))).isTrue();
      }
      s.sync();
      assertThat(s.segments()).hasSizeGreaterThan(3);
      // consume the first 10 and "crash" (no close)
      Spool.Batch b = s.read(10, Long.MAX_VALUE);
      assertThat(b.docs()).extracting(Doc::json).first().asString().contains("\"n\":0,");
      s.commit(b);
    }
    try (Spool s = new Spool(dir, 1 << 20, 512, m)) {
      for (int i = 50; i < 60; i++) {
        s.append(doc(i));
      }
      List<Integer> expected = new ArrayList<>();
      for (int i = 10; i < 60; i++) {
        expected.add(i);
      }
      assertThat(drain(s)).isEqualTo(expected);
      assertThat(s.isEmpty()).isTrue();
      assertThat(s.bytes()).isZero();
    }
    assertThat(dir.toFile().list((d, n) -> n.endsWith(".seg"))).isEmpty();
  }

  @Test
  void readDoesNotConsumeUntilCommit() throws IOException {
    try (Spool s = new Spool(dir, 1 << 20, 1 << 20, new ShipperMetrics())) {
      for (int i = 0; i < 5; i++) {
        s.append(doc(i));
      }
      Spool.Batch first = s.read(3, Long.MAX_VALUE);
      Spool.Batch again = s.read(3, Long.MAX_VALUE);
      assertThat(again.docs()).isEqualTo(first.docs());
      s.commit(first);
      assertThat(s.read(10, Long.MAX_VALUE).docs()).hasSize(2);
    }
  }

  @Test
  void prependPutsAFailedBatchAheadOfLaterAppends() throws IOException {
    try (Spool s = new Spool(dir, 1 << 20, 1 << 20, new ShipperMetrics())) {
      s.append(doc(3));
      s.append(doc(4));
      s.prepend(List.of(doc(0), doc(1), doc(2)));
      s.append(doc(5));
      assertThat(drain(s)).containsExactly(0, 1, 2, 3, 4, 5);
    }
  }

  @Test
  void tornTailAfterACrashIsSkippedAndCounted() throws IOException {
    ShipperMetrics m = new ShipperMetrics();
    Spool s = new Spool(dir, 1 << 20, 1 << 20, m);
    for (int i = 0; i < 20; i++) {
      s.append(doc(i));
    }
    s.sync();
    Map<Long, Long> segs = s.segments();
    // crash: no close; the last record loses its last 5 bytes
    Path seg = dir.resolve(segs.keySet().iterator().next() + ".seg");
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 5);
    }
    try (Spool after = new Spool(dir, 1 << 20, 1 << 20, m)) {
      after.append(doc(20)); // a new process appends to a new segment
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < 19; i++) {
        expected.add(i);
      }
      expected.add(20);
      assertThat(drain(after)).isEqualTo(expected);
      assertThat(m.tornRecords.get()).isEqualTo(1);
    }
  }

  @Test
  void corruptedRecordInTheMiddleIsSkippedByCrc() throws IOException {
    ShipperMetrics m = new ShipperMetrics();
    long recordLen;
    try (Spool s = new Spool(dir, 1 << 20, 1 << 20, m)) {
      for (int i = 0; i < 3; i++) {
        s.append(doc(i));
      }
      recordLen = Spool.encode(doc(0)).remaining();
      s.sync();
    }
    Path seg;
    try (var files = java.nio.file.Files.list(dir)) {
      seg = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {'X'}), recordLen + Spool.HEADER + 12);
    }
    try (Spool s = new Spool(dir, 1 << 20, 1 << 20, m)) {
      assertThat(drain(s)).containsExactly(0, 2);
      assertThat(m.tornRecords.get()).isEqualTo(1);
    }
  }

  @Test
  void fullSpoolRefusesTheNewestAndKeepsTheOldest() throws IOException {
    long one = Spool.encode(doc(0)).remaining();
    try (Spool s = new Spool(dir, one * 10, one * 4, new ShipperMetrics())) {
      int accepted = 0;
      for (int i = 0; i < 15; i++) {
        if (s.append(doc(i))) {
          accepted++;
        }
      }
      assertThat(accepted).isEqualTo(10);
      assertThat(s.bytes()).isEqualTo(one * 10);
      assertThat(drain(s)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
      assertThat(s.append(doc(99))).as("room again once replayed").isTrue();
    }
  }
}
