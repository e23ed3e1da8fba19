package dev.vigil.sensor.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StreamArenaTest {
  static byte[] data(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  @Test
  void outOfOrderAndRetransmittedSegmentsGiveTheStreamInOrder() {
    StreamArena a = new StreamArena(2);
    int s = a.acquire();
    byte[] d = data(1000);
    // segments [600,1000), [200,400), [0,200) retransmitted twice, then [400,600)
    assertThat(a.add(s, 0, 600, d, 600, 400)).isZero();
    assertThat(a.add(s, 0, 200, d, 200, 200)).isZero();
    assertThat(a.add(s, 0, 0, d, 0, 200)).isEqualTo(400);
    assertThat(a.add(s, 0, 0, d, 0, 200)).isEqualTo(400);
    assertThat(a.add(s, 0, 150, d, 150, 100)).isEqualTo(400);
    assertThat(a.add(s, 0, 400, d, 400, 200)).isEqualTo(1000);
    assertThat(Arrays.copyOf(a.buffer(s, 0), 1000)).isEqualTo(d);
    assertThat(a.contiguous(s, 1)).isZero();
  }

  @Test
  void boundsBeforeStartBeyondCapAndHoles() {
    StreamArena a = new StreamArena(1);
    int s = a.acquire();
    byte[] d = data(StreamArena.CAP + 100);
    assertThat(a.add(s, 1, -10, d, 0, 10)).isZero(); // wholly before the start
    assertThat(a.add(s, 1, -10, d, 0, 20)).isEqualTo(10); // straddles it
    assertThat(a.add(s, 1, StreamArena.CAP, d, 0, 5)).isEqualTo(StreamArena.DROPPED);
    for (int i = 0; i < StreamArena.HOLES; i++) {
      assertThat(a.add(s, 1, 100 + 20 * i, d, 0, 10)).isEqualTo(10);
    }
    assertThat(a.add(s, 1, 1000, d, 0, 10)).isEqualTo(StreamArena.DROPPED); // no range left
    // filling up to the cap: cut at CAP, later bytes refused without a drop
    assertThat(a.add(s, 1, 10, d, 10, StreamArena.CAP + 50)).isEqualTo(StreamArena.CAP);
    assertThat(a.add(s, 1, StreamArena.CAP + 10, d, 0, 5)).isEqualTo(StreamArena.CAP);
    // source shorter than it claims: refused, nothing copied
    assertThat(a.add(s, 0, 0, new byte[4], 2, 10)).isEqualTo(StreamArena.DROPPED);
  }

  @Test
  void poolIsBoundedAndReused() {
    StreamArena a = new StreamArena(2);
    int x = a.acquire();
    int y = a.acquire();
    assertThat(a.acquire()).isEqualTo(-1);
    byte[] bx = a.buffer(x, 0);
    a.add(x, 0, 0, data(10), 0, 10);
    a.release(x);
    int z = a.acquire();
    assertThat(z).isEqualTo(x);
    assertThat(a.buffer(z, 0)).isSameAs(bx);
    assertThat(a.contiguous(z, 0)).isZero();
    assertThat(a.inUse()).isEqualTo(2);
    assertThat(y).isNotEqualTo(x);
  }
}
