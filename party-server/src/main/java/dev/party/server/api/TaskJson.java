package dev.party.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.party.json.Json;
import dev.party.task.Enqueued;
import dev.party.task.TaskId;
import dev.party.task.TaskLogEntry;
import dev.party.task.TaskRequest;
import dev.party.task.TaskView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Writes tasks in the wire format. {@code data} and {@code result} go out as the JSON text the
 * store holds, unparsed; {@code state} is the seeds' view (SCHEDULED or ENQUEUED for PENDING).
 * {@code continues}, {@code continuedBy} and {@code lastStep} link the steps of a continuation.
 */
final class TaskJson {
  private TaskJson() {}

  static String location(TaskId id) {
    return "/tasks/" + id.value();
  }

  /**
   * {@code {"tasks": [{"id", "party", "state", "timestamp", "location", "covered"}]}} for a POST.
   * A covered request shows the waiting task that covers it, as stored (null when it started and
   * was gone by the time it was read: the request's own values stand in then).
   */
  static byte[] created(List<Enqueued> enqueued, List<TaskView> covering, List<TaskRequest> requests, Instant now) {
    return write(64 + enqueued.size() * 180, json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("tasks");
      for (int i = 0; i < enqueued.size(); i++) {
        TaskRequest request = requests.get(i);
        TaskView cover = covering.get(i);
        TaskId id = enqueued.get(i).id();
        Instant runAt = cover != null ? cover.runAt() : storedRunAt(enqueued.get(i), request, now);
        json.writeStartObject();
        json.writeStringField("id", id.value());
        json.writeStringField("party", request.handler());
        json.writeStringField("state", cover != null ? cover.displayState(now) : runAt.isAfter(now) ? "SCHEDULED" : "ENQUEUED");
        json.writeStringField("timestamp", runAt.toString());
        json.writeStringField("location", location(id));
        json.writeBooleanField("covered", enqueued.get(i).covered());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  /**
   * The time the store kept, which a GET shows too. A store that does not say leaves the request's
   * own, or, for a delay counted from the store's clock, this node's as close as the answer can be.
   */
  private static Instant storedRunAt(Enqueued enqueued, TaskRequest request, Instant now) {
    if (enqueued.runAt() != null) return enqueued.runAt();
    if (request.runAt() != null) return request.runAt();
    return request.runIn() != null ? now.plus(request.runIn()) : now;
  }

    static byte[] task(TaskView task, List<TaskLogEntry> log, Instant now) {
    return write(1024, json -> fields(json, task, log, now));
  }

  /** {@code {"tasks": [...], "next": cursor}}; listings leave the log out. */
  static byte[] page(List<TaskView> tasks, String next, Instant now) {
    return write(256 + tasks.size() * 512, json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("tasks");
      for (TaskView task : tasks) fields(json, task, null, now);
      json.writeEndArray();
      json.writeStringField("next", next);
      json.writeEndObject();
    });
  }

  private static void fields(JsonGenerator json, TaskView task, List<TaskLogEntry> log, Instant now) throws IOException {
    json.writeStartObject();
    json.writeStringField("id", task.id().value());
    json.writeStringField("party", task.handler());
    json.writeStringField("queue", task.queue());
    json.writeStringField("state", task.displayState(now));
    json.writeFieldName("data");
    json.writeRawValue(task.data());
    time(json, "timestamp", task.runAt());
    time(json, "createdAt", task.createdAt());
    json.writeNumberField("attempts", task.attempts());
    json.writeNumberField("maxAttempts", task.maxAttempts());
    time(json, "lastRunOn", task.lastRunOn());
    json.writeNumberField("priority", task.priority());
    json.writeNumberField("progress", task.progress());
    json.writeFieldName("result");
    if (task.result() == null) json.writeNull();
    else json.writeRawValue(task.result());
    json.writeStringField("error", task.error());
    json.writeStringField("uniqueKey", task.uniqueKey());
    json.writeStringField("instanceKey", task.instanceKey());
    json.writeStringField("singletonKey", task.singletonKey());
    json.writeStringField("limitKey", task.limitKey());
    json.writeStringField("batchKey", task.batchKey());
    json.writeStringField("worker", task.leaseOwner());
    time(json, "leaseExpiresAt", task.leaseExpiresAt());
    time(json, "finishedAt", task.finishedAt());
    json.writeStringField("location", location(task.id()));
    json.writeStringField("continues", task.continues() == null ? null : task.continues().value());
    json.writeStringField("continuedBy", task.continuedBy() == null ? null : task.continuedBy().value());
    lastStep(json, task.lastStep(), now);
    if (log != null) {
      json.writeArrayFieldStart("log");
      for (TaskLogEntry entry : log) {
        json.writeStartObject();
        time(json, "at", entry.at());
        json.writeStringField("from", entry.from() == null ? null : entry.from().name());
        json.writeStringField("to", entry.to().name());
        json.writeStringField("worker", entry.worker());
        json.writeStringField("message", entry.message());
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  /** {@code {"id", "state", "location"}} of the continuation's newest step, or null. */
  private static void lastStep(JsonGenerator json, TaskView.LastStep step, Instant now) throws IOException {
    json.writeFieldName("lastStep");
    if (step == null) {
      json.writeNull();
      return;
    }
    json.writeStartObject();
    json.writeStringField("id", step.id().value());
    json.writeStringField("state", step.displayState(now));
    json.writeStringField("location", location(step.id()));
    json.writeEndObject();
  }

  static void time(JsonGenerator json, String field, Instant value) throws IOException {
    json.writeStringField(field, value == null ? null : value.toString());
  }

  interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  static byte[] write(int sizeHint, Body body) {
    var out = new ByteArrayOutputStream(sizeHint);
    try (JsonGenerator json = Json.mapper().getFactory().createGenerator(out)) {
      body.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
