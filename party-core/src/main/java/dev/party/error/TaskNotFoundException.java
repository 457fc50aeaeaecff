package dev.party.error;

public final class TaskNotFoundException extends PartyException {

  public TaskNotFoundException(String id) {
    super(ErrorCode.NOT_FOUND, "no task with id '%s'".formatted(id), null);
  }
}
