package dev.party.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Asks for the tasks that ended (FINISHED or FAILED) since {@code since}, counted per bucket of
 * {@code bucket} length. Only buckets that hold at least one task come back, oldest first.
 * Cleanup deletes old final tasks, so a window longer than their retention undercounts.
 *
 * @param since the start of the window, inclusive
 * @param bucket the bucket length: whole seconds, at least one
 */
public record ThroughputQuery(Instant since, Duration bucket) {
  public ThroughputQuery {
    Objects.requireNonNull(since, "since");
    if (bucket == null || bucket.toSeconds() < 1 || bucket.toMillisPart() != 0) {
      throw new IllegalArgumentException("bucket must be whole seconds, at least one, not " + bucket);
    }
  }

  public long bucketMillis() {
    return bucket.toMillis();
  }
}
