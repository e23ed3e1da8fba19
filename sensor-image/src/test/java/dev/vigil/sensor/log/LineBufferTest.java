package dev.vigil.sensor.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sensor.flow.Uids;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte-level line builder writes exactly what the StringBuilder helpers of {@link Json} do. */
class LineBufferTest {
  private static String text(LineBuffer b) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    b.writeTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void sameTextAsTheStringHelpers() throws Exception {
    SplittableRandom rnd = new SplittableRandom(7);
    long[] edge = {0, 1, -1, 9, 10, 99, 100, 999_999, 1_000_000, Long.MAX_VALUE, Long.MIN_VALUE};
    for (int i = 0; i < 20_000; i++) {
      long v = i < edge.length ? edge[i] : rnd.nextLong() >> rnd.nextInt(64);
      long hi = rnd.nextBoolean() ? 0 : rnd.nextLong();
      long lo = rnd.nextInt(4) == 0 ? rnd.nextLong() & 0xffff0000ffffL : rnd.nextLong();
      boolean v4 = rnd.nextBoolean();
      LineBuffer b = new LineBuffer();
      b.append(v).append(' ').appendSeconds(v).append(' ').appendAddress(hi, lo, v4);
      b.append(' ').appendUid('C', v, i).append(' ').appendJsonString("a\"\\\n\u00e9\u0001");
      StringBuilder sb = new StringBuilder().append(v).append(' ');
      Json.appendSeconds(sb, v);
      sb.append(' ');
      Json.appendAddress(sb, hi, lo, v4);
      sb.append(' ').append(Uids.uid(v, i)).append(' ');
      Json.appendString(sb, "a\"\\\n\u00e9\u0001");
      assertThat(text(b)).isEqualTo(sb.toString());
    }
  }
}
