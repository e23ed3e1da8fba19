package dev.vigil.sensor.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.sensor.decode.Weirds;
import java.util.ArrayList;
import java.util.List;

/**
 * Jazzer target: one {@link HttpFlow} fed any bytes in both directions, in any chunks, in order
 * ({@link HttpFlow#feed}) or as segments with gaps and overlaps ({@link HttpFlow#segment}), then
 * ended ({@link HttpFlow#flush}) (README "Fuzzing"). Properties: nothing throws; each direction's
 * cursor is the stream offset of what it was given; transactions have a depth of at least 1, body
 * lengths within what the stream carried, a status code of three digits or -1; a stopped direction
 * stays stopped. Regression inputs: {@code
 * src/test/resources/dev/vigil/sensor/analyzer/HttpFlowFuzzTestInputs/}.
 */
class HttpFlowFuzzTest {
  final Weirds weirds = new Weirds();
  final HttpFlow flow = new HttpFlow(weirds);
  final List<HttpTransaction> out = new ArrayList<>();
  final HttpFlow.Out sink = (f, t) -> out.add(t);

  @FuzzTest(maxDuration = "20s")
  void feed(FuzzedDataProvider data) {
    flow.reset(1, 0);
    out.clear();
    long[] end = new long[2]; // highest stream offset given, per direction
    boolean[] stopped = new boolean[2];
    int chunks = 0;
    while (data.remainingBytes() > 0 && chunks++ < 64) {
      int role = data.consumeBoolean() ? HttpFlow.RSP : HttpFlow.REQ;
      int mode = data.consumeInt(0, 3);
      byte[] bytes = data.consumeBytes(data.consumeInt(0, 3000));
      long cur = flow.cursor[role];
      if (mode < 3) {
        flow.feed(role, bytes, 0, bytes.length, chunks, sink);
        assertThat(flow.cursor[role]).as("cursor after feed").isEqualTo(cur + bytes.length);
        end[role] = Math.max(end[role], cur + bytes.length);
      } else {
        long rel = Math.max(0, cur + data.consumeInt(-200, 200)); // overlap or gap
        flow.segment(role, rel, bytes, 0, bytes.length, chunks, sink);
        assertThat(flow.cursor[role]).as("cursor never goes back").isGreaterThanOrEqualTo(cur);
        end[role] = Math.max(end[role], rel + bytes.length);
      }
      assertThat(flow.cursor[role]).isLessThanOrEqualTo(Math.max(end[role], cur));
      for (int r = 0; r < 2; r++) {
        if (stopped[r]) {
          assertThat(flow.stopped(r)).as("a stopped direction restarted").isTrue();
        }
        stopped[r] = flow.stopped(r);
      }
    }
    flow.flush(sink);
    for (HttpTransaction t : out) {
      assertThat(t.transDepth()).isPositive();
      assertThat(t.requestBodyLen()).isBetween(0L, end[HttpFlow.REQ]);
      assertThat(t.responseBodyLen()).isBetween(0L, end[HttpFlow.RSP]);
      if (t.statusCode() != -1) {
        assertThat(t.statusCode()).isBetween(0, 999);
      }
      if (t.method() != null) {
        assertThat(t.method()).isNotEmpty();
        assertThat(t.uri()).isNotEmpty();
      }
    }
  }
}
