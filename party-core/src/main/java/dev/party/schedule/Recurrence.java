package dev.party.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.party.error.InvalidTaskException;
import dev.party.task.TaskRequest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * When a schedule fires: every fixed interval, or by a cron expression in a time zone. Both answer
 * the same two questions, so misfires and catch-up work the same way for both.
 */
public sealed interface Recurrence {
  /** The shortest interval: a schedule firing faster than this is a busy loop, not a schedule. */
  Duration MIN_INTERVAL = Duration.ofSeconds(1);

  /** The first fire time strictly after {@code after}; {@code previous} is the last one due, on the same grid. */
  Instant nextAfter(Instant previous, Instant after);

  /** The latest fire time at or before {@code now}, not earlier than {@code due} (which is one). */
  Instant latest(Instant due, Instant now);

  /** {@code every} or {@code cron}, as stored. */
  String kind();

  /** The interval as ISO-8601, or the cron expression, as stored. */
  String spec();

  ZoneId zone();

  /** Every {@code interval}: fire times sit on one grid, so a late firing does not shift the next. */
  static Recurrence every(Duration interval) {
    return new Every(interval);
  }

  /** Every {@code "30 minutes"}, {@code "1 day"}, {@code PT1H}: see {@link TimeText#duration}. */
  static Recurrence every(String interval) {
    return new Every(TimeText.duration(interval));
  }

  /**
   * A cron expression: five fields (Unix: minute hour day-of-month month day-of-week) or six with
   * seconds first, read in {@code zone}, so "0 9 * * *" in Europe/Berlin is 9:00 there in winter
   * and in summer.
   */
  static Recurrence cron(String expression, ZoneId zone) {
    return new CronRecurrence(expression, zone);
  }

  static Recurrence cron(String expression) {
    return cron(expression, ZoneOffset.UTC);
  }

  /** From the stored columns. */
  static Recurrence of(String kind, String spec, String zone) {
    return switch (kind) {
      case "every" -> every(Duration.parse(spec));
      case "cron" -> cron(spec, ZoneId.of(zone));
      default -> throw new IllegalArgumentException("unknown recurrence kind " + kind);
    };
  }

  record Every(Duration interval) implements Recurrence {
    public Every {
      Objects.requireNonNull(interval, "interval");
      if (interval.compareTo(MIN_INTERVAL) < 0) {
        throw InvalidTaskException.invalid("a schedule's interval must be at least 1 second, not " + interval);
      }
      if (interval.compareTo(TaskRequest.MAX_DELAY) > 0) {
        throw InvalidTaskException.invalid("a schedule's interval is at most 1,000 years, not " + interval);
      }
    }

    @Override
    public Instant nextAfter(Instant previous, Instant after) {
      if (after.isBefore(previous)) return previous;
      long periods = Duration.between(previous, after).dividedBy(interval) + 1;
      return previous.plus(interval.multipliedBy(periods));
    }

    @Override
    public Instant latest(Instant due, Instant now) {
      if (now.isBefore(due)) return due;
      return due.plus(interval.multipliedBy(Duration.between(due, now).dividedBy(interval)));
    }

    @Override
    public String kind() {
      return "every";
    }

    @Override
    public String spec() {
      return interval.toString();
    }

    @Override
    public ZoneId zone() {
      return ZoneOffset.UTC;
    }

    @Override
    public String toString() {
      return "every " + interval;
    }
  }

  record CronRecurrence(String expression, ZoneId zone, ExecutionTime times) implements Recurrence {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser WITH_SECONDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

    CronRecurrence(String expression, ZoneId zone) {
      this(expression, zone, parse(expression));
    }

    public CronRecurrence {
      Objects.requireNonNull(zone, "zone");
    }

