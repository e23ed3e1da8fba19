package dev.vigil.common.schema;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The classes of record Vigil ships, one daily index family each: {@code
 * <prefix>-<class>-YYYY.MM.DD}, the day taken in UTC from the record's own timestamp (not the time
 * it was shipped), so a replay after an outage lands in the same index as a live send would have.
 */
public enum DataClass {
  CONN,
  DNS,
  SSL,
  HTTP,
  ALERTS,
  HOST;

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy.MM.dd", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The lower-case name used in index names and the spool: {@code conn}, {@code alerts}, .... */
  public String wireName() {
    return wireName;
  }

  /** {@code <prefix>-<class>-YYYY.MM.DD} for a record stamped {@code epochMillis} (UTC day). */
  public String indexName(String prefix, long epochMillis) {
    return prefix + "-" + wireName + "-" + DAY.format(Instant.ofEpochMilli(epochMillis));
  }

  /** The index pattern covering every day of this class: {@code <prefix>-<class>-*}. */
  public String indexPattern(String prefix) {
    return prefix + "-" + wireName + "-*";
  }

  /** Inverse of {@link #wireName()}. */
  public static DataClass ofWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
