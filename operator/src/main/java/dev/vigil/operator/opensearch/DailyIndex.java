package dev.vigil.operator.opensearch;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One daily index {@code <prefix>-<class>-YYYY.MM.DD} (UTC day) with its primary store size.
 *
 * @param bytes primary store size ({@code pri.store.size})
 */
public record DailyIndex(String name, DataClass dataClass, LocalDate day, long bytes) {

  public static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("uuuu.MM.dd", Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT);

  /** The name of the {@code cls} index of {@code day}. */
  public static String name(String prefix, DataClass cls, LocalDate day) {
    return prefix + "-" + cls.id() + "-" + DAY.format(day);
  }

  /** Parses an index name of this prefix; empty for anything else (other prefixes, non-daily). */
  public static Optional<DailyIndex> parse(String prefix, String index, long bytes) {
    Matcher m =
        Pattern.compile(
                "^"
                    + Pattern.quote(prefix)
                    + "-(conn|dns|ssl|http|alerts|host)-([0-9]{4}\\.[0-9]{2}\\.[0-9]{2})$")
            .matcher(index);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new DailyIndex(
              index,
              DataClass.valueOf(m.group(1).toUpperCase(Locale.ROOT)),
              LocalDate.parse(m.group(2), DAY),
              bytes));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
