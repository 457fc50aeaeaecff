package dev.party.cli;

import dev.party.schedule.Misfire;
import dev.party.schedule.Overlap;
import dev.party.schedule.Recurrence;
import dev.party.schedule.ScheduleView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/** How schedules look in a terminal. */
final class ScheduleText {
  private static final List<String> HEADER =
      List.of("NAME", "HANDLER", "RECURRENCE", "NEXT RUN", "LAST RUN", "PAUSED", "OVERLAP", "MISFIRE");

  private ScheduleText() {}

  static void printAdded(PrintWriter out, ScheduleView schedule) {
    out.println(schedule.name());
    out.printf("%-12s %s%n", "recurrence", recurrence(schedule.recurrence()));
    out.printf("%-12s %s%n", "next run", time(schedule.nextRunAt()));
  }

  /** One row per schedule; each column as wide as its widest cell. */
  static void printTable(PrintWriter out, List<ScheduleView> schedules) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (ScheduleView s : schedules) {
      rows.add(List.of(s.name(), s.handler(), recurrence(s.recurrence()), time(s.nextRunAt()), time(s.lastRunOn()),
          s.paused() ? "yes" : "no", overlap(s.overlap()), misfire(s.misfire())));
    }
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], row.get(i).length());
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        line.append(i == widths.length - 1 ? row.get(i) : ("%-" + widths[i] + "s  ").formatted(row.get(i)));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** {@code every 2h 30m} (which --every reads back) or {@code cron "0 3 * * *" in Europe/Berlin}. */
  static String recurrence(Recurrence recurrence) {
    return recurrence instanceof Recurrence.Every every ? "every " + duration(every.interval()) : recurrence.toString();
  }

  static String duration(Duration d) {
    StringJoiner parts = new StringJoiner(" ");
    if (d.toDays() > 0) parts.add(d.toDays() + "d");
    if (d.toHoursPart() > 0) parts.add(d.toHoursPart() + "h");
    if (d.toMinutesPart() > 0) parts.add(d.toMinutesPart() + "m");
    if (d.toSecondsPart() > 0) parts.add(d.toSecondsPart() + "s");
    if (d.toMillisPart() > 0) parts.add(d.toMillisPart() + "ms");
    return parts.toString();
  }

  private static String overlap(Overlap overlap) {
    return overlap.name().toLowerCase(Locale.ROOT);
  }

  private static String misfire(Misfire misfire) {
    return misfire.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String time(Instant instant) {
    return instant == null ? "-" : instant.toString();
  }
}
