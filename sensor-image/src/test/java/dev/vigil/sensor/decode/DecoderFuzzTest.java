package dev.vigil.sensor.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer target: {@link Decoder#decode} on any frame of any link type we read, at any offset in its
 * buffer, with or without a snap-length cut (README "Fuzzing"). Properties: nothing throws; a frame
 * that does not decode counts a weird or is counted as not IP; a decoded frame describes an
 * IPv4/IPv6 packet whose transport payload lies inside the captured bytes, within the tunnel depth
 * limit; the result does not depend on the bytes past the captured length (the same frame followed
 * by other garbage decodes the same). Regression inputs: {@code
 * src/test/resources/dev/vigil/sensor/decode/DecoderFuzzTestInputs/}.
 */
class DecoderFuzzTest {
  static final int[] LINK_TYPES = {
    LinkTypes.ETHERNET,
    LinkTypes.RAW,
    LinkTypes.RAW_BSD,
    LinkTypes.RAW_OPENBSD,
    LinkTypes.IPV4,
    LinkTypes.IPV6,
    LinkTypes.LINUX_SLL,
    LinkTypes.LINUX_SLL2,
    LinkTypes.NULL,
    LinkTypes.LOOP,
    LinkTypes.PPP,
    147, // a link type we do not read
  };

  final Weirds weirds = new Weirds();
  final Decoder decoder = new Decoder(weirds);
  final PacketInfo p = new PacketInfo();
  final PacketInfo q = new PacketInfo();
  final Decoder other = new Decoder(new Weirds());

  @FuzzTest(maxDuration = "20s")
  void decode(FuzzedDataProvider data) {
    int linkType = LINK_TYPES[data.consumeInt(0, LINK_TYPES.length - 1)];
    int off = data.consumeInt(0, 15);
    int cut = data.consumeInt(0, 3); // wire length beyond the captured bytes: a snap-length cut
    byte[] frame = data.consumeRemainingAsBytes();
    int capLen = frame.length;
    int wireLen = capLen + (cut == 3 ? 1500 : 0);
    byte[] buf = new byte[off + capLen + 64];
    Arrays.fill(buf, (byte) 0x00);
    System.arraycopy(frame, 0, buf, off, capLen);
    long weirdsBefore = weirds.total();
    long nonIpBefore = decoder.nonIp;
    boolean ok = decoder.decode(linkType, buf, off, capLen, wireLen, 7, p);

    // the same frame, other bytes around it
    byte[] buf2 = new byte[off + capLen + 64];
    Arrays.fill(buf2, (byte) 0xff);
    System.arraycopy(frame, 0, buf2, off, capLen);
    boolean ok2 = other.decode(linkType, buf2, off, capLen, wireLen, 7, q);
    assertThat(ok2).as("result depends on bytes outside the frame").isEqualTo(ok);

    if (!ok) {
      assertThat(weirds.total() > weirdsBefore || decoder.nonIp > nonIpBefore)
          .as("an undecoded frame counts a weird or is not IP")
          .isTrue();
      return;
    }
    assertThat(p.ipVersion).isIn(4, 6);
    assertThat(p.tunnelDepth).isBetween(0, Decoder.MAX_DEPTH);
    assertThat(p.ipLength).isNotNegative();
    if (!p.laterFragment) {
      assertThat(p.payloadCaptured).isNotNegative();
      assertThat(p.payloadLength).isNotNegative();
      if (p.payloadCaptured > 0) {
        assertThat(p.payloadOffset).isGreaterThanOrEqualTo(off);
        assertThat(p.payloadOffset + p.payloadCaptured).isLessThanOrEqualTo(off + capLen);
      }
      assertThat(p.srcPort).isBetween(0, 0xffff);
      assertThat(p.dstPort).isBetween(0, 0xffff);
    }
    assertThat(
            new long[] {
              q.srcHi,
              q.srcLo,
              q.dstHi,
              q.dstLo,
              q.proto,
              q.srcPort,
              q.dstPort,
              q.payloadOffset,
              q.payloadCaptured,
              q.payloadLength,
              q.vlan,
              q.innerVlan,
              q.tunnelDepth,
              q.ipLength
            })
        .as("decoded fields depend on bytes outside the frame")
        .containsExactly(
            p.srcHi,
            p.srcLo,
            p.dstHi,
            p.dstLo,
            p.proto,
            p.srcPort,
            p.dstPort,
            p.payloadOffset,
            p.payloadCaptured,
            p.payloadLength,
            p.vlan,
            p.innerVlan,
            p.tunnelDepth,
            p.ipLength);
  }
}
