package dev.party.engine;

import dev.party.PartyClock;
import dev.party.event.PartyListener;
import dev.party.store.Heartbeat;
import dev.party.store.LeaseRef;
import dev.party.store.ReleaseExpired;
import dev.party.store.Released;
import dev.party.store.TaskStore;
import dev.party.store.WorkerRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each tick: heartbeats into the worker registry, extends the leases of this engine's runs (one batched write per lease length, from
 * this thread, never from handler code), then takes back tasks whose lease expired anywhere.
 */
final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

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
    List<LeaseRef> lost = new ArrayList<>();
    inFlight.byLease().forEach((lease, runs) ->
        lost.addAll(store.heartbeat(new Heartbeat(owner, runs, lease, clock.pinned()))));
    for (LeaseRef ref : lost) {
      // A run whose outcome was written while this heartbeat ran is no longer in flight: not lost.
      if (!inFlight.contains(ref)) continue;
      inFlight.markLost(ref);
      log.warn("task {} lost its lease while running here (cancelled or taken back); its outcome will be dropped",
          ref.id());
    }
    List<Released> released = store.releaseExpired(new ReleaseExpired(clock.pinned(), maxCrashes));
    if (!released.isEmpty()) {
      log.info("took back {} tasks whose lease expired: {}", released.size(), released);
      listener.released(released);
    }
    return new Tick(lost, released);
  }

  private static Exception asException(Throwable e) {
    return e instanceof Exception exception ? exception : new RuntimeException(e);
  }

  /** The thread body: a tick every {@code interval} until interrupted. */
  void loop(Duration interval, Runnable afterRelease, Runnable everyTick) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        everyTick.run();
        Tick tick = runOnce();
        if (!tick.released().isEmpty()) afterRelease.run();
      } catch (Throwable e) {
        // Never let this thread die: without heartbeats, leases expire under live runs.
        log.warn("heartbeat failed, next try in {} ms: {}", interval.toMillis(), e.toString());
        Listeners.safely(() -> listener.storeError("heartbeat", asException(e)));
      }
      try {
        Wakeups.pause(interval);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
