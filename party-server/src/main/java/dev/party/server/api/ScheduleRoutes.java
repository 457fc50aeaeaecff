package dev.party.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.party.Party;
import dev.party.error.ScheduleNotFoundException;
import dev.party.schedule.ScheduleView;
import dev.party.task.TaskId;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** The schedule routes: add, list, look, remove, pause, resume and trigger. */
final class ScheduleRoutes {
  private final Party party;
  private final BodyReader body;

  ScheduleRoutes(Party party, BodyReader body) {
    this.party = party;
    this.body = body;
  }

  /** POST /schedules: 201 with the schedule; 409 when its name (or handler and data) is taken. */
  void add(Context ctx) {
    ScheduleView added = party.schedules().add(ScheduleBody.read(body.read(ctx)));
    ctx.status(201).header("Location", location(added.name()));
    TaskRoutes.json(ctx, TaskJson.write(512, json -> write(json, added)));
  }

  /** GET /schedules */
  void list(Context ctx) {
    List<ScheduleView> schedules = party.schedules().list();
    TaskRoutes.json(ctx, TaskJson.write(256 + schedules.size() * 384, json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("schedules");
      for (ScheduleView schedule : schedules) write(json, schedule);
      json.writeEndArray();
      json.writeEndObject();
    }));
  }

  /** GET /schedules/{name} */
  void get(Context ctx) {
    String name = ctx.pathParam("name");
    show(ctx, party.schedules().get(name).orElseThrow(() -> new ScheduleNotFoundException(name)));
  }

  /** DELETE /schedules/{name}: removing one that is not there is not an error. */
  void remove(Context ctx) {
    boolean removed = party.unschedule(ctx.pathParam("name"));
    TaskRoutes.json(ctx, TaskJson.write(32, json -> {
      json.writeStartObject();
      json.writeBooleanField("removed", removed);
      json.writeEndObject();
    }));
  }

  void pause(Context ctx) {
    show(ctx, party.schedules().pause(ctx.pathParam("name")));
  }

  void resume(Context ctx) {
    show(ctx, party.schedules().resume(ctx.pathParam("name")));
  }

  /** POST /schedules/{name}/trigger: 201 with the task stored now. */
  void trigger(Context ctx) {
    TaskId id = party.schedules().trigger(ctx.pathParam("name"));
    ctx.status(201).header("Location", TaskJson.location(id));
    TaskRoutes.json(ctx, TaskJson.write(128, json -> {
      json.writeStartObject();
      json.writeStringField("id", id.value());
      json.writeStringField("location", TaskJson.location(id));
      json.writeEndObject();
    }));
  }

  private void show(Context ctx, ScheduleView schedule) {
    TaskRoutes.json(ctx, TaskJson.write(512, json -> write(json, schedule)));
  }

  static String location(String name) {
    return "/schedules/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static void write(JsonGenerator json, ScheduleView schedule) throws IOException {
    json.writeStartObject();
    json.writeStringField("name", schedule.name());
    json.writeStringField("party", schedule.handler());
    json.writeFieldName("data");
    json.writeRawValue(schedule.data());
    json.writeStringField(schedule.recurrence().kind(), schedule.recurrence().spec());
    if (schedule.recurrence().kind().equals("cron")) json.writeStringField("zone", schedule.recurrence().zone().getId());
    json.writeStringField("misfire", schedule.misfire().name().toLowerCase(Locale.ROOT));
    json.writeStringField("overlap", schedule.overlap().name().toLowerCase(Locale.ROOT));
    json.writeBooleanField("paused", schedule.paused());
    json.writeStringField("queue", schedule.queue());
    json.writeNumberField("priority", schedule.priority());
    json.writeNumberField("maxAttempts", schedule.maxAttempts());
    json.writeStringField("nextRunAt", schedule.nextRunAt().toString());
    if (schedule.lastRunOn() == null) json.writeNullField("lastRunOn");
    else json.writeStringField("lastRunOn", schedule.lastRunOn().toString());
    if (schedule.lastTaskId() == null) json.writeNullField("lastTaskId");
    else json.writeStringField("lastTaskId", schedule.lastTaskId().value());
    json.writeStringField("location", location(schedule.name()));
    json.writeEndObject();
  }
}
