package dev.party.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.error.InvalidTaskException;
import dev.party.error.NearMiss;
import dev.party.task.TaskRequest;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads the fields a task takes in JSON (the HTTP API's tasks, chains and groups; schedules over
 * HTTP and in party.yaml), with one wording for every refusal.
 */
public final class JsonFields {
  private JsonFields() {}

  /** Refuses a field outside {@code fields}, naming the nearest known one. */
  public static void refuseUnknown(JsonNode node, Set<String> fields, String what) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (fields.contains(name)) continue;
      String hint = NearMiss.of(name, fields)
          .map(nearest -> " (did you mean \"%s\"?)".formatted(nearest))
          .orElse("; %s takes %s".formatted(what, String.join(", ", fields.stream().sorted().toList())));
      throw InvalidTaskException.invalid("unknown field \"" + name + "\"" + hint);
    }
  }

  /** The handler ({@code party}), {@code data}, {@code priority}, {@code maxAttempts} and {@code queue}. */
  public static TaskRequest task(JsonNode node) {
    JsonNode party = node.get("party");
    if (party == null || !party.isTextual() || party.asText().isBlank()) {
      throw InvalidTaskException.invalid("\"party\" must name the handler, e.g. \"party\": \"SampleTask\"");
    }
    TaskRequest request = TaskRequest.of(party.asText());
    JsonNode data = node.get("data");
    if (data != null && !data.isNull()) {
      if (!data.isObject()) throw InvalidTaskException.invalid("\"data\" must be a JSON object, not " + data.getNodeType());
      request = request.withDataJson(data.toString());
    }
    if (node.has("priority")) request = request.priority(integer(node, "priority"));
    if (node.has("maxAttempts")) request = request.maxAttempts(integer(node, "maxAttempts"));
    if (node.has("queue")) request = request.queue(text(node, "queue"));
    return request;
  }

  public static int integer(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isInt()) throw InvalidTaskException.invalid("\"%s\" must be a whole number, not %s".formatted(field, value));
    return value.asInt();
  }

  public static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isTextual()) throw InvalidTaskException.invalid("\"%s\" must be text, not %s".formatted(field, value));
    return value.asText();
  }
}
