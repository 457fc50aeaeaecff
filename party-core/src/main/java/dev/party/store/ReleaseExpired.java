package dev.party.store;

import java.time.Instant;

/**
 * Returns RUNNING tasks whose lease expired before now (their worker died or hung) to PENDING, the
 * attempt counted; a task that has used all its attempts becomes FAILED instead.
 */
public record ReleaseExpired(Instant now) {}
