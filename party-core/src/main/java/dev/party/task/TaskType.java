package dev.party.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.schedule.Backoff;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Per-handler settings. Anything left null falls back to the engine's setting, or means "none".
 *
 * @param maxAttempts runs before a failing task becomes FAILED. Default: 6 (the seeds' rule)
 * @param backoff delay before each retry. Default: {@link Backoff#DEFAULT}
 * @param lease how long a run is owned without a heartbeat; null takes the engine's lease
 * @param capacity at most this many unfinished (PENDING or RUNNING) tasks of this handler; an
 *     enqueue past it fails with {@code QueueFullException} and stores nothing. Null: no limit
 * @param singleton null for an ordinary handler. Otherwise at most one task per singleton key runs
 *     at a time (the key is the request's {@link TaskRequest#singletonKey}, by default the handler
 *     name), and a task due while another with its key is RUNNING is skipped or waits, per the
 *     policy. The policy is stored with each task when it is enqueued
 * @param timeout the longest a run may take: see {@link #timeout(Duration)}. Null: no limit
 * @param retention how long finished and failed tasks are kept: see {@link #retention(Duration)}.
 *     Null: the cleanup's default
 * @param progress a task's progress from its data: see {@link #progress(Function)}. Null: none
 * @param concurrency at most this many RUNNING tasks across all nodes: see {@link
 *     #concurrency(int)}. Null: no limit
 * @param rateLimit at most so many starts per window: see {@link #rateLimit(int, Duration)}. Null:
 *     no limit
 */
public record TaskType(
    String name,
    int maxAttempts,
    Backoff backoff,
    Duration lease,
    Integer capacity,
    SingletonPolicy singleton,
    Duration timeout,
    Duration retention,
    Function<JsonNode, Integer> progress,
    Integer concurrency,
    RateLimit rateLimit) {
  public static final int DEFAULT_MAX_ATTEMPTS = 6;

  public TaskType {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("a task type needs a name");
    if (maxAttempts < 1 || maxAttempts > TaskRequest.MAX_ATTEMPTS_LIMIT) {
      throw new IllegalArgumentException("maxAttempts must be between 1 and " + TaskRequest.MAX_ATTEMPTS_LIMIT);
    }
    if (backoff == null) backoff = Backoff.DEFAULT;
    if (capacity != null && capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
    }
    requirePositive(name, "timeout", timeout);
    requirePositive(name, "retention", retention);
    if (concurrency != null && concurrency < 1) {
      throw new IllegalArgumentException("the concurrency limit of task type '%s' must be at least 1, not %d"
          .formatted(name, concurrency));
    }
    if (singleton != null && (concurrency != null || rateLimit != null)) {
      throw new IllegalArgumentException(("task type '%s' is a singleton and cannot also have a concurrency or rate"
          + " limit; a singleton that waits is concurrency(1)").formatted(name));
    }
  }

  /** The fields up to {@code progress}, without limits. */
  public TaskType(String name, int maxAttempts, Backoff backoff, Duration lease, Integer capacity,
      SingletonPolicy singleton, Duration timeout, Duration retention, Function<JsonNode, Integer> progress) {
    this(name, maxAttempts, backoff, lease, capacity, singleton, timeout, retention, progress, null, null);
  }

  /** True when claims of this type's tasks are limited: see {@link #concurrency(int)} and {@link #rateLimit}. */
  public boolean limited() {
    return concurrency != null || rateLimit != null;
  }

  private static void requirePositive(String name, String setting, Duration value) {
    if (value != null && (value.isNegative() || value.isZero())) {
      throw new IllegalArgumentException("the %s of task type '%s' must be positive, not %s; leave it out for none"
          .formatted(setting, name, value));
    }
  }

  public TaskType(String name, int maxAttempts, Backoff backoff, Duration lease, Integer capacity,
      SingletonPolicy singleton) {
    this(name, maxAttempts, backoff, lease, capacity, singleton, null, null, null);
  }

  public TaskType(String name, int maxAttempts, Backoff backoff, Duration lease, Integer capacity) {
    this(name, maxAttempts, backoff, lease, capacity, null);
  }

  public static TaskType of(String name) {
    return new TaskType(name, DEFAULT_MAX_ATTEMPTS, Backoff.DEFAULT, null, null, null);
  }

  public TaskType maxAttempts(int value) {
    return new TaskType(name, value, backoff, lease, capacity, singleton, timeout, retention, progress, concurrency, rateLimit);
  }

  public TaskType backoff(Backoff value) {
    return new TaskType(name, maxAttempts, value, lease, capacity, singleton, timeout, retention, progress, concurrency, rateLimit);
  }

  public TaskType lease(Duration value) {
    return new TaskType(name, maxAttempts, backoff, value, capacity, singleton, timeout, retention, progress, concurrency, rateLimit);
  }

  public TaskType capacity(int value) {
    return new TaskType(name, maxAttempts, backoff, lease, value, singleton, timeout, retention, progress, concurrency, rateLimit);
  }

  /** Makes the handler a singleton: see the {@code singleton} parameter. */
  public TaskType singleton(SingletonPolicy policy) {
    return new TaskType(name, maxAttempts, backoff, lease, capacity, Objects.requireNonNull(policy, "policy"),
        timeout, retention, progress, concurrency, rateLimit);
  }

  /**
   * The longest one run may take, measured on the worker from the handler's start. At the deadline
   * the handler's thread is interrupted, {@link TaskContext#isCancelled()} turns true and the run
   * counts as a failed attempt ("timed out after ..."): retried with this type's backoff while
   * attempts remain, else FAILED. Whatever the handler returns afterwards is ignored. A handler
   * that ignores the interrupt keeps its worker busy until it returns, but its heartbeats stop at
   * the deadline, so if it never returns its lease expires and the task is taken back like any
   * hung run. Must be positive. Default: none (a run may take as long as it keeps its lease).
   */
  public TaskType timeout(Duration value) {
    return new TaskType(name, maxAttempts, backoff, lease, capacity, singleton,
        Objects.requireNonNull(value, "timeout"), retention, progress, concurrency, rateLimit);
  }

  /**
   * How long this type's FINISHED, FAILED and CANCELLED tasks are kept (the seeds' "stored
   * for min. 10 minutes before it gets removed"), counted from when they ended; then the
   * cleanup ({@code TaskCleanup}, see {@link dev.party.CleanupConfig}) dumps or archives and deletes
   * them. Must be positive. Default: none (the cleanup's retention, 7 days, applies).
   */
  public TaskType retention(Duration value) {
    return new TaskType(name, maxAttempts, backoff, lease, capacity, singleton, timeout,
        Objects.requireNonNull(value, "retention"), progress, concurrency, rateLimit);
  }

  /**
   * A task's progress (0 to 100) as a function of its data, for tasks whose data says how far the
   * work is (openATTIC's {@code percent=}; say {@code {"total": 10, "remaining": 3}}). Progress a
   * handler reports through {@link TaskContext#progress} comes first: the function is evaluated
   * only when a PENDING or RUNNING task of this type is read through Party ({@code task(id)}, task
   * listings, the instance look-up, and so {@code GET /tasks} and {@code party tasks}) on a node
   * that registered the type, and only while the stored progress is 0 (nothing reported yet). It
   * is not stored. Values are clamped to 0–100; a null answer or an exception leaves the stored
   * progress. It must have no side effects: it may be called many times, or never.
   */
  public TaskType progress(Function<JsonNode, Integer> value) {
    return new TaskType(name, maxAttempts, backoff, lease, capacity, singleton, timeout, retention,
        Objects.requireNonNull(value, "progress"), concurrency, rateLimit);
  }

  /**
   * At most {@code n} tasks of this type RUNNING at once across every node sharing the store (a
   * claimed task counts from its claim until its run ends). When tasks carry a {@link
   * TaskRequest#limitKey limit key}, the limit holds for each key on its own (one per customer:
   * {@code concurrency(1)} and the customer as key); tasks without a key share one limit. A task
   * held back stays PENDING with its attempts unchanged and does not hold up other tasks. Must be at
   * least 1; not with {@link #singleton}. Default: none.
   */
  public TaskType concurrency(int n) {
    return new TaskType(name, maxAttempts, backoff, lease, capacity, singleton, timeout, retention, progress, n,
        rateLimit);
  }

  /**
   * At most {@code starts} starts of this type's tasks per {@code window}, across every node; per
   * {@link TaskRequest#limitKey limit key} when tasks carry one, as for {@link #concurrency(int)}.
   * Windows are fixed: see {@link RateLimit}. A retry is a start; a task held back stays PENDING
   * with its attempts unchanged. Default: none.
   */
  public TaskType rateLimit(int starts, Duration window) {
    return new TaskType(name, maxAttempts, backoff, lease, capacity, singleton, timeout, retention, progress,
        concurrency, new RateLimit(starts, window));
  }
}
