package dev.party.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of a task's log: a state transition (from → to) or, when {@code from == to}, a line the
 * handler wrote through its context. {@code from} is null for the creation entry.
 */
public record TaskLogEntry(
    Instant at, TaskState from, TaskState to, String worker, String message) {

  /**
   * The full log: a creation entry made from {@code createdAt} (stores keep no row for it, which
   * halves the writes of an enqueue), then the stored rows.
   */
  public static List<TaskLogEntry> withCreation(TaskView task, List<TaskLogEntry> stored) {
    List<TaskLogEntry> log = new ArrayList<>(stored.size() + 1);
    log.add(new TaskLogEntry(task.createdAt(), null, TaskState.PENDING, null, "created"));
    log.addAll(stored);
    return log;
  }
}
