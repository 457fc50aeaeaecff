package dev.party.store;

import dev.party.task.TaskId;
import java.time.Instant;

/**
 * Puts a FAILED task back to PENDING, due now, with its attempts reset to zero so it gets a full set
 * of tries (say, after the bug that failed it was fixed). Its last error is kept. Nothing happens to
 * a task in any other state.
 *
 * @param capacity the capacity of the task's handler, checked as for an insert; null for none
 * @throws dev.party.error.QueueFullException when the handler is at its capacity
 * @throws dev.party.error.TaskConflictException when another unfinished task holds its unique key
 */
public record Requeue(TaskId id, String reason, Instant now, Integer capacity) {}