    private static ExecutionTime parse(String expression) {
      if (expression == null || expression.isBlank()) throw InvalidTaskException.invalid("a cron expression is empty");
      int fields = expression.strip().split("\\s+").length;
      if (fields != 5 && fields != 6) {
        throw InvalidTaskException.invalid(("cron expression \"%s\" has %d fields; it needs 5 (minute hour day month "
            + "weekday) or 6 (seconds first)").formatted(expression, fields));
      }
      try {
        Cron cron = (fields == 5 ? UNIX : WITH_SECONDS).parse(expression.strip()).validate();
        ExecutionTime times = ExecutionTime.forCron(cron);
        if (times.nextExecution(ZonedDateTime.now(ZoneOffset.UTC)).isEmpty()) {
          throw InvalidTaskException.invalid("cron expression \"%s\" never fires (a date that does not exist?)".formatted(expression));
        }
        return times;
      } catch (IllegalArgumentException e) {
        throw InvalidTaskException.invalid("cron expression \"%s\" is not valid: %s".formatted(expression, e.getMessage()));
      }
    }

    /**
     * Jobs set for fixed hours follow the wall clock as cron does across daylight-saving changes:
     * a time skipped when clocks go forward (02:30) runs when the gap ends (03:30), and a time
     * that happens twice when they go back runs at its first. Jobs on every hour (or every n
     * hours) follow elapsed time instead, so they run in a repeated hour too.
     */
    @Override
    public Instant nextAfter(Instant previous, Instant after) {
      if (!fixedHours()) return next(after.atZone(zone)).toInstant();
      // Find the next matching wall time, then place it in the zone: in a gap ofLocal moves it
      // later by the gap's length; in an overlap it takes the earlier offset.
      LocalDateTime wall = after.atZone(zone).toLocalDateTime();
      while (true) {
        wall = next(wall.atZone(ZoneOffset.UTC)).toLocalDateTime();
        Instant real = ZonedDateTime.ofLocal(wall, zone, null).toInstant();
        if (real.isAfter(after)) return real;
      }
    }

    private ZonedDateTime next(ZonedDateTime after) {
      return times.nextExecution(after)
          .orElseThrow(() -> InvalidTaskException.invalid("cron expression \"%s\" never fires again".formatted(expression)));
    }

    private boolean fixedHours() {
      String[] fields = expression.strip().split("\\s+");
      String hours = fields[fields.length == 5 ? 1 : 2];
      return !hours.contains("*") && !hours.contains("/");
    }

    /**
     * Steps through the periods with {@link #nextAfter}, so a misfire lands on the same periods
     * as on-time firing does (daylight-saving rules included). Past {@value #MAX_STEPS} periods (a
     * per-second cron down for a day, say) it asks cron-utils for the last one instead.
     */
    @Override
    public Instant latest(Instant due, Instant now) {
      Instant latest = due;
      Instant next = nextAfter(due, due);
      for (int step = 0; !next.isAfter(now); step++) {
        if (step == MAX_STEPS) {
          // lastExecution is strictly before its argument; a fire time exactly at now counts.
          Instant last = times.lastExecution(now.plusNanos(1).atZone(zone)).map(time -> time.toInstant()).orElse(latest);
          return last.isBefore(latest) ? latest : last;
        }
        latest = next;
        next = nextAfter(next, next);
      }
      return latest;
    }

    private static final int MAX_STEPS = 100_000;

    @Override
    public String kind() {
      return "cron";
    }

    @Override
    public String spec() {
      return expression;
    }

    @Override
    public String toString() {
      return "cron \"%s\" in %s".formatted(expression, zone);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof CronRecurrence that && expression.equals(that.expression) && zone.equals(that.zone);
    }

    @Override
    public int hashCode() {
      return Objects.hash(expression, zone);
    }
  }

  /** Reads a zone name, with a clear error. */
  static ZoneId zone(String name) {
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      throw InvalidTaskException.invalid("unknown time zone \"%s\"; use a name such as Europe/Berlin or UTC".formatted(name));
    }
  }
}
