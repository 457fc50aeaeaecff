package dev.party.task;

import java.util.List;

/**
 * A stored chain: {@code steps} run one after the other, each once the one before it FINISHED, and
 * see its result ({@link TaskContext#previousStep()}). A step that fails after its retries, or is
 * cancelled, cancels the steps after it.
 */
public record Chain(String id, List<TaskId> steps) {
  public Chain {
    steps = List.copyOf(steps);
  }
}
