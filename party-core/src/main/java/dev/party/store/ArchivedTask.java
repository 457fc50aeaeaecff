package dev.party.store;

import dev.party.task.TaskId;
import dev.party.task.TaskState;
import java.time.Instant;

/**
 * A task on its way to the archive table: a few columns to find it by, and {@code json}, the same
 * JSON object (the task and its log) that a dump file line holds.
 */
public record ArchivedTask(TaskId id, String handler, TaskState state, Instant finishedAt, String json) {}
