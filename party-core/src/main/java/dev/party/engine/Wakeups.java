package dev.party.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Wakes the dispatcher early: a local enqueue, a freed worker slot, a returned lease. */
final class Wakeups {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signalled = lock.newCondition();
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
