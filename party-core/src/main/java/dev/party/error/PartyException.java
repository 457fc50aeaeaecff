package dev.party.error;

/** The root of every error Party reports on purpose; each carries a stable {@link ErrorCode}. */
public abstract sealed class PartyException extends RuntimeException
    permits InvalidTaskException,
        UnknownHandlerException,
        TaskNotFoundException,
        ScheduleNotFoundException,
        TaskConflictException,
        QueueFullException,
        ConfigException,
        WorkerNameInUseException,
        StoreException {

  private final ErrorCode code;

  PartyException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
