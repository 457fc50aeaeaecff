package dev.party.task;

/**
 * Where a task is in its life. PENDING → RUNNING → FINISHED | FAILED | PENDING (retry); any
 * unfinished task may become CANCELLED. The last three are final: such a task never runs again.
 */
public enum TaskState {
  PENDING,
  RUNNING,
  FINISHED,
  FAILED,
  CANCELLED;

  public boolean isFinal() {
    return this == FINISHED || this == FAILED || this == CANCELLED;
  }
}
