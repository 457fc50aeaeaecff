package dev.party.cleanup;

import java.time.Instant;

/**
 * What one cleanup run did.
 *
 * @param completed FINISHED tasks dumped (or archived)
 * @param failed FAILED and CANCELLED tasks dumped (or archived)
 * @param deleted tasks deleted from the task table; equals {@code completed + failed} unless a task
 *     was retried between its dump and its delete (its line stays in the dump; the task runs again)
 * @param endedAt when the run ended
 */
public record CleanupResult(long completed, long failed, long deleted, Instant endedAt) {}
