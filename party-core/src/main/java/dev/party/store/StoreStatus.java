package dev.party.store;

import dev.party.task.TaskState;
import java.util.List;
import java.util.Map;

/**
 * Counts for the status map.
 *
 * @param states tasks per state
 * @param pending per handler: PENDING count and the id of the next one to run
 * @param failed per handler: FAILED count
 * @param finished per handler: FINISHED tasks still in the store (the seeds' "undumped")
 */
public record StoreStatus(
    Map<TaskState, Long> states, List<HandlerCount> pending, List<HandlerCount> failed,
    List<HandlerCount> finished) {

  /** {@code upcoming} is the id of the next task to run, for pending counts; null otherwise. */
  public record HandlerCount(String handler, long count, String upcoming) {}
}
