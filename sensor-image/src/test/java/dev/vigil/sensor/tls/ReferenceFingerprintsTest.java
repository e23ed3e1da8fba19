package dev.vigil.sensor.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sensor.decode.Weirds;
import dev.vigil.sensor.testutil.TlsHellos;
import org.junit.jupiter.api.Test;

/**
 * The textbook JA3/JA4 that the fuzz targets compare production with and that {@code Ja34Bench}
 * measures production against: right on the published Chrome values, from the record and from the
 * parsed fact, and equal to production on a hello with every list and edge the parser keeps.
 */
class ReferenceFingerprintsTest {
  final HelloParser parser = new HelloParser(new Weirds(), 16384);

  @Test
  void chromeHelloFromTheRecordMatchesPublishedValues() {
    byte[] record = TlsHellos.chrome().record();
    ReferenceFingerprints.Hello h = ReferenceFingerprints.parse(record);
    assertThat(h).isNotNull();
    assertThat(ReferenceFingerprints.ja3(h)).isEqualTo("98487aa16281980e7d1120d399efb6a4");
    assertThat(ReferenceFingerprints.ja4(h)).isEqualTo("t13d1516h2_8daaf6152771_d8a2da3f94cd");
    assertThat(parser.parse(record, record.length, true, HelloParser.TYPE_CLIENT_HELLO))
        .isEqualTo(HelloParser.HELLO);
    assertThat(ReferenceFingerprints.of(parser.client)).isEqualTo(h);
  }

  @Test
  void agreesWithProductionOnEdgeCases() {
    // no SNI, a non-alphanumeric ALPN, no supported_versions, GREASE in every list, no sig algs
    byte[] record =
        TlsHellos.client()
            .version(0x0302)
            .ciphers(0x0a0a, 0x002f, 0x0035, 0xfafa)
            .alpn("\u00ffx-\u0001")
            .groups(0x2a2a, 29)
            .pointFormats(0, 1)
            .ext(0x3a3a, new byte[0])
            .record();
    assertThat(parser.parse(record, record.length, true, HelloParser.TYPE_CLIENT_HELLO))
        .isEqualTo(HelloParser.HELLO);
    ReferenceFingerprints.Hello h = ReferenceFingerprints.parse(record);
    assertThat(ReferenceFingerprints.of(parser.client)).isEqualTo(h);
    String ja4 = new Ja4().compute(parser.client).fingerprint();
    assertThat(ja4).startsWith("t11i0203f1_");
    assertThat(ReferenceFingerprints.ja4(h)).isEqualTo(ja4);
    assertThat(ReferenceFingerprints.ja3(h)).isEqualTo(new Ja3().compute(parser.client).hash());
    assertThat(ReferenceFingerprints.ja3Raw(h)).isEqualTo("770,47-53,16-10-11,29,0-1");
  }

  @Test
  void notAHelloIsNull() {
    assertThat(ReferenceFingerprints.parse(new byte[] {22, 3, 1, 0, 9, 1, 0})).isNull();
    assertThat(ReferenceFingerprints.parse(new byte[] {23, 3, 3, 0, 0})).isNull();
  }
}
