package dev.party.task;

import java.util.List;

/**
 * A stored group: the {@code members} run in parallel, on any nodes; the {@code callback} runs
 * once, after every member is final, and sees them all ({@link TaskContext#groupMembers()}).
 */
public record Group(String id, List<TaskId> members, TaskId callback) {
  public Group {
    members = List.copyOf(members);
  }
}
