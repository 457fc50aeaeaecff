package dev.party.engine;

import dev.party.PartyClock;
import dev.party.PartyConfig;
import dev.party.event.PartyListener;
import dev.party.store.Claim;
import dev.party.store.ClaimedTask;
import dev.party.store.TaskStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due tasks for the free worker slots and hands them to the workers. Claims are bounded by
 * the free slots, so memory does not grow with the backlog.
 */
final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(10);

  private final TaskStore store;
  private final PartyConfig config;
  private final HandlerRegistry registry;
  private final PartyClock clock;
  private final PartyListener listener;
  private final Semaphore slots;
  private final Wakeups wakeups;
  private volatile boolean stopping;

  Dispatcher(TaskStore store, PartyConfig config, HandlerRegistry registry, PartyClock clock,
      PartyListener listener, Wakeups wakeups) {
    this.store = store;
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    this.listener = listener;
    this.slots = new Semaphore(config.workers());
    this.wakeups = wakeups;
  }

  /** Claims up to the free slots and passes each task to {@code work} with its slot taken. */
  int runOnce(Consumer<ClaimedTask> work) {
    int free = slots.availablePermits();
    if (free == 0) return 0;
    Set<String> handlers = registry.names();
    if (handlers.isEmpty()) return 0;
    List<ClaimedTask> claimed = store.claim(
        new Claim(config.workerId(), handlers, config.queues(), free, config.lease(), clock.pinned()));
    if (claimed.isEmpty()) return 0;
    listener.claimed(config.workerId(), claimed.size());
    for (ClaimedTask task : claimed) {
      slots.acquireUninterruptibly();
      work.accept(task);
    }
    return claimed.size();
  }

  /** Gives a slot back when a run ends. */
  void release() {
    slots.release();
    wakeups.signal();
  }

  boolean idle() {
    return slots.availablePermits() == config.workers();
  }

  void stop() {
    stopping = true;
    wakeups.signal();
  }

  /**
   * The thread body. Runs until {@link #stop()}, or, with {@code drainedWhen}, until nothing is due
   * and {@code drainedWhen} says nothing is still running or being written.
   */
  void loop(Consumer<ClaimedTask> work, BooleanSupplier drainedWhen) {
    Duration backoff = Duration.ofMillis(100);
    while (!stopping) {
      try {
        int requested = slots.availablePermits();
        int claimed = runOnce(work);
        backoff = Duration.ofMillis(100);
        if (drainedWhen != null && claimed == 0 && drainedWhen.getAsBoolean()) return;
        // A full claim means more may be waiting: go straight back for it.
        if (claimed == 0 || claimed < requested) wakeups.await(config.pollInterval());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        listener.storeError("claim", e);
        log.warn("claiming failed, next try in {} ms: {}", backoff.toMillis(), e.toString());
        if (!wakeups.awaitUninterruptibly(backoff)) return;
        backoff = backoff.multipliedBy(2).compareTo(MAX_ERROR_BACKOFF) > 0 ? MAX_ERROR_BACKOFF : backoff.multipliedBy(2);
      }
    }
  }
}
