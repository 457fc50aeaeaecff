package dev.party.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Inserts all tasks or none, in one transaction. {@code now}: a pinned clock, or null for the store's.
 *
 * @param capacities for handlers of these tasks whose type sets a capacity: the most unfinished
 *     tasks that handler may hold. The store checks it in the insert's transaction and throws
 *     {@code QueueFullException}, storing nothing, when the insert would go past it.
 */
public record InsertTasks(List<NewTask> tasks, Instant now, Map<String, Integer> capacities) {
  public InsertTasks {
    capacities = Map.copyOf(capacities);
  }

  public InsertTasks(List<NewTask> tasks, Instant now) {
    this(tasks, now, Map.of());
  }

  /** How many of these tasks go to {@code handler}. */
  public long countFor(String handler) {
    return tasks.stream().filter(task -> task.handler().equals(handler)).count();
  }
}
