package dev.vigil.common.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Published Community ID v1 vectors (corelight/community-id-spec baseline, as also used by the
 * reference implementations' READMEs and OpenSearch's community_id ingest processor tests).
 */
class CommunityIdTest {

  @ParameterizedTest
  @CsvSource({
    "128.232.110.120, 34855, 66.35.250.204, 80, 6, 1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
    "66.35.250.204, 80, 128.232.110.120, 34855, 6, 1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
    "192.168.1.52, 54585, 8.8.8.8, 53, 17, 1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
    "8.8.8.8, 53, 192.168.1.52, 54585, 17, 1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
    "192.168.170.8, 7, 192.168.170.56, 7, 132, 1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=",
    "192.168.0.89, 8, 192.168.0.1, 0, 1, 1:X0snYXpgwiv9TZtqg64sgzUn6Dk=",
    "fe80::260:97ff:fe07:69ea, 134, ff02::1, 0, 58, 1:pkvHqCL88/tg1k4cPigmZXUtL00=",
    "2001:470:e5bf:dead:4957:2174:e82c:4887, 63943, 2607:f8b0:400c:c03::1a, 25, 6,"
        + " 1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="
  })
  void matchesPublishedVectors(
      String src, int sport, String dst, int dport, int proto, String expected) throws Exception {
    assertThat(
            CommunityId.v1(
                InetAddress.getByName(src), sport, InetAddress.getByName(dst), dport, proto))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.1, 10.0.0.2", "10.0.0.2, 10.0.0.1"})
  void echoRequestAndReplyShareAnId(String a, String b) throws Exception {
    String request =
        CommunityId.v1(InetAddress.getByName(a), 8, InetAddress.getByName(b), 0, CommunityId.ICMP);
    String reply =
        CommunityId.v1(InetAddress.getByName(b), 0, InetAddress.getByName(a), 0, CommunityId.ICMP);
    assertThat(reply).isEqualTo(request);
  }

  @ParameterizedTest
  @CsvSource({"0", "1", "65535"})
  void seedChangesTheHash(int seed) throws Exception {
    InetAddress a = InetAddress.getByName("128.232.110.120");
    InetAddress b = InetAddress.getByName("66.35.250.204");
    String h = CommunityId.v1(a, 34855, b, 80, CommunityId.TCP, seed);
    assertThat(h.equals("1:LQU9qZlK+B5F3KDmev6m5PMibrg=")).isEqualTo(seed == 0);
  }
}
