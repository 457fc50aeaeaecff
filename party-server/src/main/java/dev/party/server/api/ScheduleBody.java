package dev.party.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.error.InvalidTaskException;
import dev.party.schedule.Misfire;
import dev.party.schedule.Overlap;
import dev.party.schedule.Recurrence;
import dev.party.schedule.Schedule;
import dev.party.task.TaskRequest;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@code POST /schedules}: {@code {"party": name, "data": {...}, "every": "30 minutes"}} or
 * {@code "cron": "0 3 * * *", "zone": "Europe/Berlin"}, plus optional {@code name}, {@code
 * misfire} (fire_once, catch_up), {@code overlap} (skip, allow), {@code queue}, {@code priority}
 * and {@code maxAttempts}.
 */
final class ScheduleBody {
  static final Set<String> FIELDS = Set.of("name", "party", "data", "every", "cron", "zone", "misfire", "overlap",
      "queue", "priority", "maxAttempts");

  static Schedule read(byte[] body) {
    JsonNode node = EnqueueBody.parse(body);
    if (!node.isObject()) throw InvalidTaskException.invalid("the body must be {\"party\": \"HandlerName\", \"every\": \"30 minutes\"}");
    EnqueueBody.checkFields(node, FIELDS, "a schedule");
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
    if (node.has("priority")) task = task.priority(EnqueueBody.integer(node, "priority"));
    if (node.has("maxAttempts")) task = task.maxAttempts(EnqueueBody.integer(node, "maxAttempts"));
    if (node.has("queue")) task = task.queue(EnqueueBody.text(node, "queue"));

    Schedule schedule = new Schedule(null, task, recurrence(node), Misfire.FIRE_ONCE, Overlap.SKIP);
    if (node.has("name")) schedule = schedule.named(EnqueueBody.text(node, "name"));
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
      return Recurrence.every(EnqueueBody.text(node, "every"));
    }
    String zone = node.has("zone") ? EnqueueBody.text(node, "zone") : "UTC";
    return Recurrence.cron(EnqueueBody.text(node, "cron"), Recurrence.zone(zone));
  }

  private static <E extends Enum<E>> E choice(JsonNode node, String field, Class<E> type) {
    String text = EnqueueBody.text(node, field);
    try {
      return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      var names = java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
      throw InvalidTaskException.invalid("\"%s\" is one of %s, not \"%s\"".formatted(field, names, text));
    }
  }
}
