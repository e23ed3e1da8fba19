package dev.vigil.sensor.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer target: {@link Stratum#classify} and {@link Stratum#credentials} on any client stream
 * prefix, and {@link Getwork#matches} on any request body (README "Fuzzing"). Properties: nothing
 * throws; a complete prefix is never {@link Stratum#NEED_MORE}; the method, login and agent bounds
 * lie inside the prefix, in order, and values are at most {@link Stratum#MAX_VALUE} bytes; results
 * do not depend on the bytes past the prefix in its buffer. Regression inputs: {@code
 * src/test/resources/dev/vigil/sensor/analyzer/StratumFuzzTestInputs/}.
 */
class StratumFuzzTest {
  final Stratum stratum = new Stratum();
  final Stratum other = new Stratum();

  @FuzzTest(maxDuration = "20s")
  void classify(FuzzedDataProvider data) {
    boolean complete = data.consumeBoolean();
    byte[] prefix = data.consumeRemainingAsBytes();
    int len = prefix.length;
    byte[] a = Arrays.copyOf(prefix, len + 64); // the stream buffer is larger than its content
    byte[] b = Arrays.copyOf(prefix, len + 64);
    Arrays.fill(b, len, b.length, (byte) '"');
    int r = stratum.classify(a, len, complete);
    assertThat(r).isIn(Stratum.NEED_MORE, Stratum.OTHER, Stratum.MINING);
    assertThat(other.classify(b, len, complete)).as("read past the prefix").isEqualTo(r);
    if (r == Stratum.NEED_MORE) {
      assertThat(complete).as("a complete prefix is never NEED_MORE").isFalse();
    }
    if (r == Stratum.MINING) {
      assertThat(stratum.methodStart).isBetween(1, stratum.methodEnd);
      assertThat(stratum.methodEnd).isLessThan(stratum.lineEnd);
      assertThat(stratum.lineEnd).isLessThanOrEqualTo(len);
    }
    boolean found = stratum.credentials(a, len);
    assertThat(other.credentials(b, len)).as("read past the prefix").isEqualTo(found);
    if (found) {
      assertThat(stratum.loginStart).isBetween(1, stratum.loginEnd);
      assertThat(stratum.loginEnd).isLessThan(len);
      assertThat(stratum.loginEnd - stratum.loginStart).isLessThanOrEqualTo(Stratum.MAX_VALUE);
      if (stratum.workerStart >= 0) {
        assertThat(stratum.workerStart).isBetween(1, stratum.workerEnd);
        assertThat(stratum.workerEnd).isLessThan(len);
      }
    }
    if (stratum.agentStart >= 0) {
      assertThat(stratum.agentStart).isBetween(1, stratum.agentEnd);
      assertThat(stratum.agentEnd).isLessThan(len);
      assertThat(stratum.agentEnd - stratum.agentStart).isLessThanOrEqualTo(Stratum.MAX_VALUE);
    }
    assertThat(Getwork.matches(b, len)).isEqualTo(Getwork.matches(a, len));
  }
}
