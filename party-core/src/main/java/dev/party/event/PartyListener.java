package dev.party.event;

import dev.party.store.ClaimedTask;
import dev.party.store.Completion;
import dev.party.store.LeaseRef;
import dev.party.store.Released;
import dev.party.task.TaskId;
import java.time.Duration;
import java.util.List;

/**
 * Facts the engine reports as they happen: the seam for metrics, logging and tests. Called on
 * engine threads; implementations must be quick and must not throw.
 */
public interface PartyListener {
  default void enqueued(List<TaskId> ids) {}

  default void claimed(String owner, int count) {}

  /** A handler is about to run. */
  default void started(ClaimedTask task) {}

  /** A handler returned (or threw) after running this long; its outcome is written next. */
  default void ran(ClaimedTask task, Duration runTime) {}

  /** A run's outcome was written. */
  default void completed(ClaimedTask task, Completion completion) {}

  /** A run's write was refused: it had lost its lease (cancelled, or expired and taken back). */
  default void fenced(LeaseRef ref) {}

  /** Tasks taken back from expired leases or from this worker's previous run. */
  default void released(List<Released> released) {}

  /** The store failed; the engine will try again. */
  default void storeError(String operation, Exception error) {}

  PartyListener NONE = new PartyListener() {};
}
