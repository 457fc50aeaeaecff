package dev.party.task;

import java.time.Instant;

/**
 * What an enqueue did with one request.
 *
 * @param id the task that now stands for the request: the one just stored, or, when {@code
 *     covered}, the waiting task with the same batch key
 * @param covered true when nothing new was stored because a PENDING task with the request's batch
 *     key (and handler) was already waiting; see {@link TaskRequest#batchKey}
 * @param runAt the task's run time exactly as the store keeps it (its clock's now, or now plus the
 *     delay, for a request without a time), so an answer can show what a later read will; null
 *     when the store did not say (a covering task: read it)
 */
public record Enqueued(TaskId id, boolean covered, Instant runAt) {
  public Enqueued(TaskId id, boolean covered) {
    this(id, covered, null);
  }

  public static Enqueued stored(TaskId id, Instant runAt) {
    return new Enqueued(id, false, runAt);
  }

  public static Enqueued coveredBy(TaskId id) {
    return new Enqueued(id, true, null);
  }

  /** This answer without its time: what the enqueue did, for comparing with an expected outcome. */
  public Enqueued withoutTime() {
    return new Enqueued(id, covered, null);
  }
}
