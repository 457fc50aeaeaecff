package dev.party.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The end of one run, written only while the run still holds its lease. */
public sealed interface Completion {
  LeaseRef ref();

  /** FINISHED with a JSON result (or null); {@code next} tasks are inserted in the same transaction. */
  record Finish(LeaseRef ref, String result, List<NewTask> next) implements Completion {}

  /**
   * Back to PENDING, due at {@code runAt}, or at the store's now + {@code delay} when runAt is null.
   * The attempt stays counted.
   */
  record Retry(LeaseRef ref, Instant runAt, Duration delay, String error) implements Completion {}

  /** FAILED for good. */
  record Fail(LeaseRef ref, String error) implements Completion {}

  /** Back to PENDING without counting the attempt: the run was stopped by a shutdown. */
  record Release(LeaseRef ref, String reason) implements Completion {}
}
