package dev.party.store;

import dev.party.task.TaskId;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Fires every due schedule, each due row locked while its tasks are stored and its next period
 * written, so that of many nodes firing at once exactly one fires each period.
 *
 * @param now a pinned clock, or null for the store's
 * @param ids new task ids
 * @param catchUpLimit most tasks one schedule stores in one call when catching up
 */
public record FireSchedules(Instant now, Supplier<TaskId> ids, int catchUpLimit) {}
