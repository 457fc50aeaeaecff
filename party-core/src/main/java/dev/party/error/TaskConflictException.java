package dev.party.error;

/** The task exists but is in a state that does not allow the action (e.g. cancelling a finished task). */
public final class TaskConflictException extends PartyException {

  public TaskConflictException(String message) {
    super(ErrorCode.CONFLICT, message, null);
  }
}
