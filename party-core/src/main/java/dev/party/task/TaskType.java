package dev.party.task;

import dev.party.schedule.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * Per-handler settings. Anything left null falls back to the engine's setting.
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
 */
public record TaskType(
    String name, int maxAttempts, Backoff backoff, Duration lease, Integer capacity, SingletonPolicy singleton) {
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
  }

  public TaskType(String name, int maxAttempts, Backoff backoff, Duration lease, Integer capacity) {
    this(name, maxAttempts, backoff, lease, capacity, null);
  }

  public static TaskType of(String name) {
    return new TaskType(name, DEFAULT_MAX_ATTEMPTS, Backoff.DEFAULT, null, null, null);
  }

  public TaskType maxAttempts(int value) {
    return new TaskType(name, value, backoff, lease, capacity, singleton);
  }

  public TaskType backoff(Backoff value) {
    return new TaskType(name, maxAttempts, value, lease, capacity, singleton);
  }

  public TaskType lease(Duration value) {
    return new TaskType(name, maxAttempts, backoff, value, capacity, singleton);
  }

  public TaskType capacity(int value) {
    return new TaskType(name, maxAttempts, backoff, lease, value, singleton);
  }

  /** Makes the handler a singleton: see the {@code singleton} parameter. */
  public TaskType singleton(SingletonPolicy policy) {
    return new TaskType(name, maxAttempts, backoff, lease, capacity, Objects.requireNonNull(policy, "policy"));
  }
}
