package dev.party.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Stores a chain's steps in one transaction: the first as asked, the others waiting, each
 * released when the one before it finishes, and cancelled when it fails or is cancelled.
 *
 * @param capacities as in {@link InsertTasks}
 */
public record InsertChain(String chainId, List<NewTask> steps, Instant now, Map<String, Integer> capacities) {
  public InsertChain {
    steps = List.copyOf(steps);
    capacities = Map.copyOf(capacities);
  }
}
