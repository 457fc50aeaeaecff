package dev.party.store;

import dev.party.task.TaskId;
import java.time.Instant;

/**
 * Stores one task of a schedule now, outside its periods; the next period stays as it was.
 *
 * @param now a pinned clock, or null for the store's
 */
public record TriggerSchedule(String name, TaskId id, Instant now) {}
