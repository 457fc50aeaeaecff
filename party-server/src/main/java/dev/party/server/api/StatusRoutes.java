package dev.party.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.party.Party;
import dev.party.error.StoreException;
import dev.party.schedule.ScheduleView;
import dev.party.store.CleanupRecord;
import dev.party.store.StoreStatus;
import dev.party.task.TaskQuery;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** GET /status (the seeds' status map) and GET /health. */
final class StatusRoutes {
  /** What the seeds answer for facts they do not have: the last cleanup before any ran. */
  static final String UNAVAILABLE = "Unavailable";
  /** Recurring class-style tasks listed under {@code recurring}, next run first: the map stays small. */
  static final int MAX_RECURRING_TASKS = 1000;

  private final Party party;
  private final ErrorMapper errors;

  StatusRoutes(Party party, ErrorMapper errors) {
    this.party = party;
    this.errors = errors;
  }

  /**
   * The seeds' field names: {@code pending} per handler with the next task's id, {@code failed},
   * {@code undumped} (finished tasks still stored), {@code completed}, {@code recurring}, {@code
   * total_workers} (this JVM's handler slots: 0 when it runs none), {@code restarted_workers}, {@code last_run_on} and {@code
   * debug}; plus {@code workers}, the worker registry of every node (see {@link
   * WorkerRoutes#summary}), {@code states}, the count per state, and {@code worker}, this node's
   * worker name. From the cleanup
   * ({@code TaskCleanup}), as every node reads it from the store: {@code last_run_on} is when the
   * last cleanup ended ("Unavailable" before the first), {@code completed} the FINISHED tasks all
   * cleanups dumped or archived, and {@code cleanup} the last run's and total counts.
   */
  void status(Context ctx) {
    StoreStatus status = party.status();
    Optional<CleanupRecord> cleanup = party.lastCleanup();
    TaskRoutes.json(ctx, TaskJson.write(1024, json -> {
      json.writeStartObject();
      counts(json, "pending", status.pending());
      counts(json, "failed", status.failed());
      counts(json, "undumped", status.finished());
      json.writeNumberField("completed", cleanup.map(CleanupRecord::totalCompleted).orElse(0L));
      json.writeArrayFieldStart("recurring");
      for (ScheduleView schedule : party.schedules().list()) recurring(json, schedule);
      for (TaskView task : party.recurringTasks(MAX_RECURRING_TASKS)) recurring(json, task);
      json.writeEndArray();
      json.writeNumberField("total_workers", party.slots());
      json.writeNumberField("restarted_workers", party.restartedWorkers());
      WorkerRoutes.summary(json, party.workers());
      json.writeStringField("last_run_on", cleanup.map(c -> c.lastRunAt().toString()).orElse(UNAVAILABLE));
      if (cleanup.isPresent()) {
        CleanupRecord c = cleanup.get();
        json.writeObjectFieldStart("cleanup");
        json.writeNumberField("last_completed", c.lastCompleted());
        json.writeNumberField("last_failed", c.lastFailed());
        json.writeNumberField("total_completed", c.totalCompleted());
        json.writeNumberField("total_failed", c.totalFailed());
        json.writeEndObject();
      }
      json.writeBooleanField("debug", false);
      json.writeObjectFieldStart("states");
      for (TaskState state : TaskState.values()) {
        json.writeNumberField(state.name(), status.states().getOrDefault(state, 0L));
      }
      json.writeEndObject();
      json.writeStringField("worker", party.config().workerId());
      json.writeEndObject();
    }));
  }

  /** One schedule in the seeds' style: {@code _id} is its name, {@code party} its handler. */
  private static void recurring(JsonGenerator json, ScheduleView schedule) throws IOException {
    json.writeStartObject();
    json.writeStringField("_id", schedule.name());
    json.writeStringField("kind", "schedule");
    json.writeStringField("party", schedule.handler());
    json.writeStringField(schedule.recurrence().kind(), schedule.recurrence().spec());
    json.writeStringField("next_run", schedule.nextRunAt().toString());
    if (schedule.lastRunOn() == null) json.writeNullField("last_run_on");
    else json.writeStringField("last_run_on", schedule.lastRunOn().toString());
    json.writeBooleanField("paused", schedule.paused());
    json.writeEndObject();
  }

  /**
   * A recurring class-style task (its {@code isRecurring()} is true): {@code _id} is the task's id;
   * its next run is the task's timestamp, which it moves on itself with {@code scheduleNextRun}.
   */
  private static void recurring(JsonGenerator json, TaskView task) throws IOException {
    json.writeStartObject();
    json.writeStringField("_id", task.id().value());
    json.writeStringField("kind", "task");
    json.writeStringField("party", task.handler());
    json.writeStringField("next_run", task.runAt().toString());
    if (task.lastRunOn() == null) json.writeNullField("last_run_on");
    else json.writeStringField("last_run_on", task.lastRunOn().toString());
    json.writeStringField("state", task.state().name());
    json.writeEndObject();
  }

  private static void counts(JsonGenerator json, String field,
      List<StoreStatus.HandlerCount> counts) throws IOException {
    json.writeArrayFieldStart(field);
    for (StoreStatus.HandlerCount count : counts) {
      json.writeStartObject();
      json.writeStringField("_id", count.handler());
      json.writeNumberField("count", count.count());
      if (count.upcoming() != null) json.writeStringField("upcoming", count.upcoming());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** 200 {"status": "ok"} when the store answers a read; 503 store_unavailable when it does not. */
  void health(Context ctx) {
    try {
      party.tasks(TaskQuery.all().limit(1));
    } catch (StoreException e) {
      errors.handle(e, ctx);
      return;
    }
    TaskRoutes.json(ctx, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
  }
}
