package dev.party.store;

import java.time.Instant;

/**
 * Takes back RUNNING tasks whose lease expired before now (their worker died or hung), as {@link
 * CrashPolicy} says: back to PENDING, or FAILED when out of attempts or quarantined.
 *
 * @param maxCrashes crashes after which a task is quarantined (FAILED, not retried)
 */
public record ReleaseExpired(Instant now, int maxCrashes) {
  public ReleaseExpired(Instant now) {
    this(now, CrashPolicy.DEFAULT_MAX_CRASHES);
  }
}
