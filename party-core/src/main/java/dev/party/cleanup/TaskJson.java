package dev.party.cleanup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.party.json.Json;
import dev.party.store.ExpiredTask;
import dev.party.task.TaskLogEntry;
import dev.party.task.TaskView;
import java.time.Instant;

/**
 * A removed task as one JSON object, for a dump file line and the archive table: the task in the
 * HTTP API's names ({@code party} for the handler, {@code timestamp} for runAt), its data and
 * result as JSON, and its log.
 */
final class TaskJson {
  private TaskJson() {}

  static String line(ExpiredTask expired) {
    TaskView t = expired.task();
    ObjectNode json = Json.mapper().createObjectNode();
    json.put("id", t.id().value());
    json.put("party", t.handler());
    json.put("queue", t.queue());
    json.set("data", parsed(t.data()));
    json.put("state", t.state().name());
    json.put("priority", t.priority());
    time(json, "timestamp", t.runAt());
    time(json, "createdAt", t.createdAt());
    json.put("attempts", t.attempts());
    json.put("maxAttempts", t.maxAttempts());
    time(json, "lastRunOn", t.lastRunOn());
    json.put("progress", t.progress());
    json.set("result", parsed(t.result()));
    json.put("error", t.error());
    json.put("uniqueKey", t.uniqueKey());
    json.put("instanceKey", t.instanceKey());
    time(json, "finishedAt", t.finishedAt());
    json.put("continues", t.continues() == null ? null : t.continues().value());
    json.put("continuedBy", t.continuedBy() == null ? null : t.continuedBy().value());
    ArrayNode log = json.putArray("log");
    for (TaskLogEntry entry : TaskLogEntry.withCreation(t, expired.log())) {
      ObjectNode row = log.addObject();
      time(row, "at", entry.at());
      row.put("from", entry.from() == null ? null : entry.from().name());
      row.put("to", entry.to().name());
      row.put("worker", entry.worker());
      row.put("message", entry.message());
    }
    return Json.write(json);
  }

  private static void time(ObjectNode json, String name, Instant value) {
    json.put(name, value == null ? null : value.toString());
  }

  /** Stored JSON as JSON; text that does not parse (it should not happen) is kept as a string. */
  private static JsonNode parsed(String text) {
    if (text == null) return Json.mapper().nullNode();
    try {
      return Json.parse(text);
    } catch (RuntimeException e) {
      return Json.mapper().getNodeFactory().textNode(text);
    }
  }
}
