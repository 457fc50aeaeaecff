package dev.party.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.error.ErrorCode;
import dev.party.error.InvalidTaskException;
import dev.party.json.Json;
import dev.party.json.JsonFields;
import dev.party.schedule.TimeText;
import dev.party.task.TaskRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Reads {@code POST /tasks} in the seeds' wire format, {@code {"tasks": [{"party": name, "data":
 * {...}, "timestamp": ...}]}}, plus Party's optional {@code in} (a delay such as "90 minutes",
 * instead of a timestamp), {@code priority}, {@code queue}, {@code maxAttempts}, {@code uniqueKey}
 * {@code batchKey} (see {@link TaskRequest#batchKey}), {@code singletonKey} (see {@link
 * TaskRequest#singletonKey}), {@code instanceKey} (see {@link TaskRequest#instanceKey}) and {@code limitKey} (see
 * {@link TaskRequest#limitKey}). Every task is checked before any is stored; an error names the task by its index.
 */
final class EnqueueBody {
  static final Set<String> FIELDS =
      Set.of("party", "data", "timestamp", "in", "priority", "queue", "maxAttempts", "uniqueKey", "batchKey",
          "singletonKey", "instanceKey", "limitKey");

  private final int maxTasks;

  EnqueueBody(int maxTasks) {
    this.maxTasks = maxTasks;
  }

  List<TaskRequest> read(byte[] body) {
    JsonNode root = parse(body);
    if (!root.isObject() || !root.path("tasks").isArray()) {
      throw InvalidTaskException.invalid("the body must be {\"tasks\": [{\"party\": \"HandlerName\", \"data\": {...}}]}");
    }
    return list(root, "tasks");
  }

  /**
   * The tasks in {@code root}'s array {@code field}: one or more, at most the per-request limit,
   * an error naming the task by its index.
   */
  List<TaskRequest> list(JsonNode root, String field) {
    JsonNode tasks = root.get(field);
    if (tasks == null || !tasks.isArray()) throw InvalidTaskException.invalid("\"%s\" must be a list of tasks".formatted(field));
    if (tasks.isEmpty()) throw InvalidTaskException.invalid("\"%s\" is empty; send at least one task".formatted(field));
    if (tasks.size() > maxTasks) {
      throw new HttpRefusal(ErrorCode.TOO_LARGE,
          "%d tasks in one request; the limit is %d: split them over several requests".formatted(tasks.size(), maxTasks));
    }
    List<TaskRequest> requests = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      try {
        requests.add(task(tasks.get(i)));
      } catch (InvalidTaskException e) {
        throw named("%s[%d]".formatted(field, i), e);
      }
    }
    return requests;
  }

  /**
   * Runs {@code call} on the tasks read from {@code root}'s array {@code field}, naming a task the
   * core refuses (singletonKey, limitKey, ...: see {@link InvalidTaskException#index()}) as this
   * body's own checks do.
   */
  static <T> T naming(String field, Supplier<T> call) {
    return naming(i -> "%s[%d]".formatted(field, i), call);
  }

  /** As {@link #naming(String, Supplier)}, with the name of each index given. */
  static <T> T naming(IntFunction<String> name, Supplier<T> call) {
    try {
      return call.get();
    } catch (InvalidTaskException e) {
      if (e.index() == null) throw e;
      throw named(name.apply(e.index()), e);
    }
  }

  private static InvalidTaskException named(String name, InvalidTaskException e) {
    return new InvalidTaskException(e.code(), name + ": " + e.getMessage());
  }

  /**
   * Parses a JSON body with a clean malformed_json message; shared by the routes that take one.
   * Strict (see {@link Json#parse(byte[])}): what is accepted is stored exactly.
   */
  static JsonNode parse(byte[] body) {
    if (body.length == 0) throw InvalidTaskException.malformedJson("the body is empty");
    return Json.parse(body);
  }

  static TaskRequest task(JsonNode node) {
    if (!node.isObject()) throw InvalidTaskException.invalid("a task must be a JSON object, not " + node.getNodeType());
    JsonFields.refuseUnknown(node, FIELDS, "a task");
    TaskRequest request = JsonFields.task(node);
    JsonNode timestamp = node.get("timestamp");
    JsonNode in = node.get("in");
    boolean hasTimestamp = timestamp != null && !timestamp.isNull();
    boolean hasDelay = in != null && !in.isNull();
    if (hasTimestamp && hasDelay) {
      throw new InvalidTaskException(ErrorCode.BAD_TIMESTAMP, "give \"timestamp\" or \"in\", not both");
    }
    if (hasTimestamp) request = request.runAt(instant(timestamp));
    if (hasDelay) request = request.runIn(delay(in));
    if (node.has("uniqueKey")) request = request.uniqueKey(JsonFields.text(node, "uniqueKey"));
    if (node.has("batchKey")) request = request.batchKey(JsonFields.text(node, "batchKey"));
    if (node.has("singletonKey")) request = request.singletonKey(JsonFields.text(node, "singletonKey"));
    if (node.has("instanceKey")) request = request.instanceKey(JsonFields.text(node, "instanceKey"));
    if (node.has("limitKey")) request = request.limitKey(JsonFields.text(node, "limitKey"));
    return request;
  }

  private static Instant instant(JsonNode timestamp) {
    if (timestamp.isIntegralNumber()) {
      if (!timestamp.canConvertToLong()) {
        throw new InvalidTaskException(ErrorCode.BAD_TIMESTAMP, "\"timestamp\" %s is out of range".formatted(timestamp));
      }
      return TimeText.epochMillis(timestamp.asLong());
    }
    if (timestamp.isTextual()) return TimeText.instant(timestamp.asText());
    throw new InvalidTaskException(ErrorCode.BAD_TIMESTAMP,
        "\"timestamp\" must be ISO-8601 text or epoch milliseconds, not " + timestamp);
  }

  private static Duration delay(JsonNode in) {
    if (!in.isTextual()) {
      throw new InvalidTaskException(ErrorCode.BAD_TIMESTAMP,
          "\"in\" must be a delay as text, such as \"90 minutes\" or \"1 day\", not " + in);
    }
    return TimeText.duration(in.asText());
  }

}
