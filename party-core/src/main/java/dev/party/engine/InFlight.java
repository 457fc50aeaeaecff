package dev.party.engine;

import dev.party.store.ClaimedTask;
import dev.party.store.LeaseRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The runs this engine holds leases for, with the lease length of each, for heartbeats. */
final class InFlight {
  private final Map<LeaseRef, Duration> runs = new ConcurrentHashMap<>();
  private final Set<LeaseRef> lost = ConcurrentHashMap.newKeySet();

  void add(ClaimedTask task, Duration lease) {
    runs.put(task.ref(), lease);
  }

  void remove(LeaseRef ref) {
    runs.remove(ref);
    lost.remove(ref);
  }

  /**
   * Stops extending this run's lease (it passed its timeout). Its outcome is still written if the
   * handler returns while the lease holds; if it never does, the lease expires and the task is taken back.
   */
  void stopHeartbeats(LeaseRef ref) {
    runs.remove(ref);
  }

  boolean contains(LeaseRef ref) {
    return runs.containsKey(ref);
  }

  /** The run no longer holds its lease (cancelled, or taken back): its handler should stop. */
  void markLost(LeaseRef ref) {
    if (runs.containsKey(ref)) lost.add(ref);
  }

  boolean isLost(LeaseRef ref) {
    return lost.contains(ref);
  }

  boolean isEmpty() {
    return runs.isEmpty();
  }

  int size() {
    return runs.size();
  }

  Map<Duration, List<LeaseRef>> byLease() {
    return runs.entrySet().stream()
        .collect(Collectors.groupingBy(Map.Entry::getValue,
            Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
  }
}
