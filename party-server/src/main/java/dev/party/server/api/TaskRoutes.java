package dev.party.server.api;

import dev.party.Party;
import dev.party.error.ErrorCode;
import dev.party.error.InvalidTaskException;
import dev.party.error.TaskNotFoundException;
import dev.party.task.EnqueueOptions;
import dev.party.task.EnqueueResult;
import dev.party.task.Enqueued;
import dev.party.task.TaskId;
import dev.party.task.TaskQuery;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The task routes: enqueue, look, list, cancel, purge, retry and run now. */
final class TaskRoutes {
  private final Party party;
  private final BodyReader body;
  private final EnqueueBody enqueueBody;
  private final TaskAdmission admission;

  TaskRoutes(Party party, BodyReader body, EnqueueBody enqueueBody, TaskAdmission admission) {
    this.party = party;
    this.body = body;
    this.enqueueBody = enqueueBody;
    this.admission = admission;
  }

  /**
   * POST /tasks: all or nothing; 201 with the created tasks, and Location when there is one. A
   * request with a batch key that a waiting task covers is answered with that task, marked {@code
   * "covered": true}; when every request was covered, nothing was created and the status is 200.
   * Admitted by weight ({@link TaskAdmission}); with an {@value #IDEMPOTENCY_KEY}, stored once.
   */
  void enqueue(Context ctx) {
    byte[] bytes = body.read(ctx);
    List<TaskRequest> requests = enqueueBody.read(bytes);
    EnqueueOptions options = idempotency(ctx.header(IDEMPOTENCY_KEY), bytes);
    EnqueueResult result;
    try (TaskAdmission.Ticket ticket = admission.admit(requests.size())) {
      EnqueueOptions admitted = options.maxWait(ticket.remaining());
      result = EnqueueBody.naming("tasks", () -> party.enqueueAllDetailed(requests, admitted));
    }
    List<Enqueued> enqueued = result.enqueued();
    // The answer shows each task's time as the store kept it; this reading, taken after, tells
    // SCHEDULED from ENQUEUED as a GET would.
    Instant accepted = now();
    List<TaskView> covering = enqueued.stream()
        .map(e -> e.covered() ? party.task(e.id()).orElse(null) : null).toList();
    if (result.replayed()) ctx.header(REPLAYED, "true");
    ctx.status(enqueued.stream().allMatch(Enqueued::covered) ? 200 : 201);
    if (enqueued.size() == 1) ctx.header("Location", TaskJson.location(enqueued.getFirst().id()));
    json(ctx, TaskJson.created(enqueued, covering, requests, accepted));
  }

  /**
   * The key of a request that may be sent again: the first stores, a retry with the same body is
   * answered as the first was (with {@value #REPLAYED}: true), the key with another body is a conflict.
   */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** Marks the answer to a retry that stored nothing, as Stripe does. */
  static final String REPLAYED = "Idempotent-Replayed";

  /** The body's hash is the fingerprint: a retry sends the same bytes. */
  private static EnqueueOptions idempotency(String key, byte[] body) {
    if (key == null) return EnqueueOptions.defaults();
    try {
      return EnqueueOptions.defaults().idempotencyKey(key).fingerprint(EnqueueOptions.fingerprintOf(body));
    } catch (InvalidTaskException e) {
      throw new HttpRefusal(ErrorCode.INVALID_REQUEST, IDEMPOTENCY_KEY + ": " + e.getMessage());
    }
  }

  /** GET /tasks/{id}: the task with its log. */
  void get(Context ctx) {
    TaskId id = id(ctx);
    TaskView task = party.task(id).orElseThrow(() -> new TaskNotFoundException(id.value()));
    show(ctx, task);
  }

  /**
   * GET /tasks?state=&handler=&limit=&cursor=: newest first. With {@code instance=K} (and a
   * handler), the look-up by instance key: a page of the one task with that handler and key, or an
   * empty page, shaped like any listing.
   */
  void list(Context ctx) {
    String instance = ctx.queryParam("instance");
    if (instance != null) {
      lookUp(ctx, instance);
      return;
    }
    TaskQuery query = TaskQuery.all().state(state(ctx.queryParam("state"))).handler(ctx.queryParam("handler"))
        .limit(limit(ctx.queryParam("limit")));
    String cursor = ctx.queryParam("cursor");
    if (cursor != null && !cursor.isBlank()) query = query.before(cursorId(cursor));
    List<TaskView> tasks = party.tasks(query);
    String next = tasks.size() == query.limit() ? tasks.getLast().id().value() : null;
    json(ctx, TaskJson.page(tasks, next, now()));
  }

