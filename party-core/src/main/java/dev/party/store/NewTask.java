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
 * @param instanceKey when not null, names this task among its handler's tasks for all time: the
 *     insert is refused with {@code TaskConflictException} when a task of the handler holds it,
 *     whatever that task's state
 * @param limitKey when not null, the key the limits of the task's handler apply to ({@link
 *     Claim#limits}); tasks of a limited handler without one share the handler's limits
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
    SingletonPolicy singletonPolicy,
    String instanceKey,
    String limitKey) {

  public NewTask {
    if ((singletonKey == null) != (singletonPolicy == null)) {
      throw new IllegalArgumentException("a singleton key needs a policy, and a policy a key");
    }
  }

  /** A task without limit key. */
  public NewTask(TaskId id, String handler, String queue, String data, int priority, Instant runAt,
      Duration runIn, int maxAttempts, String uniqueKey, Instant lastRunOn, String batchKey,
      String singletonKey, SingletonPolicy singletonPolicy, String instanceKey) {
    this(id, handler, queue, data, priority, runAt, runIn, maxAttempts, uniqueKey, lastRunOn, batchKey,
        singletonKey, singletonPolicy, instanceKey, null);
  }

  /** A task without instance or limit key. */
  public NewTask(TaskId id, String handler, String queue, String data, int priority, Instant runAt,
      Duration runIn, int maxAttempts, String uniqueKey, Instant lastRunOn, String batchKey,
      String singletonKey, SingletonPolicy singletonPolicy) {
    this(id, handler, queue, data, priority, runAt, runIn, maxAttempts, uniqueKey, lastRunOn, batchKey,
        singletonKey, singletonPolicy, null, null);
  }

  /** A task with neither batch, singleton nor instance key. */
  public NewTask(TaskId id, String handler, String queue, String data, int priority, Instant runAt,
      Duration runIn, int maxAttempts, String uniqueKey, Instant lastRunOn) {
    this(id, handler, queue, data, priority, runAt, runIn, maxAttempts, uniqueKey, lastRunOn, null, null, null, null, null);
  }

  public NewTask withUniqueKey(String key) {
    return new NewTask(id, handler, queue, data, priority, runAt, runIn, maxAttempts, key, lastRunOn,
        batchKey, singletonKey, singletonPolicy, instanceKey, limitKey);
  }

  public NewTask withBatchKey(String key) {
    return new NewTask(id, handler, queue, data, priority, runAt, runIn, maxAttempts, uniqueKey, lastRunOn,
        key, singletonKey, singletonPolicy, instanceKey, limitKey);
  }

  public NewTask withSingleton(String key, SingletonPolicy policy) {
    return new NewTask(id, handler, queue, data, priority, runAt, runIn, maxAttempts, uniqueKey, lastRunOn,
        batchKey, key, policy, instanceKey, limitKey);
  }

  public NewTask withInstanceKey(String key) {
    return new NewTask(id, handler, queue, data, priority, runAt, runIn, maxAttempts, uniqueKey, lastRunOn,
        batchKey, singletonKey, singletonPolicy, key, limitKey);
  }

  public NewTask withLimitKey(String key) {
    return new NewTask(id, handler, queue, data, priority, runAt, runIn, maxAttempts, uniqueKey, lastRunOn,
        batchKey, singletonKey, singletonPolicy, instanceKey, key);
  }
}
