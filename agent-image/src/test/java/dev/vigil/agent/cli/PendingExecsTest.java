package dev.vigil.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.detect.Alert;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PendingExecsTest {
  private static final long HOLD = 1_000;

  private static Optional<Alert> alert(String exe, String user) {
    return Optional.of(
        new Alert(
            Alert.MINER_EXECUTABLE,
            exe + " by " + user,
            Map.of("exe", exe, "user", user, "reason", "matches")));
  }

  @Test
  void aWrapperAndTheMinerItExecsAreOneAlertWithTheMinersUser() {
    PendingExecs p = new PendingExecs(HOLD);
    // bash, then setpriv (its command line names the pool), then xmrig as nobody: one pid
    assertThat(p.onExec(7, 1, Optional.empty(), 0)).isEmpty();
    assertThat(p.onExec(7, 1, alert("/usr/bin/setpriv", "root"), 1)).isEmpty();
    assertThat(p.onExec(7, 1, alert("/tmp/xmrig", "nobody"), 2)).isEmpty();
    Alert one = p.onExit(7).orElseThrow();
    assertThat(one.msg()).isEqualTo("/tmp/xmrig by nobody");
    assertThat(one.fields().get("earlier_execs"))
        .isEqualTo(List.of(Map.of("exe", "/usr/bin/setpriv", "user", "root", "reason", "matches")));
    assertThat(p.size()).isZero();
    assertThat(p.expire(10 * HOLD)).isEmpty();
    assertThat(p.onExit(7)).isEmpty();
  }

  @Test
  void aMatchingExecFollowedByAHarmlessOneStillAlerts() {
    PendingExecs p = new PendingExecs(HOLD);
    p.onExec(8, 1, alert("/bin/sh", "alice"), 0); // sh -c '...' stratum+tcp://... then exec sleep
    assertThat(p.onExec(8, 1, Optional.empty(), 5))
        .extracting(Alert::msg)
        .containsExactly("/bin/sh by alice");
    assertThat(p.size()).isZero();
  }

  @Test
  void otherProcessesDoNotReplaceAndTheHoldExpiresInOrder() {
    PendingExecs p = new PendingExecs(HOLD);
    p.onExec(1, 100, alert("/a/xmrig", "alice"), 0);
    p.onExec(2, 100, alert("/b/xmrig", "bob"), 500);
    assertThat(p.expire(999)).isEmpty();
    assertThat(p.expire(1_000)).extracting(Alert::msg).containsExactly("/a/xmrig by alice");
    assertThat(p.expire(1_500)).extracting(Alert::msg).containsExactly("/b/xmrig by bob");
    p.onExec(3, 100, alert("/c/xmrig", "carol"), 0);
    assertThat(p.drain()).extracting(Alert::msg).containsExactly("/c/xmrig by carol");
    assertThat(p.size()).isZero();
  }

  @Test
  void aForkingWrapperAndItsMinerChildAreOneAlertWithTheChildsUser() {
    PendingExecs p = new PendingExecs(HOLD);
    // sudo -u nobody xmrig ...: sudo (pid 20) matches by command line and forks; its child 21
    // execs xmrig as nobody; sudo waits and exits after the child
    assertThat(p.onExec(20, 1, alert("/usr/bin/sudo", "root"), 0)).isEmpty();
    assertThat(p.onExec(21, 20, alert("/tmp/xmrig", "nobody"), 3)).isEmpty();
    assertThat(p.onExit(20)).as("sudo's alert was taken over by its child").isEmpty();
    Alert one = p.onExit(21).orElseThrow();
    assertThat(one.msg()).isEqualTo("/tmp/xmrig by nobody");
    assertThat(one.fields().get("earlier_execs"))
        .isEqualTo(List.of(Map.of("exe", "/usr/bin/sudo", "user", "root", "reason", "matches")));
    assertThat(p.size()).isZero();
  }

  @Test
  void aChildThatIsNoMinerLeavesItsParentsAlertAlone() {
    PendingExecs p = new PendingExecs(HOLD);
    p.onExec(30, 1, alert("/bin/sh", "alice"), 0);
    assertThat(p.onExec(31, 30, Optional.empty(), 1)).isEmpty(); // sh forks sleep
    assertThat(p.onExit(31)).isEmpty();
    assertThat(p.onExit(30)).map(Alert::msg).contains("/bin/sh by alice");
    // and a second miner child of the same wrapper, after the first took its alert, is its own
    p.onExec(40, 1, alert("/bin/sh", "bob"), 0);
    p.onExec(41, 40, alert("/tmp/xmrig", "bob"), 1);
    p.onExec(42, 40, alert("/tmp/xmrig", "bob"), 2);
    assertThat(p.drain()).hasSize(2);
  }
}
