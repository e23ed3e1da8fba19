package dev.vigil.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupsTest {

  static AlertRecord alert(String key, int severity) {
    return new AlertRecord(
        key,
        "ssh-bruteforce",
        severity,
        "2026-11-23T10:00:00Z",
        "many logins",
        "10.1.1.1",
        "10.2.2.2",
        null,
        null);
  }

  @Test
  void alertsOfOneKeyFormOneGroupWithCountAndHighestSeverity() {
    Groups gs = new Groups();
    Group a = gs.observe(alert("k1", 47), 1000, 1);
    assertThat(gs.observe(alert("k1", 73), 1000, 1)).isSameAs(a);
    assertThat(gs.observe(alert("k1", 21), 1500, 2)).isSameAs(a);
    Group b = gs.observe(alert("k2", 21), 1500, 2);
    assertThat(b).isNotSameAs(a);
    assertThat(a.count).isEqualTo(3);
    assertThat(a.severity).isEqualTo(73);
    assertThat(a.openedAt).isEqualTo(1000);
    assertThat(a.lastSeen).isEqualTo(1500);
    assertThat(gs.opened).isEqualTo(2);
  }

  @Test
  void groupClosesOnlyWhenTheWindowEndsQuiet() {
    Groups gs = new Groups();
    gs.observe(alert("k", 99), 1000, 1);
    gs.observe(alert("k", 99), 3000, 2);
    assertThat(gs.closeQuiet(4999, 2000, 3)).isEmpty();
    List<Group> closed = gs.closeQuiet(5000, 2000, 4);
    assertThat(closed).hasSize(1);
    Group g = closed.getFirst();
    assertThat(g.state).isEqualTo(Group.State.CLOSING);
    assertThat(gs.open).isEmpty();
    assertThat(gs.closing).containsValue(g);

    // The same key after the window opens a new group.
    Group next = gs.observe(alert("k", 99), 6000, 5);
    assertThat(next).isNotSameAs(g);
    assertThat(next.count).isEqualTo(1);
    assertThat(next.id()).isNotEqualTo(g.id());
  }

  @Test
  void groupSavedByAPollWhoseCursorWasNotSavedIsRolledBackButKeepsWhatWasSent() throws Exception {
    Groups gs = new Groups();
    Group g = gs.observe(alert("k", 99), 1000, 1);
    gs.observe(alert("k", 99), 1000, 1);
    g.progress("page").opened = true;
    g.progress("page").triggered = true;
    // Poll 1 completed (cursor saved with poll 1). Poll 2 counts 5 more and closes the group,
    // saves the group, then dies before saving its cursor.
    for (int i = 0; i < 5; i++) {
      gs.observe(alert("k", 99), 2000, 2);
    }
    gs.closeQuiet(9000, 1000, 2);
    Group saved = StateStore.fromJson(OpenSearchClient.JSON.readTree(StateStore.toJson(g)));
    assertThat(saved.count).isEqualTo(7);
    assertThat(saved.state).isEqualTo(Group.State.CLOSING);

    Groups restored = new Groups();
    assertThat(restored.restore(saved, 1)).isTrue();
    assertThat(saved.count).as("as after poll 1").isEqualTo(2);
    assertThat(saved.lastSeen).isEqualTo(1000);
    assertThat(saved.state).isEqualTo(Group.State.OPEN);
    assertThat(saved.progress("page").triggered).as("what was sent stays sent").isTrue();
    assertThat(restored.open).containsValue(saved);

    // The replay of poll 2 reads the same five alerts again: counted once.
    for (int i = 0; i < 5; i++) {
      assertThat(restored.observe(alert("k", 99), 2100, 2)).isSameAs(saved);
    }
    assertThat(saved.count).isEqualTo(7);
    assertThat(restored.opened).as("no new group, so no new page").isZero();
  }

  @Test
  void groupNewInTheLostPollRestartsAtZeroAndFinishedGroupsAreForgotten() throws Exception {
    Groups gs = new Groups();
    Group g = gs.observe(alert("k", 99), 1000, 4);
    Group fresh = StateStore.fromJson(OpenSearchClient.JSON.readTree(StateStore.toJson(g)));
    Groups restored = new Groups();
    assertThat(restored.restore(fresh, 3)).isTrue();
    assertThat(fresh.count).isZero();
    assertThat(restored.observe(alert("k", 99), 1200, 4)).isSameAs(fresh);
    assertThat(fresh.count).isEqualTo(1);

    g.state = Group.State.DONE;
    Group done = StateStore.fromJson(OpenSearchClient.JSON.readTree(StateStore.toJson(g)));
    assertThat(new Groups().restore(done, 4)).isFalse();
  }

  @Test
  void zeroWindowClosesAtTheEndOfEachPoll() {
    Groups gs = new Groups();
    gs.observe(alert("k", 99), 10, 1);
    gs.observe(alert("k", 99), 10, 1);
    assertThat(gs.closeQuiet(10, 0, 1))
        .singleElement()
        .satisfies(g -> assertThat(g.count).isEqualTo(2));
  }
}
