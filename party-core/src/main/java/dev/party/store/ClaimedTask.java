package dev.party.store;

import dev.party.task.TaskView;
import java.util.Comparator;

/**
 * A task as claimed, with the lease token that fences this run's writes, and how many times it was
 * taken back from a worker that died under it since it last finished ({@link CrashPolicy}).
 */
public record ClaimedTask(TaskView task, long token, int crashes) {

  public ClaimedTask(TaskView task, long token) {
    this(task, token, 0);
  }

  /** Taken back from a dead worker: it runs alone, so a crash of its worker is blamed on it only. */
  public boolean suspect() {
    return crashes > 0;
  }

  /** The pick-up order: priority desc, then runAt, attempts, createdAt, and id to break ties. */
  public static final Comparator<ClaimedTask> PICKUP_ORDER = Comparator
      .comparing((ClaimedTask c) -> -c.task().priority())
      .thenComparing(c -> c.task().runAt())
      .thenComparing(c -> c.task().attempts())
      .thenComparing(c -> c.task().createdAt())
      .thenComparing(c -> c.task().id());

  public LeaseRef ref() {
    return new LeaseRef(task.id(), token);
  }
}
