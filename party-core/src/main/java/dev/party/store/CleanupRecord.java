package dev.party.store;

import java.time.Instant;

/**
 * What the cleanups did, as every node reads it: the last run and the totals since the store was
 * created.
 *
 * @param lastRunAt when the last cleanup ended
 * @param lastCompleted FINISHED tasks the last run dumped or archived
 * @param lastFailed FAILED and CANCELLED tasks the last run dumped or archived
 * @param totalCompleted FINISHED tasks dumped or archived by every run
 * @param totalFailed FAILED and CANCELLED tasks dumped or archived by every run
 */
public record CleanupRecord(Instant lastRunAt, long lastCompleted, long lastFailed, long totalCompleted,
    long totalFailed) {}
