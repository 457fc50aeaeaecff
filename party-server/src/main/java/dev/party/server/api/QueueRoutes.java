package dev.party.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.party.Party;
import dev.party.store.QueueView;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;

/** GET /queues, POST /queues/{name}/pause and /resume: pausing a queue on every node. */
final class QueueRoutes {
  private final Party party;

  QueueRoutes(Party party) {
    this.party = party;
  }

  /** GET /queues: queues with unfinished tasks or ever paused, by name, with their counts. */
  void list(Context ctx) {
    List<QueueView> queues = party.queues();
    TaskRoutes.json(ctx, TaskJson.write(128 + queues.size() * 128, json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("queues");
      for (QueueView queue : queues) write(json, queue);
      json.writeEndArray();
      json.writeEndObject();
    }));
  }

  /** POST /queues/{name}/pause: any valid name, with or without tasks; the queue afterwards. */
  void pause(Context ctx) {
    QueueView queue = party.pauseQueue(ctx.pathParam("name"));
    TaskRoutes.json(ctx, TaskJson.write(128, json -> write(json, queue)));
  }

  /** POST /queues/{name}/resume */
  void resume(Context ctx) {
    QueueView queue = party.resumeQueue(ctx.pathParam("name"));
    TaskRoutes.json(ctx, TaskJson.write(128, json -> write(json, queue)));
  }

  private static void write(JsonGenerator json, QueueView queue) throws IOException {
    json.writeStartObject();
    json.writeStringField("name", queue.name());
    json.writeBooleanField("paused", queue.paused());
    TaskJson.time(json, "pausedAt", queue.pausedAt());
    json.writeNumberField("pending", queue.pending());
    json.writeNumberField("running", queue.running());
    json.writeEndObject();
  }
}
