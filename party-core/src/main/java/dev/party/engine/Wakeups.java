package dev.party.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the dispatcher early: a local enqueue, a freed worker slot, a returned lease, or a due time
 * it knows of (a retry it wrote, a delayed task stored here), so a 200 ms backoff is not rounded up
 * to the poll interval.
 */
final class Wakeups {
  /**
   * Due times kept at most; past this the latest are dropped and found by the poll instead (at
   * most one poll interval late), so a million delayed enqueues cannot grow the set.
   */
  static final int MAX_DUE_TIMES = 1_024;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signalled = lock.newCondition();
  private final TreeSet<Instant> dueTimes = new TreeSet<>();
  private boolean pending;

  void signal() {
    lock.lock();
    try {
      pending = true;
      signalled.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Something becomes due at {@code at}: a wait in {@link #await(Duration, InstantSource)} ends then. */
  void dueAt(Instant at) {
    lock.lock();
    try {
      dueTimes.add(at);
      if (dueTimes.size() > MAX_DUE_TIMES) dueTimes.pollLast();
      // A waiting thread recomputes its deadline; this is no signal to step at once.
      signalled.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until a signal or the timeout; a signal sent since the last wait returns at once. */
  void await(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (!pending && nanos > 0) nanos = signalled.awaitNanos(nanos);
      pending = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * As {@link #await(Duration)}, and also returns once the earliest due time passed on {@code
   * clock} (the times passed are then forgotten).
   */
  void await(Duration timeout, InstantSource clock) throws InterruptedException {
    lock.lock();
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!pending) {
        long nanos = deadline - System.nanoTime();
        if (!dueTimes.isEmpty()) {
          Instant now = clock.instant();
          if (!dueTimes.first().isAfter(now)) {
            // Every time that passed is served by the one step this wake-up leads to.
            while (!dueTimes.isEmpty() && !dueTimes.first().isAfter(now)) dueTimes.pollFirst();
            break;
          }
          nanos = Math.min(nanos, Duration.between(now, dueTimes.first()).toNanos());
        }
        if (nanos <= 0) break;
        signalled.awaitNanos(nanos);
      }
      pending = false;
    } finally {
      lock.unlock();
    }
  }

  boolean awaitUninterruptibly(Duration timeout) {
    try {
      await(timeout);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void pause(Duration duration) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(duration.toNanos());
  }
}
