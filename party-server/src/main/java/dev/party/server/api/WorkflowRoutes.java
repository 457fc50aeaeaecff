package dev.party.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.party.Party;
import dev.party.error.InvalidTaskException;
import dev.party.task.Chain;
import dev.party.task.Group;
import dev.party.task.TaskId;
import dev.party.task.TaskRequest;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** POST /chains and POST /groups: workflows in the tasks' wire format, stored whole or not at all. */
final class WorkflowRoutes {
  private final Party party;
  private final BodyReader body;
  private final EnqueueBody tasks;

  WorkflowRoutes(Party party, BodyReader body, EnqueueBody tasks) {
    this.party = party;
    this.body = body;
    this.tasks = tasks;
  }

  /** {@code {"steps": [task, task, ...]}}: 201 with the chain's id and its steps. */
  void chain(Context ctx) {
    JsonNode root = object(body.read(ctx), Set.of("steps"), "{\"steps\": [{\"party\": \"A\"}, {\"party\": \"B\"}]}");
    List<TaskRequest> steps = tasks.list(root, "steps");
    Instant now = party.clock().instant();
    Chain chain = EnqueueBody.naming("steps", () -> party.chain(steps));
    ctx.status(201);
    TaskRoutes.json(ctx, TaskJson.write(64 + steps.size() * 160, json -> {
      json.writeStartObject();
      json.writeStringField("chain", chain.id());
      json.writeArrayFieldStart("steps");
      for (int i = 0; i < steps.size(); i++) created(json, chain.steps().get(i), steps.get(i), i == 0 ? null : "WAITING", now);
      json.writeEndArray();
      json.writeEndObject();
    }));
  }

  /** {@code {"members": [task, ...], "callback": task}}: 201 with the group's id, members and callback. */
  void group(Context ctx) {
    JsonNode root = object(body.read(ctx), Set.of("members", "callback"),
        "{\"members\": [{\"party\": \"A\"}, {\"party\": \"A\"}], \"callback\": {\"party\": \"B\"}}");
    List<TaskRequest> members = tasks.list(root, "members");
    if (!root.has("callback")) throw InvalidTaskException.invalid("a group needs a \"callback\" task");
    TaskRequest callback;
    try {
      callback = EnqueueBody.task(root.get("callback"));
    } catch (InvalidTaskException e) {
      throw new InvalidTaskException(e.code(), "callback: " + e.getMessage());
    }
    Instant now = party.clock().instant();
    // The core counts the callback after the members.
    Group group = EnqueueBody.naming(i -> i < members.size() ? "members[%d]".formatted(i) : "callback",
        () -> party.group(members, callback));
    ctx.status(201);
    TaskRoutes.json(ctx, TaskJson.write(128 + members.size() * 160, json -> {
      json.writeStartObject();
      json.writeStringField("group", group.id());
      json.writeArrayFieldStart("members");
      for (int i = 0; i < members.size(); i++) created(json, group.members().get(i), members.get(i), null, now);
      json.writeEndArray();
      json.writeFieldName("callback");
      created(json, group.callback(), callback, "WAITING", now);
      json.writeEndObject();
    }));
  }

  private static JsonNode object(byte[] bytes, Set<String> fields, String example) {
    JsonNode root = EnqueueBody.parse(bytes);
    if (!root.isObject()) throw InvalidTaskException.invalid("the body must be " + example);
    root.fieldNames().forEachRemaining(name -> {
      if (!fields.contains(name)) {
        throw InvalidTaskException.invalid("unknown field \"%s\"; the body is %s".formatted(name, example));
      }
    });
    return root;
  }

  /** One created task; {@code state} null means SCHEDULED or ENQUEUED by its own time. */
  private static void created(JsonGenerator json, TaskId id, TaskRequest request, String state, Instant now)
      throws IOException {
    Instant runAt = request.runAt() != null ? request.runAt() : request.runIn() != null ? now.plus(request.runIn()) : now;
    json.writeStartObject();
    json.writeStringField("id", id.value());
    json.writeStringField("party", request.handler());
    json.writeStringField("state", state != null ? state : runAt.isAfter(now) ? "SCHEDULED" : "ENQUEUED");
    json.writeStringField("location", TaskJson.location(id));
    json.writeEndObject();
  }
}
