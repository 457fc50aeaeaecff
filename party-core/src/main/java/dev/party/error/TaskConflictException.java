package dev.party.error;

/** The task exists but is in a state that does not allow the action (e.g. cancelling a finished task). */
public final class TaskConflictException extends PartyException {

  public TaskConflictException(String message) {
    super(ErrorCode.CONFLICT, message, null);
  }

  /** An enqueue named a task that exists: its handler already has a task with this instance key. */
  public static TaskConflictException instanceKeyTaken(String handler, String instanceKey) {
    return new TaskConflictException(
        "handler '%s' already has a task with instance key '%s' (instance keys are unique per handler, whatever the task's state); look it up by handler and instance key instead"
            .formatted(handler, instanceKey));
  }
}
