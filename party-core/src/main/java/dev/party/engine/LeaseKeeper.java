package dev.party.engine;

import dev.party.PartyClock;
import dev.party.event.PartyListener;
import dev.party.store.Heartbeat;
import dev.party.store.LeaseRef;
import dev.party.store.NextLeaseExpiry;
import dev.party.store.ReleaseExpired;
import dev.party.store.Released;
import dev.party.store.TaskStore;
import dev.party.store.WorkerRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each tick: heartbeats into the worker registry, extends the leases of this engine's runs (one batched write per lease length, from
 * this thread, never from handler code), then takes back tasks whose lease expired anywhere. Between ticks it sweeps again at
 * the earliest lease expiry the store knows of, so a dead worker's task runs again within its lease, not lease + heartbeat.
 */
final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
  /**
   * The least time between sweeps: a lease the store reports expired but could not take back (a
   * worker was writing its outcome) must not make this thread spin.
   */
  static final Duration MIN_SWEEP_GAP = Duration.ofMillis(50);
  /** Past the expiry: the store takes back leases that ended strictly before now. */
  private static final Duration SWEEP_MARGIN = Duration.ofMillis(1);

  /** What one tick did. */
  record Tick(List<LeaseRef> lost, List<Released> released) {}

  private final TaskStore store;
  private final String owner;
  private final InFlight inFlight;
  private final PartyClock clock;
  private final PartyListener listener;
  private final int maxCrashes;

  LeaseKeeper(TaskStore store, String owner, InFlight inFlight, PartyClock clock, PartyListener listener,
      int maxCrashes) {
    this.maxCrashes = maxCrashes;
    this.store = store;
    this.owner = owner;
    this.inFlight = inFlight;
    this.clock = clock;
    this.listener = listener;
  }

  Tick runOnce() {
    // The registry's heartbeat: one short write per tick, whatever runs here.
    store.workerHeartbeat(new WorkerRef(owner, clock.pinned()));
    return new Tick(extendLeases(), sweep());
  }

  /** Extends the leases of this engine's runs; marks those the store says are gone as lost. */
  List<LeaseRef> extendLeases() {
    List<LeaseRef> lost = new ArrayList<>();
    inFlight.byLease().forEach((lease, runs) -> {
      long sentAt = System.nanoTime();
      List<LeaseRef> lostHere = store.heartbeat(new Heartbeat(owner, runs, lease, clock.pinned()));
      Set<LeaseRef> gone = Set.copyOf(lostHere);
      inFlight.renewed(runs.stream().filter(ref -> !gone.contains(ref)).toList(), sentAt);
      lost.addAll(lostHere);
    });
    for (LeaseRef ref : lost) {
      // A run whose outcome was written while this heartbeat ran is no longer in flight: not lost.
      if (!inFlight.contains(ref)) continue;
      inFlight.markLost(ref);
      log.warn("task {} lost its lease while running here (cancelled or taken back); its outcome will be dropped",
          ref.id());
    }
    return lost;
  }

  /** Takes back tasks whose lease expired, on any node. */
  List<Released> sweep() {
    List<Released> released = store.releaseExpired(new ReleaseExpired(clock.pinned(), maxCrashes));
    if (!released.isEmpty()) {
      log.info("took back {} tasks whose lease expired: {}", released.size(), released);
      listener.released(released);
    }
    return released;
  }

  /** How long until the next sweep is due, at most {@code cap}. */
  private long nanosToNextSweep(long cap) {
    Optional<Duration> next = store.nextLeaseExpiry(new NextLeaseExpiry(clock.pinned()));
    if (next.isEmpty()) return cap;
    Duration wait = next.get().plus(SWEEP_MARGIN);
    return Math.min(cap, Math.max(MIN_SWEEP_GAP.toNanos(), wait.toNanos()));
  }

  private static Exception asException(Throwable e) {
    return e instanceof Exception exception ? exception : new RuntimeException(e);
  }

  /**
   * The thread body until interrupted: a tick every {@code interval}, and a sweep alone at each
   * lease expiry between ticks. After a tick that reached the store, {@code renewed} runs.
   */
  void loop(Duration interval, Runnable afterRelease, Runnable everyTick, Runnable renewed) {
    long nextTick = System.nanoTime();
    while (!Thread.currentThread().isInterrupted()) {
      long wait;
      try {
        if (System.nanoTime() - nextTick >= 0) {
          nextTick = System.nanoTime() + interval.toNanos();
          everyTick.run();
          Tick tick = runOnce();
          renewed.run();
          if (!tick.released().isEmpty()) afterRelease.run();
        } else if (!sweep().isEmpty()) {
          afterRelease.run();
        }
        wait = nanosToNextSweep(nextTick - System.nanoTime());
      } catch (Throwable e) {
        // Never let this thread die: without heartbeats, leases expire under live runs.
        wait = nextTick - System.nanoTime();
        log.warn("heartbeat failed, next try in {} ms: {}", Math.max(0, wait) / 1_000_000, e.toString());
        Listeners.safely(() -> listener.storeError("heartbeat", asException(e)));
      }
      try {
        if (wait > 0) Wakeups.pause(Duration.ofNanos(wait));
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
