package dev.party.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.error.InvalidTaskException;
import dev.party.json.JsonFields;
import dev.party.task.TaskRequest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * A schedule written as JSON (or YAML read into the same tree), as {@code POST /schedules} and the
 * config file's {@code schedules} list take it: {@code {"party": name, "data": {...}, "every": "30
 * minutes"}} or {@code "cron": "0 3 * * *", "zone": "Europe/Berlin"}, plus optional {@code name},
 * {@code misfire} (fire_once, catch_up), {@code overlap} (skip, allow), {@code queue}, {@code
 * priority} and {@code maxAttempts}. Unknown fields are refused, with the nearest known one.
 */
public final class ScheduleJson {
  public static final Set<String> FIELDS = Set.of("name", "party", "data", "every", "cron", "zone", "misfire",
      "overlap", "queue", "priority", "maxAttempts");

  private ScheduleJson() {}

  public static Schedule read(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw InvalidTaskException.invalid("a schedule is an object such as {\"party\": \"HandlerName\", \"every\": \"30 minutes\"}");
    }
    JsonFields.refuseUnknown(node, FIELDS, "a schedule");
    TaskRequest task = JsonFields.task(node);

    Schedule schedule = new Schedule(null, task, recurrence(node), Misfire.FIRE_ONCE, Overlap.SKIP);
    if (node.has("name")) schedule = schedule.named(JsonFields.text(node, "name"));
    if (node.has("misfire")) schedule = schedule.misfire(choice(node, "misfire", Misfire.class));
    if (node.has("overlap")) schedule = schedule.overlap(choice(node, "overlap", Overlap.class));
    return schedule;
  }

  private static Recurrence recurrence(JsonNode node) {
    boolean every = node.has("every");
    boolean cron = node.has("cron");
    if (every == cron) {
      throw InvalidTaskException.invalid("give \"every\" (such as \"30 minutes\") or \"cron\" (such as \"0 3 * * *\"), one of them");
    }
    if (every) {
      if (node.has("zone")) throw InvalidTaskException.invalid("\"zone\" goes with \"cron\"; an interval needs none");
      return Recurrence.every(JsonFields.text(node, "every"));
    }
    String zone = node.has("zone") ? JsonFields.text(node, "zone") : "UTC";
    return Recurrence.cron(JsonFields.text(node, "cron"), Recurrence.zone(zone));
  }

  private static <E extends Enum<E>> E choice(JsonNode node, String field, Class<E> type) {
    String text = JsonFields.text(node, field);
    try {
      return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      var names = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
      throw InvalidTaskException.invalid("\"%s\" is one of %s, not \"%s\"".formatted(field, names, text));
    }
  }
}
