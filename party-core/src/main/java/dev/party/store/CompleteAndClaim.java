package dev.party.store;

/**
 * Writes finished runs and claims new tasks in one round trip: the engine's steady-state step.
 * Either part may be null. Stores that can should do both in one transaction (one commit, one
 * fsync); {@link TaskStore#completeAndClaim} falls back to two calls.
 */
public record CompleteAndClaim(Complete complete, Claim claim) {}
