package dev.party.store;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Inserts all tasks or none, in one transaction. {@code now}: a pinned clock, or null for the store's.
 *
 * @param capacities for handlers of these tasks whose type sets a capacity: the most unfinished
 *     tasks that handler may hold. The store checks it in the insert's transaction and throws
 *     {@code QueueFullException}, storing nothing, when the insert would go past it.
 */
public record InsertTasks(List<NewTask> tasks, Instant now, Map<String, Integer> capacities) {
  public InsertTasks {
    // Sorted by handler: stores that lock per capped handler take the locks in one order on
    // every node, so two inserts for the same two handlers cannot deadlock.
    capacities = Collections.unmodifiableSortedMap(new TreeMap<>(capacities));
  }

  public InsertTasks(List<NewTask> tasks, Instant now) {
    this(tasks, now, Map.of());
  }

  /** How many of these tasks go to {@code handler}. */
  public long countFor(String handler) {
    return tasks.stream().filter(task -> task.handler().equals(handler)).count();
  }
}
