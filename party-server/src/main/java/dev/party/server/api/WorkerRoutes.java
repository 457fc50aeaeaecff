package dev.party.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.party.Party;
import dev.party.store.WorkerView;
import dev.party.task.TaskId;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** GET /workers: the worker registry, live, dead and stopped workers of every node. */
final class WorkerRoutes {
  private final Party party;

  WorkerRoutes(Party party) {
    this.party = party;
  }

  /** GET /workers: every worker listed by the registry, by name, with its running tasks' ids. */
  void list(Context ctx) {
    List<WorkerView> workers = party.workers();
    TaskRoutes.json(ctx, TaskJson.write(256 + workers.size() * 512, json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("workers");
      for (WorkerView worker : workers) write(json, worker);
      json.writeEndArray();
      json.writeEndObject();
    }));
  }

  private static void write(JsonGenerator json, WorkerView worker) throws IOException {
    json.writeStartObject();
    json.writeStringField("name", worker.name());
    json.writeStringField("host", worker.host());
    json.writeNumberField("pid", worker.pid());
    json.writeStringField("state", state(worker));
    json.writeArrayFieldStart("queues");
    for (String queue : worker.queues()) json.writeString(queue);
    json.writeEndArray();
    json.writeNumberField("slots", worker.slots());
    if (worker.version() == null) json.writeNullField("version");
    else json.writeStringField("version", worker.version());
    json.writeNumberField("heartbeatMillis", worker.heartbeat().toMillis());
    TaskJson.time(json, "startedAt", worker.startedAt());
    TaskJson.time(json, "lastHeartbeat", worker.lastHeartbeat());
    TaskJson.time(json, "stoppedAt", worker.stoppedAt());
    json.writeNumberField("running", worker.running().size());
    json.writeArrayFieldStart("runningTasks");
    for (TaskId id : worker.running()) json.writeString(id.value());
    json.writeEndArray();
    json.writeEndObject();
  }

  /**
   * The status map's {@code workers}: per worker its {@code name}, {@code host}, {@code state}
   * (live, dead or stopped), {@code last_heartbeat} and {@code running} count, in the map's
   * snake_case.
   */
  static void summary(JsonGenerator json, List<WorkerView> workers) throws IOException {
    json.writeArrayFieldStart("workers");
    for (WorkerView worker : workers) {
      json.writeStartObject();
      json.writeStringField("name", worker.name());
      json.writeStringField("host", worker.host());
      json.writeStringField("state", state(worker));
      json.writeStringField("last_heartbeat", worker.lastHeartbeat().toString());
      json.writeNumberField("running", worker.running().size());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  static String state(WorkerView worker) {
    return worker.state().name().toLowerCase(Locale.ROOT);
  }

}
