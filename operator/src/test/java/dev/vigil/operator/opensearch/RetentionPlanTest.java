package dev.vigil.operator.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RetentionPlanTest {

  private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);
  private static final long GB = 1L << 30;

  private static DailyIndex conn(LocalDate day, long bytes) {
    return new DailyIndex(
        DailyIndex.name("vigil", DataClass.CONN, day), DataClass.CONN, day, bytes);
  }

  private static List<String> names(List<RetentionPlan.Deletion> ds) {
    return ds.stream().map(d -> d.index().name() + "/" + d.cause()).toList();
  }

  @Test
  void deletesIndicesWhoseDayIsBeforeTodayMinusDays() {
    List<DailyIndex> all =
        List.of(
            conn(TODAY, 1),
            conn(TODAY.minusDays(30), 1),
            conn(TODAY.minusDays(31), 1),
            conn(LocalDate.of(2020, 1, 1), 1));
    assertThat(names(RetentionPlan.deletions(all, TODAY, 30, OptionalLong.empty())))
        .containsExactly("vigil-conn-2020.01.01/AGE", "vigil-conn-2026.10.23/AGE");
  }

  @Test
  void oldestFirstBeyondMaxSizeButNeverToday() {
    List<DailyIndex> all =
        List.of(
            conn(TODAY, 5 * GB),
            conn(TODAY.minusDays(1), 4 * GB),
            conn(TODAY.minusDays(2), 3 * GB),
            conn(TODAY.minusDays(3), 2 * GB));
    // 14 GiB held, 8 GiB budget: drop 3 days ago (12), then 2 days ago (9), then yesterday (5).
    assertThat(names(RetentionPlan.deletions(all, TODAY, 30, OptionalLong.of(8 * GB))))
        .containsExactly(
            "vigil-conn-2026.11.20/SIZE",
            "vigil-conn-2026.11.21/SIZE",
            "vigil-conn-2026.11.22/SIZE");
    // Today's index alone exceeds the budget: it stays.
    assertThat(
            RetentionPlan.deletions(List.of(conn(TODAY, 9 * GB)), TODAY, 30, OptionalLong.of(GB)))
        .isEmpty();
  }

  @Test
  void ageAndSizeTogetherCountOnlyWhatAgeKept() {
    List<DailyIndex> all =
        List.of(conn(TODAY, GB), conn(TODAY.minusDays(1), GB), conn(TODAY.minusDays(40), 50 * GB));
    assertThat(names(RetentionPlan.deletions(all, TODAY, 30, OptionalLong.of(2 * GB))))
        .containsExactly("vigil-conn-2026.10.14/AGE");
  }

  @Test
  void nothingToDeleteWithinBudget() {
    assertThat(
            RetentionPlan.deletions(
                List.of(conn(TODAY, GB), conn(TODAY.minusDays(1), GB)),
                TODAY,
                30,
                OptionalLong.of(10 * GB)))
        .isEmpty();
  }

  @Test
  void bytesPerDayAveragesCompleteDaysOnly() {
    List<DailyIndex> all =
        List.of(
            conn(TODAY, 100 * GB),
            conn(TODAY.minusDays(1), 2 * GB),
            conn(TODAY.minusDays(2), 4 * GB));
    assertThat(RetentionPlan.bytesPerDay(all, TODAY)).hasValue(3 * GB);
    assertThat(RetentionPlan.bytesPerDay(List.of(conn(TODAY, GB)), TODAY)).isEmpty();
  }

  @Test
  void projectionIsCappedByDaysAndBoundByMaxSize() {
    // 40 TiB budget at 2 TiB/day keeps 20 days, below the 90 asked for.
    long tib = 1024 * GB;
    assertThat(RetentionPlan.projectedDays(90, OptionalLong.of(40 * tib), OptionalLong.of(2 * tib)))
        .isEqualTo(20);
    assertThat(RetentionPlan.projectedDays(10, OptionalLong.of(40 * tib), OptionalLong.of(2 * tib)))
        .isEqualTo(10);
    assertThat(RetentionPlan.projectedDays(30, OptionalLong.empty(), OptionalLong.of(tib)))
        .isEqualTo(30);
    assertThat(RetentionPlan.projectedDays(30, OptionalLong.of(GB), OptionalLong.empty()))
        .isEqualTo(30);
    assertThat(RetentionPlan.projectedDays(30, OptionalLong.of(GB), OptionalLong.of(5 * GB)))
        .isEqualTo(1);
  }

  @Test
  void parsesOnlyThisPrefixesDailyIndices() {
    assertThat(DailyIndex.parse("vigil", "vigil-dns-2026.11.02", 7))
        .hasValue(
            new DailyIndex("vigil-dns-2026.11.02", DataClass.DNS, LocalDate.of(2026, 11, 2), 7));
    assertThat(DailyIndex.parse("vigil", "vigil-conn-2026.02.30", 1)).isEmpty();
    assertThat(DailyIndex.parse("vigil", "vigil-files-2026.11.02", 1)).isEmpty();
    assertThat(DailyIndex.parse("vigil", "vigil-conn-000001", 1)).isEmpty();
    assertThat(DailyIndex.parse("vigil", "other-conn-2026.11.02", 1)).isEmpty();
    assertThat(DailyIndex.parse("vig", "vigil-conn-2026.11.02", 1)).isEmpty();
  }
}
