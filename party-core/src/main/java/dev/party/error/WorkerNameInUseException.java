package dev.party.error;

/** Another live process runs under this worker name; a worker never runs twice under one name. */
public final class WorkerNameInUseException extends PartyException {
  private final String workerId;

  public WorkerNameInUseException(String workerId) {
    super(ErrorCode.CONFLICT,
        "worker %s is already running; give this one another name (party worker --index N, or workerId(...))"
            .formatted(workerId), null);
    this.workerId = workerId;
  }

  public String workerId() {
    return workerId;
  }
}
