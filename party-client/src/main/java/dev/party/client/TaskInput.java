package dev.party.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * One task to enqueue, in the seeds' wire format: the handler's name ({@code party}), JSON object
 * data and, optionally, when it may run. Unset fields take the server's defaults.
 *
 * @param data anything Jackson writes as a JSON object (a map, a record, a JsonNode)
 * @param timestamp when it may run: an ISO-8601 text (UTC when it has no offset) or epoch
 *     milliseconds; null means now
 * @param in a delay instead of a timestamp, as text: "90 minutes", "1 day", PT1H30M
 * @param batchKey when a task of the same handler with this key is waiting, nothing is stored and
 *     the answer is that task, marked covered
 * @param singletonKey for a handler whose type is a singleton: at most one task with this key runs
 *     at a time (the handler name when left out); refused for any other handler
 * @param instanceKey names the task among its handler's tasks; a second task with it is a conflict
 * @param limitKey for a handler with a concurrency or rate limit: the key the limits hold for
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskInput(
    String party,
    Object data,
    Object timestamp,
    String in,
    Integer priority,
    String queue,
    Integer maxAttempts,
    String uniqueKey,
    String batchKey,
    String singletonKey,
    String instanceKey,
    String limitKey) {

  public static TaskInput of(String party) {
    return of(party, Map.of());
  }

  public static TaskInput of(String party, Object data) {
    return new TaskInput(party, data, null, null, null, null, null, null, null, null, null, null);
  }

  /** Runs at {@code when}, cut to the microsecond as the server keeps it ({@code Instant.now()} may carry nanoseconds). */
  public TaskInput at(Instant when) {
    return new TaskInput(party, data, when.truncatedTo(ChronoUnit.MICROS).toString(), null, priority, queue, maxAttempts, uniqueKey, batchKey, singletonKey, instanceKey, limitKey);
  }

  /** The timestamp exactly as given: ISO-8601 text or epoch milliseconds, for callers that already hold one. */
  public TaskInput timestamp(Object value) {
    return new TaskInput(party, data, value, null, priority, queue, maxAttempts, uniqueKey, batchKey, singletonKey, instanceKey, limitKey);
  }

  /** Runs after a delay written as text, counted from when the server stores it. */
  public TaskInput in(String delay) {
    return new TaskInput(party, data, null, delay, priority, queue, maxAttempts, uniqueKey, batchKey, singletonKey, instanceKey, limitKey);
  }

  public TaskInput priority(int value) {
    return new TaskInput(party, data, timestamp, in, value, queue, maxAttempts, uniqueKey, batchKey, singletonKey, instanceKey, limitKey);
  }

  public TaskInput queue(String name) {
    return new TaskInput(party, data, timestamp, in, priority, name, maxAttempts, uniqueKey, batchKey, singletonKey, instanceKey, limitKey);
  }

  public TaskInput maxAttempts(int value) {
    return new TaskInput(party, data, timestamp, in, priority, queue, value, uniqueKey, batchKey, singletonKey, instanceKey, limitKey);
  }

  public TaskInput uniqueKey(String key) {
    return new TaskInput(party, data, timestamp, in, priority, queue, maxAttempts, key, batchKey, singletonKey, instanceKey, limitKey);
  }

  public TaskInput batchKey(String key) {
    return new TaskInput(party, data, timestamp, in, priority, queue, maxAttempts, uniqueKey, key, singletonKey, instanceKey, limitKey);
  }

  public TaskInput singletonKey(String key) {
    return new TaskInput(party, data, timestamp, in, priority, queue, maxAttempts, uniqueKey, batchKey, key, instanceKey, limitKey);
  }

  public TaskInput instanceKey(String key) {
    return new TaskInput(party, data, timestamp, in, priority, queue, maxAttempts, uniqueKey, batchKey, singletonKey, key, limitKey);
  }

  public TaskInput limitKey(String key) {
    return new TaskInput(party, data, timestamp, in, priority, queue, maxAttempts, uniqueKey, batchKey, singletonKey, instanceKey, key);
  }
}
