package dev.party.store;

import java.time.Instant;

/**
 * Returns every RUNNING task leased to {@code owner} to PENDING, the attempt counted. A worker
 * calls it as it starts: under its name only one process runs, so those leases belong to its own
 * previous, dead run and need not wait to expire.
 */
public record ReleaseOwner(String owner, Instant now) {}
