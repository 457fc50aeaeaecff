package dev.party.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.party.error.InvalidTaskException;
import dev.party.json.Json;
import dev.party.task.TaskRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A recurring task: which task to store (handler, data, queue, priority, attempts) and when.
 * Each period fires once across all nodes. A schedule without a name is named after its handler
 * and data, so one handler with one data has one schedule (the seeds' rule).
 *
 * <pre>{@code
 * party.schedule(Schedule.every("30 minutes", TaskRequest.of("SendReminders")));
 * party.schedule(Schedule.cron("0 3 * * *", ZoneId.of("Europe/Berlin"), TaskRequest.of("NightlyReport"))
 *     .named("nightly-report"));
 * }</pre>
 */
public record Schedule(String name, TaskRequest task, Recurrence recurrence, Misfire misfire, Overlap overlap) {
  public Schedule {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(recurrence, "recurrence");
    Objects.requireNonNull(misfire, "misfire");
    Objects.requireNonNull(overlap, "overlap");
    if (task.runAt() != null || task.runIn() != null) {
      throw InvalidTaskException.invalid("a schedule's task takes no timestamp or delay: the schedule says when");
    }
    if (task.uniqueKey() != null) {
      throw InvalidTaskException.invalid("a schedule's task takes no unique key: the schedule's name is one already");
    }
    if (name == null) name = nameFor(task);
    if (name.isBlank() || name.length() > TaskRequest.MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
      throw InvalidTaskException.invalid("a schedule's name is 1 to %d printable characters".formatted(TaskRequest.MAX_NAME_LENGTH));
    }
  }

  public static Schedule every(Duration interval, TaskRequest task) {
    return new Schedule(null, task, Recurrence.every(interval), Misfire.FIRE_ONCE, Overlap.SKIP);
  }

  /** Every {@code "30 minutes"}, {@code "1 day"}, {@code PT1H}. */
  public static Schedule every(String interval, TaskRequest task) {
    return new Schedule(null, task, Recurrence.every(interval), Misfire.FIRE_ONCE, Overlap.SKIP);
  }

  public static Schedule cron(String expression, ZoneId zone, TaskRequest task) {
    return new Schedule(null, task, Recurrence.cron(expression, zone), Misfire.FIRE_ONCE, Overlap.SKIP);
  }

  /** A cron expression read in UTC. */
  public static Schedule cron(String expression, TaskRequest task) {
    return cron(expression, java.time.ZoneOffset.UTC, task);
  }

  public Schedule named(String value) {
    return new Schedule(Objects.requireNonNull(value, "name"), task, recurrence, misfire, overlap);
  }

  public Schedule misfire(Misfire value) {
    return new Schedule(name, task, recurrence, value, overlap);
  }

  public Schedule overlap(Overlap value) {
    return new Schedule(name, task, recurrence, misfire, value);
  }

  /**
   * The handler's name, and for data other than {@code {}} a digest of it with its keys sorted, so
   * {"a":1,"b":2} and {"b":2,"a":1} name one schedule.
   */
  public static String nameFor(TaskRequest task) {
    JsonNode data = Json.parseObject(task.data());
    if (data.isEmpty()) return task.handler();
    String canonical = Json.write(sorted(data));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return task.handler() + "#" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * The data as compact JSON with every object's keys sorted: how schedules compare data, so
   * {"a":1,"b":2} and { "b": 2, "a": 1 } are the same. Numbers keep their form (1 and 1.0 differ).
   */
  public static String canonicalData(String data) {
    return Json.write(sorted(Json.parseObject(data)));
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String field = names.next();
        fields.put(field, sorted(node.get(field)));
      }
      ObjectNode copy = Json.mapper().createObjectNode();
      fields.forEach(copy::set);
      return copy;
    }
    if (node.isArray()) {
      var copy = Json.mapper().createArrayNode();
      node.forEach(element -> copy.add(sorted(element)));
      return copy;
    }
    return node;
  }
}
