package dev.party.server.api;

import dev.party.error.ErrorCode;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Admission of {@code POST /tasks} by weight: a budget of tasks being enqueued at once, so a
 * 1,000-task request weighs a thousand 1-task ones. A request waits for its share at most until
 * its deadline, then is refused 503 {@code busy} (with Retry-After) without being stored; the time
 * left after admission is what its write may wait for its turn in the store. Together they bound
 * the time from reading the body to the answer (see docs/http-api.md, "Overload").
 */
final class TaskAdmission {
  private final int budget;
  private final Duration timeout;
  /** Fair, so a large request is not passed over for ever by a stream of small ones. */
  private final Semaphore tasks;

  TaskAdmission(int budget, Duration timeout) {
    this.budget = budget;
    this.timeout = timeout;
    this.tasks = new Semaphore(budget, true);
  }

  /** Tasks admitted and not yet answered, for tests and metrics. */
  int inFlight() {
    return budget - tasks.availablePermits();
  }

  /** Takes room for {@code count} tasks within the timeout, or refuses busy. Close the ticket when answered. */
  Ticket admit(int count) {
    long start = System.nanoTime();
    int weight = Math.min(count, budget); // larger requests are refused by maxTasksPerPost, not here
    boolean admitted;
    try {
      admitted = tasks.tryAcquire(weight, timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      admitted = false;
    }
    if (!admitted) {
      throw new HttpRefusal(ErrorCode.BUSY, ("the server is enqueuing %d tasks already, its limit (maxTasksInFlight); "
          + "these %d waited %d ms and were not stored: try again after Retry-After").formatted(inFlight(), count, timeout.toMillis()));
    }
    return new Ticket(weight, start);
  }

  /** Room held by one admitted request. */
  final class Ticket implements AutoCloseable {
    private final int weight;
    private final long start;
    private boolean closed;

    private Ticket(int weight, long start) {
      this.weight = weight;
      this.start = start;
    }

    /** What is left of the timeout: how long the write may wait for its turn. */
    Duration remaining() {
      return timeout.minusNanos(System.nanoTime() - start);
    }

    @Override
    public void close() {
      if (closed) return;
      closed = true;
      tasks.release(weight);
    }
  }
}
