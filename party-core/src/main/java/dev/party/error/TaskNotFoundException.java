package dev.party.error;

public final class TaskNotFoundException extends PartyException {

  public TaskNotFoundException(String id) {
    this("no task with id '%s'".formatted(id), null);
  }

  private TaskNotFoundException(String message, Throwable cause) {
    super(ErrorCode.NOT_FOUND, message, cause);
  }

  /** No task of {@code handler} has this instance key. */
  public static TaskNotFoundException byInstance(String handler, String instanceKey) {
    return new TaskNotFoundException(
        "no task of handler '%s' with instance key '%s'".formatted(handler, instanceKey), null);
  }
}
