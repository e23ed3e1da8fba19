package dev.vigil.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupsTest {

  static AlertRecord alert(String key, int severity, long ingested) {
    return new AlertRecord(
        key,
        "ssh-bruteforce",
        severity,
        ingested,
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
    Group a = gs.observe(alert("k1", 47, 1000));
    assertThat(gs.observe(alert("k1", 73, 1001))).isSameAs(a);
    assertThat(gs.observe(alert("k1", 21, 1002))).isSameAs(a);
    Group b = gs.observe(alert("k2", 21, 1003));
    assertThat(b).isNotSameAs(a);
    assertThat(a.count).isEqualTo(3);
    assertThat(a.severity).isEqualTo(73);
    assertThat(a.lastIngested).isEqualTo(1002);
    assertThat(gs.opened).isEqualTo(2);
  }

  @Test
  void groupClosesOnlyWhenTheWindowEndsQuiet() {
    Groups gs = new Groups();
    gs.observe(alert("k", 99, 1000));
    gs.observe(alert("k", 99, 3000));
    assertThat(gs.closeQuiet(4999, 2000)).isEmpty();
    List<Group> closed = gs.closeQuiet(5000, 2000);
    assertThat(closed).hasSize(1);
    Group g = closed.getFirst();
    assertThat(g.state).isEqualTo(Group.State.CLOSING);
    assertThat(g.through).isEqualTo(5000);
    assertThat(gs.open).isEmpty();
    assertThat(gs.closing).containsValue(g);

    // The same key after the window opens a new group...
    Group next = gs.observe(alert("k", 99, 5001));
    assertThat(next).isNotSameAs(g);
    assertThat(next.count).isEqualTo(1);
    assertThat(next.id()).isNotEqualTo(g.id());
  }

  @Test
  void replayAfterRestartCountsNothingTwice() {
    Groups before = new Groups();
    before.observe(alert("open", 73, 100));
    before.observe(alert("open", 73, 200));
    before.observe(alert("closed", 73, 150));
    before.readThrough(300);
    List<Group> closed = before.closeQuiet(300, 120);
    assertThat(closed).extracting(g -> g.key).containsExactly("closed");

    // Saved groups, restored by a new router whose cursor is still before them (crash between
    // saving the groups and saving the cursor): the window (0, 400] is read again.
    Groups after = new Groups();
    for (Group g : before.open.values()) {
      after.restore(StateStore.fromJson(json(g)));
    }
    for (Group g : before.closing.values()) {
      after.restore(StateStore.fromJson(json(g)));
    }
    assertThat(after.observe(alert("open", 73, 100))).isNull();
    assertThat(after.observe(alert("open", 73, 200))).isNull();
    assertThat(after.observe(alert("closed", 73, 150))).isNull();
    Group open = after.observe(alert("open", 73, 350));
    assertThat(open.count).isEqualTo(3);
    Group reopened = after.observe(alert("closed", 73, 390));
    assertThat(reopened.count).isEqualTo(1);
    assertThat(after.opened).isEqualTo(1);

    after.forgetBefore(300);
    assertThat(after.tombstones).isEmpty();
  }

  @Test
  void zeroWindowClosesAtTheEndOfEachRead() {
    Groups gs = new Groups();
    gs.observe(alert("k", 99, 10));
    gs.observe(alert("k", 99, 10));
    assertThat(gs.closeQuiet(10, 0))
        .singleElement()
        .satisfies(g -> assertThat(g.count).isEqualTo(2));
  }

  private static com.fasterxml.jackson.databind.JsonNode json(Group g) {
    try {
      return OpenSearchClient.JSON.readTree(StateStore.toJson(g));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
