package dev.party.engine;

import dev.party.PartyClock;
import dev.party.store.FireSchedules;
import dev.party.store.FiredSchedules;
import dev.party.store.TaskStore;
import dev.party.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due schedules: every node runs one, and the store's locks make each period fire once.
 * It sleeps until the earliest next period, or at most the poll interval, so that a schedule
 * added on another node is seen that soon.
 */
public final class ScheduleFirer {
  private static final Logger log = LoggerFactory.getLogger(ScheduleFirer.class);
  /** Most tasks one schedule stores in one call when it catches up; the rest follow at once. */
  static final int CATCH_UP_LIMIT = 1_000;

  private final TaskStore store;
  private final PartyClock clock;
  private final Supplier<TaskId> ids;
  private final Consumer<List<TaskId>> onStored;
  private final Wakeups wakeups = new Wakeups();
  private volatile boolean stopping;

  /** @param onStored hears of the tasks a firing stored (to count them, and to wake the workers) */
  public ScheduleFirer(TaskStore store, PartyClock clock, Supplier<TaskId> ids, Consumer<List<TaskId>> onStored) {
    this.store = store;
    this.clock = clock;
    this.ids = ids;
    this.onStored = onStored;
  }

  /** Fires what is due now, on the calling thread. */
  public FiredSchedules fireOnce() {
    FiredSchedules fired = store.fireSchedules(new FireSchedules(clock.pinned(), ids, CATCH_UP_LIMIT));
    if (!fired.stored().isEmpty()) onStored.accept(fired.stored());
    return fired;
  }

  /** Tasks a schedule stored outside a firing (a trigger): counted and run like fired ones. */
  public void announce(List<TaskId> stored) {
    onStored.accept(stored);
  }

  /** A schedule was added or changed here: look again now. */
  public void wake() {
    wakeups.signal();
  }

  void stop() {
    stopping = true;
    wakeups.signal();
  }

  /** The thread body; runs until {@link #stop()}. Store failures are logged and retried with backoff. */
  void loop(Duration pollInterval) {
    Duration backoff = Duration.ofMillis(100);
    while (!stopping) {
      Duration wait;
      try {
        FiredSchedules fired = fireOnce();
        backoff = Duration.ofMillis(100);
        wait = until(fired.nextDue(), pollInterval);
      } catch (Throwable e) { // the thread must outlive any one failure, or no schedule fires here again
        log.warn("firing schedules failed, trying again in {} ms: {}", backoff.toMillis(), e.toString());
        wait = backoff;
        backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
      }
      if (!wakeups.awaitUninterruptibly(wait)) return;
    }
  }

  private Duration until(Instant nextDue, Duration pollInterval) {
    if (nextDue == null) return pollInterval;
    Duration left = Duration.between(clock.instant(), nextDue);
    if (left.isNegative()) return Duration.ZERO;
    return left.compareTo(pollInterval) < 0 ? left : pollInterval;
  }
}
