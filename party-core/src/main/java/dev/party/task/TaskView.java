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
    String instanceKey) {

  /** This view with another progress: the type's progress function applied on read. */
  public TaskView withProgress(int value) {
    return new TaskView(id, handler, queue, data, state, priority, runAt, createdAt, attempts, maxAttempts,
        lastRunOn, value, result, error, uniqueKey, leaseOwner, leaseExpiresAt, finishedAt, instanceKey);
  }

  /**
   * The state as the seeds show it: a PENDING task is SCHEDULED while its time is in the future and
   * ENQUEUED once due; other states show as they are.
   */
  public String displayState(Instant now) {
    if (state != TaskState.PENDING) return state.name();
    return runAt.isAfter(now) ? "SCHEDULED" : "ENQUEUED";
  }
}
