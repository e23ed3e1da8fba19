package dev.vigil.operator.opensearch;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * Retention of one data class, decided from its daily indices alone (pure, no I/O): which indices
 * to delete, the ingest rate and the days the budget really keeps.
 *
 * <p>An index of day D holds data up to the end of D, so it is older than {@code days} when D is
 * before {@code today - days}: with 30 days, on 2026-11-23 the 2026-10-23 index is kept and
 * 2026-10-22 is deleted. Beyond {@code maxBytes}, the oldest remaining indices go first. Today's
 * index (and any dated after today) is never deleted: it is being written.
 */
public final class RetentionPlan {

  /** Why an index is deleted. */
  public enum Cause {
    AGE,
    SIZE
  }

  /** One index to delete and why. */
  public record Deletion(DailyIndex index, Cause cause) {
    public String describe(int days, long maxBytes) {
      return index.name()
          + (cause == Cause.AGE
              ? " (older than " + days + " days)"
              : " (class over maxSize " + maxBytes + " bytes)");
    }
  }

  private RetentionPlan() {}

  /**
   * The indices of one class to delete, oldest first.
   *
   * @param maxBytes the class's budget of primary store bytes, or empty for days only
   */
  public static List<Deletion> deletions(
      List<DailyIndex> indices, LocalDate today, int days, OptionalLong maxBytes) {
    List<DailyIndex> sorted = new ArrayList<>(indices);
    sorted.sort(Comparator.comparing(DailyIndex::day).thenComparing(DailyIndex::name));
    LocalDate oldestKept = today.minusDays(days);
    List<Deletion> out = new ArrayList<>();
    List<DailyIndex> kept = new ArrayList<>();
    for (DailyIndex i : sorted) {
      if (i.day().isBefore(oldestKept)) {
        out.add(new Deletion(i, Cause.AGE));
      } else {
        kept.add(i);
      }
    }
    if (maxBytes.isPresent()) {
      long total = kept.stream().mapToLong(DailyIndex::bytes).sum();
      for (DailyIndex i : kept) {
        if (total <= maxBytes.getAsLong() || !i.day().isBefore(today)) {
          break;
        }
        out.add(new Deletion(i, Cause.SIZE));
        total -= i.bytes();
      }
    }
    return out;
  }

  /**
   * Average primary bytes per complete day (indices before today; today's is still filling), or
   * empty when there is no complete day yet.
   */
  public static OptionalLong bytesPerDay(List<DailyIndex> indices, LocalDate today) {
    long sum = 0;
    int n = 0;
    for (DailyIndex i : indices) {
      if (i.day().isBefore(today)) {
        sum += i.bytes();
        n++;
      }
    }
    return n == 0 ? OptionalLong.empty() : OptionalLong.of(sum / n);
  }

  /**
   * Days of data the class will actually keep: {@code days}, or fewer when {@code maxBytes} at the
   * current ingest rate binds first (at least 1: today's index is never deleted).
   */
  public static int projectedDays(int days, OptionalLong maxBytes, OptionalLong bytesPerDay) {
    if (maxBytes.isEmpty() || bytesPerDay.isEmpty() || bytesPerDay.getAsLong() <= 0) {
      return days;
    }
    long fit = maxBytes.getAsLong() / bytesPerDay.getAsLong();
    return (int) Math.max(1, Math.min(days, fit));
  }
}
