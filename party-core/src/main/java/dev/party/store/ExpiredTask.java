package dev.party.store;

import dev.party.task.TaskLogEntry;
import dev.party.task.TaskView;
import java.util.List;

/** A final task past its retention, with its log (oldest first), as the cleanup dumps it. */
public record ExpiredTask(TaskView task, List<TaskLogEntry> log) {
  public ExpiredTask {
    log = List.copyOf(log);
  }
}
