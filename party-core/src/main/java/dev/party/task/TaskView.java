package dev.party.task;

import java.time.Instant;

/**
 * A stored task as callers see it. {@code data} and {@code result} are JSON text exactly as stored;
 * {@code runAt} is the seeds' {@code timestamp}.
 *
 * @param progress 0 to 100: what the handler reported, or, read through Party, the type's progress
 *     function (see {@link TaskType#progress})
 * @param instanceKey the task's name among its handler's tasks, or null (see {@link
 *     TaskRequest#instanceKey})
 */
public record TaskView(
    TaskId id,
    String handler,
    String queue,
    String data,
    TaskState state,
    int priority,
    Instant runAt,
    Instant createdAt,
    int attempts,
    int maxAttempts,
    Instant lastRunOn,
    int progress,
    String result,
    String error,
    String uniqueKey,
    String leaseOwner,
    Instant leaseExpiresAt,
    Instant finishedAt,
    String instanceKey,
    String batchKey,
    String singletonKey,
    String limitKey) {

  /** This view with another progress: the type's progress function applied on read. */
  public TaskView withProgress(int value) {
    return new TaskView(id, handler, queue, data, state, priority, runAt, createdAt, attempts, maxAttempts,
        lastRunOn, value, result, error, uniqueKey, leaseOwner, leaseExpiresAt, finishedAt, instanceKey,
        batchKey, singletonKey, limitKey);
  }

  /**
   * The time of a chain step or group callback that waits for what comes before it: the end of
   * time, so no claim reaches it until the store releases it (see {@link #waiting()}).
   */
  public static final Instant WAITING_UNTIL_RELEASED = Instant.parse("9999-12-31T00:00:00Z");

  /** A chain step or group callback waiting for the step or the members before it. */
  public boolean waiting() {
    return state == TaskState.PENDING && WAITING_UNTIL_RELEASED.equals(runAt);
  }

  /**
   * The state as the seeds show it: a PENDING task is SCHEDULED while its time is in the future and
   * ENQUEUED once due, WAITING while a chain step or callback waits for what comes before it;
   * other states show as they are.
   */
  public String displayState(Instant now) {
    if (state != TaskState.PENDING) return state.name();
    if (waiting()) return "WAITING";
    return runAt.isAfter(now) ? "SCHEDULED" : "ENQUEUED";
  }
}
