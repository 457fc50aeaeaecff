package dev.party.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.error.InvalidTaskException;
import dev.party.error.NearMiss;
import dev.party.task.TaskRequest;
import java.util.Arrays;
import java.util.Iterator;
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
    checkFields(node);
    JsonNode party = node.get("party");
    if (party == null || !party.isTextual() || party.asText().isBlank()) {
      throw InvalidTaskException.invalid("\"party\" must name the handler, e.g. \"party\": \"SampleTask\"");
    }
    TaskRequest task = TaskRequest.of(party.asText());
    JsonNode data = node.get("data");
    if (data != null && !data.isNull()) {
      if (!data.isObject()) throw InvalidTaskException.invalid("\"data\" must be a JSON object, not " + data.getNodeType());
      task = task.withDataJson(data.toString());
    }
    if (node.has("priority")) task = task.priority(integer(node, "priority"));
    if (node.has("maxAttempts")) task = task.maxAttempts(integer(node, "maxAttempts"));
    if (node.has("queue")) task = task.queue(text(node, "queue"));

    Schedule schedule = new Schedule(null, task, recurrence(node), Misfire.FIRE_ONCE, Overlap.SKIP);
    if (node.has("name")) schedule = schedule.named(text(node, "name"));
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
      return Recurrence.every(text(node, "every"));
    }
    String zone = node.has("zone") ? text(node, "zone") : "UTC";
    return Recurrence.cron(text(node, "cron"), Recurrence.zone(zone));
  }

  private static void checkFields(JsonNode node) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (FIELDS.contains(name)) continue;
      String hint = NearMiss.of(name, FIELDS)
          .map(nearest -> " (did you mean \"%s\"?)".formatted(nearest))
          .orElse("; a schedule takes " + String.join(", ", FIELDS.stream().sorted().toList()));
      throw InvalidTaskException.invalid("unknown field \"" + name + "\"" + hint);
    }
  }

  private static <E extends Enum<E>> E choice(JsonNode node, String field, Class<E> type) {
    String text = text(node, field);
    try {
      return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      var names = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
      throw InvalidTaskException.invalid("\"%s\" is one of %s, not \"%s\"".formatted(field, names, text));
    }
  }

  private static int integer(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isInt()) throw InvalidTaskException.invalid("\"%s\" must be a whole number, not %s".formatted(field, value));
    return value.asInt();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isTextual()) throw InvalidTaskException.invalid("\"%s\" must be text, not %s".formatted(field, value));
    return value.asText();
  }
}
