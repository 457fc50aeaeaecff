package dev.party.task;

/**
 * What a singleton task does when it is due while another task with its singleton key is RUNNING
 * (lamegame's {@code SingletonTask}). Set on the handler's type with {@link TaskType#singleton}; the
 * key is the request's {@link TaskRequest#singletonKey} or, when it gives none, the handler name.
 */
public enum SingletonPolicy {
  /**
   * Finish at once as FINISHED, without running and without counting an attempt; the result is
   * {@code {"skipped": true, "singletonKey": key}} and the log says why.
   */
  SKIP,
  /** Stay PENDING, attempts untouched, until no task with the key is RUNNING; then run as usual. */
  WAIT
}
