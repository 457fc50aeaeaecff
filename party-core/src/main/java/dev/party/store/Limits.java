package dev.party.store;

import dev.party.task.RateLimit;
import dev.party.task.TaskType;

/**
 * The start limits of one handler, as claims enforce them: at most {@code concurrency} of its tasks
 * RUNNING, at most {@code rate} starts per window, both per limit key ({@link NewTask#limitKey};
 * tasks without one share a key). Stores hold these exactly across nodes; a task held back stays
 * PENDING with its attempts unchanged.
 *
 * @param concurrency null for no concurrency limit; otherwise at least 1
 * @param rate null for no rate limit
 */
public record Limits(Integer concurrency, RateLimit rate) {
  public Limits {
    if (concurrency == null && rate == null) throw new IllegalArgumentException("limits need a concurrency or a rate");
    if (concurrency != null && concurrency < 1) {
      throw new IllegalArgumentException("a concurrency limit must be at least 1, not " + concurrency);
    }
  }

  /** The type's limits, or null when it has none. */
  public static Limits of(TaskType type) {
    return type.limited() ? new Limits(type.concurrency(), type.rateLimit()) : null;
  }

  /** The concurrency limit, or {@link Integer#MAX_VALUE} for none: SQL compares with it. */
  public int concurrencyOrMax() {
    return concurrency == null ? Integer.MAX_VALUE : concurrency;
  }
}
