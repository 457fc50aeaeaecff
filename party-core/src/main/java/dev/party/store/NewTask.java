package dev.party.store;

import dev.party.task.TaskId;
import java.time.Duration;
import java.time.Instant;

/**
 * A task ready to insert: validated, with its id chosen and its defaults applied. When {@code
 * runAt} is null the store sets it to its own now plus {@code runIn} (zero when null).
 */
public record NewTask(
    TaskId id,
    String handler,
    String queue,
    String data,
    int priority,
    Instant runAt,
    Duration runIn,
    int maxAttempts,
    String uniqueKey,
    Instant lastRunOn) {
  public NewTask withUniqueKey(String key) {
    return new NewTask(id, handler, queue, data, priority, runAt, runIn, maxAttempts, key, lastRunOn);
  }
}
