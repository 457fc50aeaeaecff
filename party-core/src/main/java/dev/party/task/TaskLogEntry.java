package dev.party.task;

import java.time.Instant;

/**
 * One row of a task's log: a state transition (from → to) or, when {@code from == to}, a line the
 * handler wrote through its context. {@code from} is null for the row written at creation.
 */
public record TaskLogEntry(
    Instant at, TaskState from, TaskState to, String worker, String message) {}
