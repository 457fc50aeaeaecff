package dev.party.store;

import java.time.Instant;

/**
 * Takes back every RUNNING task leased to {@code owner}, as {@link CrashPolicy} says. A worker
 * calls it as it starts: under its name only one process runs, so those leases belong to its own
 * previous, dead run and need not wait to expire.
 *
 * @param maxCrashes crashes after which a task is quarantined (FAILED, not retried)
 */
public record ReleaseOwner(String owner, Instant now, int maxCrashes) {
  public ReleaseOwner(String owner, Instant now) {
    this(owner, now, CrashPolicy.DEFAULT_MAX_CRASHES);
  }
}
