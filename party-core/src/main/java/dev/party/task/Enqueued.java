package dev.party.task;

/**
 * What an enqueue did with one request.
 *
 * @param id the task that now stands for the request: the one just stored, or, when {@code
 *     covered}, the waiting task with the same batch key
 * @param covered true when nothing new was stored because a PENDING task with the request's batch
 *     key (and handler) was already waiting; see {@link TaskRequest#batchKey}
 */
public record Enqueued(TaskId id, boolean covered) {
  public static Enqueued stored(TaskId id) {
    return new Enqueued(id, false);
  }

  public static Enqueued coveredBy(TaskId id) {
    return new Enqueued(id, true);
  }
}
