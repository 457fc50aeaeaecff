package dev.party.error;

/**
 * A handler already holds as many unfinished tasks as its task type's capacity allows; nothing was
 * stored. Over HTTP this is 429 with {@code Retry-After}.
 */
public final class QueueFullException extends PartyException {
  private final String handler;
  private final int capacity;

  public QueueFullException(String handler, int capacity) {
    super(ErrorCode.QUEUE_FULL,
        "handler '%s' already holds %d unfinished tasks, its capacity; retry later or raise its capacity"
            .formatted(handler, capacity),
        null);
    this.handler = handler;
    this.capacity = capacity;
  }

  public String handler() {
    return handler;
  }

  public int capacity() {
    return capacity;
  }
}
