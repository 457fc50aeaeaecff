package dev.party.store;

import java.time.Instant;

/**
 * A queue as the store sees it now: one that holds unfinished tasks, or was ever paused.
 *
 * @param pausedAt when it was paused; null while it is not
 * @param pending its PENDING tasks, due or not
 * @param running its RUNNING tasks
 */
public record QueueView(String name, boolean paused, Instant pausedAt, long pending, long running) {}
