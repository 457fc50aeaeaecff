package dev.party.task;

import dev.party.error.ErrorCode;
import dev.party.error.InvalidTaskException;
import dev.party.json.Json;
import dev.party.schedule.TimeText;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A task to be stored: a handler name, JSON object data and when it may run. Immutable; the
 * {@code with…} style methods return a changed copy.
 *
 * @param runAt when it may start; null means "now" on the store's clock (or {@code runIn} from now).
 *     Stores keep times to the microsecond, so a finer part (as {@code Instant.now()} may carry) is
 *     cut here: this record holds the time that will be stored. Text (HTTP, the CLI) finer than a
 *     microsecond is refused instead, see {@link TimeText#instant}
 * @param runIn a delay from the store's now; used only when {@code runAt} is null; cut to whole
 *     microseconds like {@code runAt}
 * @param maxAttempts null takes the handler's task type setting (default 6)
 * @param uniqueKey optional: at most one unfinished task per key
 * @param lastRunOn for a recurring task, when the previous run started
 * @param batchKey optional: see {@link #batchKey(String)}
 * @param singletonKey optional: see {@link #singletonKey(String)}
 * @param instanceKey optional: see {@link #instanceKey(String)}
 * @param limitKey optional: see {@link #limitKey(String)}
 */
public record TaskRequest(
    String handler,
    String data,
    Instant runAt,
    Duration runIn,
    int priority,
    String queue,
    Integer maxAttempts,
    String uniqueKey,
    Instant lastRunOn,
    String batchKey,
    String singletonKey,
    String instanceKey,
    String limitKey) {

  public static final String DEFAULT_QUEUE = "default";

  /** The most attempts a task may have (stores keep the count in 16 bits). */
  public static final int MAX_ATTEMPTS_LIMIT = 10_000;

  /** Longest handler and queue name. */
  public static final int MAX_NAME_LENGTH = 200;
  /** Longest delay: far enough for any schedule, short of every store's largest time. */
  public static final Duration MAX_DELAY = Duration.ofDays(365_250);
  /** Longest unique, batch, singleton, instance or limit key. */
  public static final int MAX_KEY_LENGTH = 1000;

  public TaskRequest {
    if (handler == null || handler.isBlank()) {
      throw InvalidTaskException.invalid("a task needs a handler name");
    }
    Objects.requireNonNull(data, "data");
    if (queue == null || queue.isBlank()) {
      throw InvalidTaskException.invalid("queue must not be blank");
    }
    checkText("handler", handler, MAX_NAME_LENGTH);
    checkText("queue", queue, MAX_NAME_LENGTH);
    if (uniqueKey != null) checkText("uniqueKey", uniqueKey, MAX_KEY_LENGTH);
    if (batchKey != null) checkKey("batchKey", batchKey);
    if (singletonKey != null) checkKey("singletonKey", singletonKey);
    if (instanceKey != null) checkKey("instanceKey", instanceKey);
    if (limitKey != null) checkKey("limitKey", limitKey);
    if (instanceKey != null && batchKey != null) {
      throw InvalidTaskException.invalid("give instanceKey or batchKey, not both: an instance key names one task,"
          + " a batch key lets one waiting task stand for many requests");
    }
    if (runAt != null && !runAt.isBefore(TaskView.WAITING_UNTIL_RELEASED)) {
      throw new InvalidTaskException(ErrorCode.BAD_TIMESTAMP,
          "a task's time must be before 9999-12-31, which marks chain steps waiting for the one before, not " + runAt);
    }
    if (runAt != null && runAt.isBefore(TimeText.EARLIEST)) {
      throw new InvalidTaskException(ErrorCode.BAD_TIMESTAMP, "a task's time must be in the year 1 or later, not " + runAt);
    }
    // Cut here, not refused: Instant.now() has nanoseconds on some systems, and this record then
    // holds exactly the time the store keeps and shows.
    if (runAt != null) runAt = runAt.truncatedTo(ChronoUnit.MICROS);
    if (runIn != null) runIn = runIn.truncatedTo(ChronoUnit.MICROS);
    if (runIn != null && runIn.isNegative()) {
      throw new InvalidTaskException(ErrorCode.BAD_TIMESTAMP, "a delay cannot be negative: " + runIn);
    }
    if (runIn != null && runIn.compareTo(MAX_DELAY) > 0) {
      throw new InvalidTaskException(ErrorCode.BAD_TIMESTAMP, "a delay of %s is too long; at most 1,000 years".formatted(runIn));
    }
    if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT)) {
      throw InvalidTaskException.invalid(
          "maxAttempts must be between 1 and %d, not %d".formatted(MAX_ATTEMPTS_LIMIT, maxAttempts));
    }
  }

  /** Names are printable text of bounded length: no NUL or other control characters. */
  private static void checkText(String field, String value, int maxLength) {
    if (value.length() > maxLength) {
      throw InvalidTaskException.invalid("%s is %d characters long; at most %d".formatted(field, value.length(), maxLength));
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw InvalidTaskException.invalid(field + " must not contain control characters");
    }
  }

  /** Keys that group tasks must say something: not empty or blank, besides {@link #checkText}'s rules. */
  private static void checkKey(String field, String value) {
    if (value.isBlank()) {
      throw InvalidTaskException.invalid(field + " must not be empty or blank; leave it out for no " + field);
    }
    checkText(field, value, MAX_KEY_LENGTH);
  }

  /** The fields up to {@code lastRunOn}, without batch or singleton key. */
  public TaskRequest(String handler, String data, Instant runAt, Duration runIn, int priority, String queue,
      Integer maxAttempts, String uniqueKey, Instant lastRunOn) {
    this(handler, data, runAt, runIn, priority, queue, maxAttempts, uniqueKey, lastRunOn, null, null, null, null);
  }

  /** The fields up to {@code instanceKey}, without limit key. */
  public TaskRequest(String handler, String data, Instant runAt, Duration runIn, int priority, String queue,
      Integer maxAttempts, String uniqueKey, Instant lastRunOn, String batchKey, String singletonKey,
      String instanceKey) {
    this(handler, data, runAt, runIn, priority, queue, maxAttempts, uniqueKey, lastRunOn, batchKey, singletonKey,
        instanceKey, null);
  }

  /** A task with empty data, due now. */
  public static TaskRequest of(String handler) {
    return new TaskRequest(handler, "{}", null, null, 0, DEFAULT_QUEUE, null, null, null, null, null, null, null);
  }

  /** A task whose data is {@code data} written as JSON (a record, a map, a JsonNode...). */
  public static TaskRequest of(String handler, Object data) {
    String json = data instanceof CharSequence text ? Json.objectText(text.toString()) : Json.write(data);
    if (!json.startsWith("{")) {
      throw InvalidTaskException.invalid("task data must be a JSON object, not " + json);
    }
    return of(handler).withDataJson(json);
  }

  /** Replaces the data with JSON text, which must be one object. */
  public TaskRequest withDataJson(String json) {
    return new TaskRequest(
        handler, Json.objectText(json), runAt, runIn, priority, queue, maxAttempts, uniqueKey, lastRunOn, batchKey, singletonKey, instanceKey, limitKey);
  }

  public TaskRequest runAt(Instant when) {
    return new TaskRequest(handler, data, when, null, priority, queue, maxAttempts, uniqueKey, lastRunOn, batchKey, singletonKey, instanceKey, limitKey);
  }

  public TaskRequest runIn(Duration delay) {
    return new TaskRequest(handler, data, null, delay, priority, queue, maxAttempts, uniqueKey, lastRunOn, batchKey, singletonKey, instanceKey, limitKey);
  }

  /** Runs after a delay written as text: {@code "1 day"}, {@code "90 minutes"}, {@code "2 hours 30 minutes"}, {@code PT1H30M}. */
  public TaskRequest runIn(String delay) {
    return runIn(TimeText.duration(delay));
  }

  public TaskRequest priority(int value) {
    return new TaskRequest(handler, data, runAt, runIn, value, queue, maxAttempts, uniqueKey, lastRunOn, batchKey, singletonKey, instanceKey, limitKey);
  }

  public TaskRequest queue(String name) {
    return new TaskRequest(handler, data, runAt, runIn, priority, name, maxAttempts, uniqueKey, lastRunOn, batchKey, singletonKey, instanceKey, limitKey);
  }

  public TaskRequest maxAttempts(int value) {
    return new TaskRequest(handler, data, runAt, runIn, priority, queue, value, uniqueKey, lastRunOn, batchKey, singletonKey, instanceKey, limitKey);
  }

  public TaskRequest uniqueKey(String key) {
    return new TaskRequest(handler, data, runAt, runIn, priority, queue, maxAttempts, key, lastRunOn, batchKey, singletonKey, instanceKey, limitKey);
  }

  public TaskRequest lastRunOn(Instant when) {
    return new TaskRequest(handler, data, runAt, runIn, priority, queue, maxAttempts, uniqueKey, when, batchKey, singletonKey, instanceKey, limitKey);
  }

  /**
   * Batches this request (lamegame's {@code batchTask}): when a task of the same handler with this
   * batch key is already waiting (PENDING and not yet started), nothing is stored and the enqueue
   * returns the waiting task's id, which is presumed to cover this request's work; its data, time
   * and priority stay as they are. Once a task has started, it covers nothing (its run may have
   * begun before this work arrived), so a new task is stored. Safe under concurrent enqueues on
   * any number of nodes: one key never has two waiting tasks.
   */
  public TaskRequest batchKey(String key) {
    return new TaskRequest(handler, data, runAt, runIn, priority, queue, maxAttempts, uniqueKey, lastRunOn, key, singletonKey, instanceKey, limitKey);
  }

  /**
   * The singleton key of a task whose handler type is a singleton ({@link TaskType#singleton}); by
   * default the handler name. At most one task per key is RUNNING; use a key such as {@code
   * "reindex:" + database} for one run at a time per database. Refused for a handler that is not a
   * singleton.
   */
  public TaskRequest singletonKey(String key) {
    return new TaskRequest(handler, data, runAt, runIn, priority, queue, maxAttempts, uniqueKey, lastRunOn, batchKey, key, instanceKey, limitKey);
  }

  /**
   * Names this task among its handler's tasks (the seeds' task instance id, EOxServer's "Task001"):
   * one handler never has two tasks with one instance key, in any state and for as long as the task
   * is stored, so a second enqueue is refused with {@code TaskConflictException} ({@code 409
   * conflict} over HTTP). Callers then find the task with {@code task(handler, instanceKey)}
   * instead of keeping its id. The same key under another handler names another task. Printable
   * text, not blank, at most {@value #MAX_KEY_LENGTH} characters; not with a batch key.
   */
  public TaskRequest instanceKey(String key) {
    return new TaskRequest(handler, data, runAt, runIn, priority, queue, maxAttempts, uniqueKey, lastRunOn, batchKey,
        singletonKey, key, limitKey);
  }

  /**
   * The key a limited handler's limits apply to ({@link TaskType#concurrency}, {@link
   * TaskType#rateLimit}): with a key, the type's limits hold for each key on its own, so
   * {@code concurrency(1)} with a customer id as key runs one task per customer at a time. Keys
   * belong to the handler: the same key under another handler is another key. Tasks without a key
   * share the type's limits. Refused for a handler without limits. Printable text, not blank, at
   * most {@value #MAX_KEY_LENGTH} characters.
   */
  public TaskRequest limitKey(String key) {
    return new TaskRequest(handler, data, runAt, runIn, priority, queue, maxAttempts, uniqueKey, lastRunOn, batchKey,
        singletonKey, instanceKey, key);
  }
}
