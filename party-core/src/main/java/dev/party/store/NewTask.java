package dev.party.store;

import dev.party.task.SingletonPolicy;
import dev.party.task.TaskId;
import java.time.Duration;
import java.time.Instant;

/**
 * A task ready to insert: validated, with its id chosen and its defaults applied. When {@code
 * runAt} is null the store sets it to its own now plus {@code runIn} (zero when null).
 *
 * @param batchKey when not null, the store stores nothing if a PENDING, not yet started task of
 *     the same handler has this batch key, and answers with that task's id instead
 * @param singletonKey when not null, claims never start this task while another task with this
 *     key is RUNNING; {@code singletonPolicy} (never null then) says whether it then waits or is
 *     finished as skipped
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
    Instant lastRunOn,
    String batchKey,
    String singletonKey,
    SingletonPolicy singletonPolicy) {

  public NewTask {
    if ((singletonKey == null) != (singletonPolicy == null)) {
      throw new IllegalArgumentException("a singleton key needs a policy, and a policy a key");
    }
  }

  /** A task with neither batch nor singleton key. */
  public NewTask(TaskId id, String handler, String queue, String data, int priority, Instant runAt,
      Duration runIn, int maxAttempts, String uniqueKey, Instant lastRunOn) {
    this(id, handler, queue, data, priority, runAt, runIn, maxAttempts, uniqueKey, lastRunOn, null, null, null);
  }

  public NewTask withUniqueKey(String key) {
    return new NewTask(id, handler, queue, data, priority, runAt, runIn, maxAttempts, key, lastRunOn,
        batchKey, singletonKey, singletonPolicy);
  }

  public NewTask withBatchKey(String key) {
    return new NewTask(id, handler, queue, data, priority, runAt, runIn, maxAttempts, uniqueKey, lastRunOn,
        key, singletonKey, singletonPolicy);
  }

  public NewTask withSingleton(String key, SingletonPolicy policy) {
    return new NewTask(id, handler, queue, data, priority, runAt, runIn, maxAttempts, uniqueKey, lastRunOn,
        batchKey, key, policy);
  }
}
