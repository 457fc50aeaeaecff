package dev.party.store;

import java.time.Duration;
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
 * @param maxWait how long the insert may wait for its turn to be written (behind other writes);
 *     past it the store throws {@link dev.party.error.StoreException#busy busy} and stores nothing.
 *     An insert whose write has begun is not cut short. Null: no bound
 */
public record InsertTasks(List<NewTask> tasks, Instant now, Map<String, Integer> capacities, Duration maxWait) {
  public InsertTasks {
    // Sorted by handler: stores that lock per capped handler take the locks in one order on
    // every node, so two inserts for the same two handlers cannot deadlock.
    capacities = Collections.unmodifiableSortedMap(new TreeMap<>(capacities));
  }

  public InsertTasks(List<NewTask> tasks, Instant now, Map<String, Integer> capacities) {
    this(tasks, now, capacities, null);
  }

  public InsertTasks(List<NewTask> tasks, Instant now) {
    this(tasks, now, Map.of());
  }

  public InsertTasks maxWait(Duration value) {
    return new InsertTasks(tasks, now, capacities, value);
  }

  /** How many of these tasks go to {@code handler}. */
  public long countFor(String handler) {
    return tasks.stream().filter(task -> task.handler().equals(handler)).count();
  }
}
