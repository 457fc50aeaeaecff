package dev.party.error;

/** A task request that cannot be stored: bad JSON, a bad time, a field out of range. */
public final class InvalidTaskException extends PartyException {
  private final Integer index;

  public InvalidTaskException(ErrorCode code, String message) {
    this(code, message, null);
  }

  private InvalidTaskException(ErrorCode code, String message, Integer index) {
    super(code, message, null);
    this.index = index;
  }

  /**
   * Which request of a list (0-based) was refused, when a list was given and the refusal is about
   * one of them; null otherwise. The HTTP API names it as {@code tasks[i]}, {@code steps[i]}, ...
   */
  public Integer index() {
    return index;
  }

  /** This refusal, about the {@code index}th request of a list. */
  public InvalidTaskException at(int index) {
    return new InvalidTaskException(code(), getMessage(), index);
  }

  public static InvalidTaskException malformedJson(String detail) {
    return new InvalidTaskException(ErrorCode.MALFORMED_JSON, "malformed JSON: " + detail);
  }

  public static InvalidTaskException badTimestamp(String text, String expected) {
    return new InvalidTaskException(
        ErrorCode.BAD_TIMESTAMP, "cannot read '%s' as %s".formatted(text, expected));
  }

  /** Party keeps times to the microsecond; a finer time would be stored as another than given. */
  public static InvalidTaskException finerThanMicroseconds(String text) {
    return new InvalidTaskException(ErrorCode.BAD_TIMESTAMP,
        "'%s' is finer than a microsecond; Party keeps times to the microsecond".formatted(text));
  }

  public static InvalidTaskException invalid(String message) {
    return new InvalidTaskException(ErrorCode.INVALID_TASK, message);
  }
}
