package dev.party.schedule;

import dev.party.error.InvalidTaskException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads times and delays as people and other programs write them. */
public final class TimeText {
  /** The earliest time Party stores: 0001-01-01T00:00:00Z. */
  public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  /** The latest time Party stores: 9999-12-31T23:59:59.999Z, the end of four-digit years. */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  private static final Pattern EPOCH_MILLIS = Pattern.compile("-?\\d{1,18}");
  private static final Pattern DATE_SPACE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d");
  private static final Pattern PART =
      Pattern.compile(
          "(\\d+)\\s*(milliseconds?|millis|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)\\b");

  private TimeText() {}

  /**
   * An instant: ISO-8601 with an offset ({@code 2026-03-11T05:12:22+01:00}), without one (read as
   * UTC, as the seeds' naive timestamps are), or epoch milliseconds. A space may stand for the
   * {@code T}, as Python's {@code str(datetime)} writes it. Fractions go down to the microsecond
   * ({@code 2014-03-11 05:12:22.086400}); a finer one is refused, as no store could keep it.
   */
  public static Instant instant(String text) {
    String trimmed = text.strip();
    if (DATE_SPACE_TIME.matcher(trimmed).lookingAt()) trimmed = trimmed.replaceFirst(" ", "T");
    if (EPOCH_MILLIS.matcher(trimmed).matches()) return epochMillis(Long.parseLong(trimmed));
    Instant parsed;
    try {
      parsed = OffsetDateTime.parse(trimmed).toInstant();
    } catch (DateTimeParseException withOffset) {
      try {
        parsed = LocalDateTime.parse(trimmed).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException withoutOffset) {
        throw InvalidTaskException.badTimestamp(
            text, "a time (ISO-8601 such as 2026-03-11T05:12:22Z, or epoch milliseconds)");
      }
    }
    return inRange(parsed, text);
  }

  /** Epoch milliseconds, refused with bad_timestamp outside years 1 to 9999. */
  public static Instant epochMillis(long millis) {
    if (millis < EARLIEST.toEpochMilli() || millis > LATEST.toEpochMilli()) {
      throw InvalidTaskException.badTimestamp(Long.toString(millis), "a time between the years 1 and 9999");
    }
    return Instant.ofEpochMilli(millis);
  }

  private static Instant inRange(Instant instant, String text) {
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw InvalidTaskException.badTimestamp(text, "a time between the years 1 and 9999");
    }
    if (!wholeMicroseconds(instant)) throw InvalidTaskException.finerThanMicroseconds(text);
    return instant;
  }

  /** True when {@code instant} has no part finer than a microsecond, the precision every store keeps. */
  public static boolean wholeMicroseconds(Instant instant) {
    return instant.getNano() % 1_000 == 0;
  }

  /** True when {@code delay} has no part finer than a microsecond. */
  public static boolean wholeMicroseconds(Duration delay) {
    return delay.getNano() % 1_000 == 0;
  }

  /**
   * A delay: {@code "1 day"}, {@code "90 minutes"}, {@code "2 hours 30 minutes"}, {@code "10s"},
   * or ISO-8601 such as {@code PT1H30M}.
   */
  public static Duration duration(String text) {
    String trimmed = text.strip().toLowerCase(Locale.ROOT);
    if (trimmed.startsWith("pt") || trimmed.startsWith("p")) {
      Duration parsed;
      try {
        parsed = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException | ArithmeticException e) {
        throw badDuration(text);
      }
      // As with times: refused, not cut, so the delay used is always the one written.
      if (!wholeMicroseconds(parsed)) throw InvalidTaskException.finerThanMicroseconds(text);
      return parsed;
    }
    Matcher matcher = PART.matcher(trimmed);
    Duration total = Duration.ZERO;
    int end = 0;
    boolean any = false;
    while (matcher.find()) {
      if (!trimmed.substring(end, matcher.start()).replace(",", " ").replace("and", " ").isBlank()) {
        throw badDuration(text);
      }
      try {
        total = total.plus(part(Long.parseLong(matcher.group(1)), matcher.group(2)));
      } catch (NumberFormatException | ArithmeticException tooLarge) {
        throw badDuration(text);
      }
      end = matcher.end();
      any = true;
    }
    if (!any || !trimmed.substring(end).isBlank()) throw badDuration(text);
    return total;
  }

  private static Duration part(long amount, String unit) {
    return switch (unit.charAt(0)) {
      case 'w' -> Duration.ofDays(7 * amount);
      case 'd' -> Duration.ofDays(amount);
      case 'h' -> Duration.ofHours(amount);
      case 's' -> Duration.ofSeconds(amount);
      default -> unit.startsWith("ms") || unit.startsWith("milli")
          ? Duration.ofMillis(amount)
          : Duration.ofMinutes(amount);
    };
  }

  private static InvalidTaskException badDuration(String text) {
    return InvalidTaskException.badTimestamp(
        text, "a delay (such as \"90 minutes\", \"1 day\", \"2 hours 30 minutes\" or PT1H30M)");
  }
}
