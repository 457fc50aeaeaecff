package dev.party.store;

import dev.party.task.TaskId;
import dev.party.task.TaskState;

/** A task taken back from a lost lease, and the state it went to (PENDING, or FAILED when out of attempts). */
public record Released(TaskId id, String previousOwner, TaskState state) {}
