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
 * @param batchKey the batch key while the task waits (null once it started: a started task covers
 *     no more requests), or null
 * @param singletonKey the singleton key (see {@link TaskRequest#singletonKey}), or null
 * @param limitKey the key its handler's limits apply to (see {@link TaskRequest#limitKey}), or null
 * @param continues the task this one continues (whose handler returned {@link Outcome#then}), or null
 * @param continuedBy the task that continued this one, or null; it may be gone once cleanup removed it
 * @param lastStep the newest step of the continuation this task is part of (this task itself when
 *     it is the newest), or null when it is in none (or cleanup removed every step after the
 *     first). Filled when one task is read ({@link
 *     TaskClient#task}); listings and the engine's own reads leave it null
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
    String limitKey,
    TaskId continues,
    TaskId continuedBy,
    LastStep lastStep) {

  /**
   * The newest step of a continuation (A continued by B, B by C...), found by the first step's id
   * even after cleanup removed steps in between. The work is over once it is final: had it handed
   * over too, its continuation would be the newer last step.
   */
  public record LastStep(TaskId id, TaskState state, Instant runAt) {
    /** As {@link TaskView#displayState}. */
    public String displayState(Instant now) {
      return TaskView.displayState(state, runAt, now);
    }
  }

  /** This view with another progress: the type's progress function applied on read. */
  public TaskView withProgress(int value) {
    return new TaskView(id, handler, queue, data, state, priority, runAt, createdAt, attempts, maxAttempts,
        lastRunOn, value, result, error, uniqueKey, leaseOwner, leaseExpiresAt, finishedAt, instanceKey,
        batchKey, singletonKey, limitKey, continues, continuedBy, lastStep);
  }

  /** This view with the last step of its continuation, read apart from its row. */
  public TaskView withLastStep(LastStep step) {
    return new TaskView(id, handler, queue, data, state, priority, runAt, createdAt, attempts, maxAttempts,
        lastRunOn, progress, result, error, uniqueKey, leaseOwner, leaseExpiresAt, finishedAt, instanceKey,
        batchKey, singletonKey, limitKey, continues, continuedBy, step);
  }

  /** Whether this task is a step of a continuation: it continues one or was continued. */
  public boolean inContinuation() {
    return continues != null || continuedBy != null;
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
    return displayState(state, runAt, now);
  }

  private static String displayState(TaskState state, Instant runAt, Instant now) {
    if (state != TaskState.PENDING) return state.name();
    if (WAITING_UNTIL_RELEASED.equals(runAt)) return "WAITING";
    return runAt.isAfter(now) ? "SCHEDULED" : "ENQUEUED";
  }
}
