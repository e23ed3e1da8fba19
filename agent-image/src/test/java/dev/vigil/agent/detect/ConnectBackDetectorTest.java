package dev.vigil.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.agent.attrib.CgroupAttribution;
import dev.vigil.agent.attrib.ProcessInfo;
import dev.vigil.common.policy.Cidr;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectBackDetectorTest {
  private static final ProcessInfo CURL =
      new ProcessInfo(
          4242,
          4200,
          1001,
          "alice",
          "curl",
          "/usr/bin/curl",
          List.of("curl", "http://198.51.100.7/x"),
          CgroupAttribution.parse("/slurm/uid_1001/job_31337/step_0"),
          0);

  private final ConnectBackDetector detector = new ConnectBackDetector("cn001", Policy.defaults());

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.1.2.3",
        "172.31.255.254",
        "192.168.0.1",
        "127.0.0.53",
        "169.254.169.254",
        "100.64.0.1",
        "100.127.255.255",
        "::1",
        "fe80::1",
        "fd12:3456::1",
        "::ffff:10.0.0.1"
      })
  void internalDestinationsAreQuiet(String dst) throws Exception {
    assertThat(detector.classify(InetAddress.getByName(dst))).isEqualTo("internal");
    assertThat(
            detector.onConnect(
                CURL, InetAddress.getByName("10.0.0.5"), 0, InetAddress.getByName(dst), 443))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "198.51.100.7",
        "8.8.8.8",
        "172.32.0.1",
        "100.128.0.1",
        "192.169.0.1",
        "2001:db8::1",
        "::ffff:203.0.113.9"
      })
  void externalDestinationsAlertWithWhoDidIt(String dst) throws Exception {
    Alert a =
        detector
            .onConnect(CURL, InetAddress.getByName("10.0.0.5"), 0, InetAddress.getByName(dst), 4444)
            .orElseThrow();
    assertThat(a.note()).isEqualTo(Alert.CONNECT_BACK);
    assertThat(a.fields())
        .containsEntry("node", "cn001")
        .containsEntry("job_id", "31337")
        .containsEntry("user", "alice")
        .containsEntry("pid", 4242)
        .containsEntry("exe", "/usr/bin/curl")
        .containsEntry("dport", 4444);
    assertThat(a.msg()).contains("job 31337", "alice", "4242", ":4444");
  }

  @Test
  void allowlistAndPolicyUpdate() throws Exception {
    InetAddress repo = InetAddress.getByName("203.0.113.10");
    assertThat(detector.classify(repo)).isEqualTo("external");
    detector.update(
        new Policy(new Policy.ConnectBack(true, null, List.of("203.0.113.0/28")), null).resolved());
    assertThat(detector.classify(repo)).isEqualTo("allowlisted");
    assertThat(detector.onConnect(CURL, repo, 0, repo, 443)).isEmpty();
    assertThat(detector.classify(InetAddress.getByName("203.0.113.16"))).isEqualTo("external");
    detector.update(new Policy(new Policy.ConnectBack(false, null, null), null).resolved());
    assertThat(detector.onConnect(CURL, repo, 0, InetAddress.getByName("8.8.8.8"), 53)).isEmpty();
  }

  @Test
  void cidrEdges() {
    Cidr c = Cidr.parse("100.64.0.0/10");
    assertThat(c.contains(new byte[] {100, 64, 0, 0})).isTrue();
    assertThat(c.contains(new byte[] {100, 127, (byte) 255, (byte) 255})).isTrue();
    assertThat(c.contains(new byte[] {100, (byte) 128, 0, 0})).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(new byte[] {1, 2, 3, 4})).isTrue();
    assertThat(Cidr.parse("192.0.2.1").contains(new byte[] {(byte) 192, 0, 2, 2})).isFalse();
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> Cidr.parse("example.org/24")).hasMessageContaining("no host names");
  }

  @Test
  void noConnectBackOnAnInternetNode() throws Exception {
    Policy p =
        new Policy(new Policy.ConnectBack(true, null, null, List.of("login01", "dtn01")), null)
            .resolved();
    InetAddress src = InetAddress.getByName("10.0.0.5");
    InetAddress dst = InetAddress.getByName("198.51.100.7");
    assertThat(new ConnectBackDetector("login01", p).onConnect(CURL, src, 0, dst, 443)).isEmpty();
    // the destination is still external, and any other node alerts
    assertThat(new ConnectBackDetector("login01", p).classify(dst)).isEqualTo("external");
    assertThat(new ConnectBackDetector("cn001", p).onConnect(CURL, src, 0, dst, 443)).isPresent();
  }
}
