package dev.party.store;

import dev.party.task.TaskId;

/**
 * Names one run of one task: the task id and the lease token its claim received. Every write about
 * a running task is conditioned on both, so a worker that lost its lease changes nothing.
 */
public record LeaseRef(TaskId id, long token) {}