  private void lookUp(Context ctx, String instance) {
    String handler = ctx.queryParam("handler");
    if (handler == null || handler.isBlank()) {
      throw new HttpRefusal(ErrorCode.INVALID_REQUEST,
          "instance keys are unique per handler: give handler=NAME with instance=%s".formatted(instance));
    }
    if (ctx.queryParam("cursor") != null) {
      throw new HttpRefusal(ErrorCode.INVALID_REQUEST, "a look-up by instance key has one page; leave out cursor");
    }
    TaskState state = state(ctx.queryParam("state"));
    limit(ctx.queryParam("limit")); // checked like any listing's
    List<TaskView> tasks = party.task(handler, instance)
        .filter(task -> state == null || task.state() == state).stream().toList();
    json(ctx, TaskJson.page(tasks, null, now()));
  }

  /**
   * DELETE /tasks/{id}: cancels an unfinished task; 409 for a final one. With {@code purge=true},
   * deletes a final task and its log instead ({@code {"id": ..., "purged": true}}); 409 for an
   * unfinished one, or for a chain step or group member still to be read by the task after it.
   */
  void delete(Context ctx) {
    TaskId id = id(ctx);
    if (!purge(ctx.queryParam("purge"))) {
      show(ctx, party.cancel(id));
      return;
    }
    party.purge(id);
    json(ctx, TaskJson.write(64, json -> {
      json.writeStartObject();
      json.writeStringField("id", id.value());
      json.writeBooleanField("purged", true);
      json.writeEndObject();
    }));
  }

  private static boolean purge(String text) {
    if (text == null || text.equals("false")) return false;
    if (text.equals("true")) return true;
    throw new HttpRefusal(ErrorCode.INVALID_REQUEST, "purge '%s' must be true or false".formatted(text));
  }

  /** POST /tasks/{id}/retry: a FAILED task back to the queue; 409 for any other state. */
  void retry(Context ctx) {
    show(ctx, party.retry(id(ctx)));
  }

  /**
   * POST /tasks/retry?state=FAILED&handler=: every FAILED task (of the handler, if given) back to
   * the queue; {@code {"retried": n}}. Only FAILED tasks can be retried, so another state is refused.
   */
  void retryAll(Context ctx) {
    TaskState state = state(ctx.queryParam("state"));
    if (state != null && state != TaskState.FAILED) {
      throw new HttpRefusal(ErrorCode.INVALID_REQUEST, "only FAILED tasks can be retried, not " + state);
    }
    String handler = ctx.queryParam("handler");
    int retried = party.retryFailed(handler == null || handler.isBlank() ? null : handler.strip());
    json(ctx, TaskJson.write(32, json -> {
      json.writeStartObject();
      json.writeNumberField("retried", retried);
      json.writeEndObject();
    }));
  }

  /** POST /task/{id}: runs a waiting task now on this request's thread and answers when it is over. */
  void runNow(Context ctx) {
    show(ctx, party.runNow(id(ctx)));
  }

  private void show(Context ctx, TaskView task) {
    json(ctx, TaskJson.task(task, party.log(task.id()), now()));
  }

  private Instant now() {
    return party.clock().instant();
  }

  static void json(Context ctx, byte[] body) {
    ctx.contentType("application/json").result(body);
  }

  /** A path id that cannot be a task id names no task: 404, as for any unknown id. */
  private static TaskId id(Context ctx) {
    String text = ctx.pathParam("id");
    try {
      return TaskId.of(text);
    } catch (InvalidTaskException e) {
      throw new TaskNotFoundException(text);
    }
  }

  private static TaskId cursorId(String text) {
    try {
      return TaskId.of(text);
    } catch (InvalidTaskException e) {
      throw new HttpRefusal(ErrorCode.INVALID_REQUEST, "cursor '%s' is not a task id; pass the \"next\" of the previous page".formatted(text));
    }
  }

  private static TaskState state(String text) {
    if (text == null || text.isBlank()) return null;
    try {
      return TaskState.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new HttpRefusal(ErrorCode.INVALID_REQUEST,
          "state '%s' is not one of %s".formatted(text, List.of(TaskState.values())));
    }
  }

  private static int limit(String text) {
    if (text == null || text.isBlank()) return TaskQuery.DEFAULT_LIMIT;
    try {
      int limit = Integer.parseInt(text.strip());
      if (limit >= 1 && limit <= TaskQuery.MAX_LIMIT) return limit;
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new HttpRefusal(ErrorCode.INVALID_REQUEST,
        "limit '%s' must be a whole number from 1 to %d".formatted(text, TaskQuery.MAX_LIMIT));
  }
}
