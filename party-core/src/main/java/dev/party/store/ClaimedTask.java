package dev.party.store;

import dev.party.task.TaskView;

/** A task as claimed, with the lease token that fences this run's writes. */
public record ClaimedTask(TaskView task, long token) {
  public LeaseRef ref() {
    return new LeaseRef(task.id(), token);
  }
}
