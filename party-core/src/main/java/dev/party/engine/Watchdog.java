package dev.party.engine;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Interrupts runs that outlive their task type's timeout, or their lease when this node could not
 * renew it. One timer thread per engine, made on the first timed run (the constructor starts none)
 * and stopped by {@link #close()}. Deadlines are measured on this node's monotonic clock: a timeout
 * is a duration inside one process.
 */
final class Watchdog implements AutoCloseable {
  /** What a run without a timeout gets: nothing to stop, never timed out. */
  private static final Watch NONE = new Watch(null, null);

  private final ScheduledThreadPoolExecutor timer;

  Watchdog(String workerId) {
    timer = new ScheduledThreadPoolExecutor(1,
        Thread.ofPlatform().name("party-timeouts-" + workerId).daemon(true).factory());
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Watches the calling thread's run: at {@code timeout} from now, {@code onTimeout} runs and the
   * thread is interrupted, unless {@link Watch#end()} came first. Null timeout: no watch.
   */
  Watch watch(Duration timeout, Runnable onTimeout) {
    if (timeout == null) return NONE;
    Watch watch = new Watch(Thread.currentThread(), onTimeout);
    try {
      watch.deadline = timer.schedule(watch::fire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      // The engine closed: runs still on the way out are not timed.
      return NONE;
    }
    return watch;
  }

  /**
   * Expires {@code hold} once its deadline passes without a renewal (see {@link InFlight.Hold}),
   * then calls {@code onExpired}; a renewal moves the check to the new deadline. One timer entry
   * per held run, checked once per lease length, not per heartbeat.
   */
  void guard(InFlight.Hold hold, Runnable onExpired) {
    if (hold.ended()) return;
    long left = hold.deadline() - System.nanoTime();
    if (left <= 0) {
      if (hold.expire()) onExpired.run();
      return;
    }
    try {
      timer.schedule(() -> guard(hold, onExpired), left, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      // The engine closed: its runs are on their way out.
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** One run's deadline. Firing and ending exclude each other, so a late interrupt never hits the thread's next run. */
  static final class Watch {
    private final Thread thread;
    private final Runnable onTimeout;
    private ScheduledFuture<?> deadline;
    private boolean ended;
    private volatile boolean timedOut;

    private Watch(Thread thread, Runnable onTimeout) {
      this.thread = thread;
      this.onTimeout = onTimeout;
    }

    private synchronized void fire() {
      if (ended) return;
      timedOut = true;
      try {
        onTimeout.run();
      } finally {
        thread.interrupt();
      }
    }

    /** True once the deadline passed: the run's outcome is the timeout, whatever the handler does. */
    boolean timedOut() {
      return timedOut;
    }

    /**
     * Ends the watch, on the watched thread, once the handler returned or threw. Returns whether
     * the run timed out; if it did, clears the interrupt the watchdog sent.
     */
    boolean end() {
      if (thread == null) return false;
      synchronized (this) {
        ended = true;
      }
      deadline.cancel(false);
      if (timedOut) Thread.interrupted();
      return timedOut;
    }
  }
}
