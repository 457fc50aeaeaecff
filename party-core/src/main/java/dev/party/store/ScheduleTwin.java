package dev.party.store;

import dev.party.task.TaskId;

/**
 * What already stores a schedule's task (its handler and data), so the schedule may not: a
 * schedule of another name, or an unfinished recurring class-style task. One of the two is set.
 */
public record ScheduleTwin(String schedule, TaskId task) {

  public static ScheduleTwin schedule(String name) {
    return new ScheduleTwin(name, null);
  }

  public static ScheduleTwin task(TaskId id) {
    return new ScheduleTwin(null, id);
  }

  /** "schedule 'x'" or "recurring class-style task 'id'", for messages. */
  public String describe() {
    return schedule != null ? "schedule '%s'".formatted(schedule)
        : "recurring class-style task '%s'".formatted(task.value());
  }

  /** What makes room for another schedule of this task: "unschedule 'x'" or "cancel task 'id'". */
  public String makeRoom() {
    return schedule != null ? "unschedule '%s'".formatted(schedule) : "cancel task '%s'".formatted(task.value());
  }
}
