package dev.party.engine;

import dev.party.PartyClock;
import dev.party.PartyConfig;
import dev.party.error.PartyException;
import dev.party.error.StoreException;
import dev.party.event.PartyListener;
import dev.party.store.Claim;
import dev.party.store.ClaimedTask;
import dev.party.store.CompleteAndClaim;
import dev.party.store.CompletedAndClaimed;
import dev.party.store.Completion;
import dev.party.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's one writer of runs: each step writes the outcomes the workers finished and claims
 * due tasks for the idle worker slots, in one store call, then hands the claimed tasks to the
 * workers, which start them at once. Slots belong to lanes (one per queue with its own worker
 * count, or one for all): each lane claims for itself, never more than its idle slots, so a task
 * is RUNNING only while a handler runs it (no task waits here while another node idles) and no
 * queue takes another's slots; outcomes the store could not take are kept for a later step.
 */
final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  static final int MAX_COMPLETIONS_PER_STEP = 512;
  private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(10);

  /** What one step did. */
  record Step(int completed, int claimed, boolean mayHaveMore) {}

  private final TaskStore store;
  private final PartyConfig config;
  private final HandlerRegistry registry;
  private final PartyClock clock;
  private final PartyListener listener;
  private final CompletionWriter writer;
  private final InFlight inFlight;
  private final Lanes lanes;
  /** Guards {@link #exited} against a run-now adopted while a draining loop decides to end. */
  private final Object exit = new Object();
  private boolean exited;
  private final Wakeups wakeups;
  private final RandomGenerator random;
  private final ConcurrentLinkedQueue<RunResult> results = new ConcurrentLinkedQueue<>();
  private final List<RunResult> unwritten = new ArrayList<>();
  private volatile boolean stopping;
  private volatile boolean claiming = true;
  /** A lease ran out here before a heartbeat could renew it: no claims until one succeeds again. */
  private volatile boolean lapsed;
  /** Suspects running here (tasks taken back from a dead worker): while one runs, nothing else is claimed. */
  private final AtomicInteger suspects = new AtomicInteger();
  /** Notified whenever a slot frees, for run-nows waiting in {@link #reserve}. */
  private final Object slotFreed = new Object();

  Dispatcher(TaskStore store, PartyConfig config, HandlerRegistry registry, PartyClock clock,
      PartyListener listener, CompletionWriter writer, InFlight inFlight, Wakeups wakeups,
      RandomGenerator random) {
    this.store = store;
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    this.listener = listener;
    this.writer = writer;
    this.inFlight = inFlight;
    this.wakeups = wakeups;
    this.random = random;
    this.lanes = Lanes.of(config);
  }

  /** This node's lanes: the slots claims are made for. */
  Lanes lanes() {
    return lanes;
  }

  /**
   * Waits until {@code lane} has an idle slot and takes it for a run-now, ahead of the next claim
   * (claims leave slots that run-nows wait for), so the task is claimed, RUNNING, only once a
   * worker can start it. False once the loop has ended (a draining one found nothing more: nobody
   * would write its outcome); the caller then runs the task itself.
   *
   * @throws InterruptedException when the caller is interrupted while it waits
   */
  boolean reserve(Lane lane) throws InterruptedException {
    lane.wanted.incrementAndGet();
    try {
      while (true) {
        synchronized (exit) {
          if (exited) return false;
          int current = lane.outstanding.get();
          if (current < lane.slots && lane.outstanding.compareAndSet(current, current + 1)) return true;
        }
        synchronized (slotFreed) {
          slotFreed.wait(100); // timed: a slot freed between the look and the wait is seen soon
        }
      }
    } finally {
      lane.wanted.decrementAndGet();
    }
  }

  /** Gives back a slot {@link #reserve} took, when the run-now found nothing to run. */
  void unreserve(Lane lane) {
    release(lane, 1);
  }

  /**
   * A task a run-now claimed into a slot it {@link #reserve reserved}: it goes to the workers. False
   * once the loop has ended; the caller then gives the slot back and runs the task itself.
   */
  boolean adopt(ClaimedTask task) {
    synchronized (exit) {
      if (exited) return false;
      if (task.suspect()) suspects.incrementAndGet();
      return true;
    }
  }

  /** Ends a draining loop unless a task came in meanwhile; one adopted later is refused. */
  private boolean exitIfIdle() {
    synchronized (exit) {
      exited = idle();
      return exited;
    }
  }

  /** Called by a worker when its run ended: queues the outcome and frees the slot. */
  void finished(RunResult result) {
    Lane lane = lanes.forQueue(result.claimed().task().queue());
    results.add(result);
    if (result.claimed().suspect()) suspects.decrementAndGet();
    release(lane, 1);
    wakeups.signal();
  }

  private void release(Lane lane, int slots) {
    if (slots == 0) return;
    lane.outstanding.addAndGet(-slots);
    synchronized (slotFreed) {
      slotFreed.notifyAll();
    }
  }

  /**
   * Takes {@code lane}'s idle slots for a claim, at once, so a run-now reserving a slot meanwhile
   * never pushes the lane past its slots; slots run-nows wait for are left to them. The claim gives
   * back what it did not fill.
   */
  private static int reserveFree(Lane lane) {
    while (true) {
      int current = lane.outstanding.get();
      int free = lane.slots - current - lane.wanted.get();
      if (free <= 0) return 0;
      if (lane.outstanding.compareAndSet(current, current + free)) return free;
    }
  }


  /** Receives each claimed task with System.nanoTime() from before its claim was sent. */
  @FunctionalInterface
  interface Work {
    void start(ClaimedTask task, long claimSentAt);
  }

  /** A lane's claim for its free slots. */
  private record LaneClaim(Lane lane, Claim claim) {}

  /**
   * Nothing while a suspect runs: if its worker dies, the crash is blamed on it alone. A node that
   * runs nothing claims as idle, so it may take a suspect (see {@link Claim#idle}).
   */
  private List<LaneClaim> claims() {
    Set<String> handlers = registry.names();
    if (handlers.isEmpty() || suspects.get() > 0) return List.of();
    boolean idle = lanes.all().stream().allMatch(lane -> lane.outstanding.get() == 0);
    List<LaneClaim> claims = new ArrayList<>();
    // Only idle slots: claiming ahead (as db-scheduler does) saved store round trips with short
    // runs, but left tasks RUNNING, their attempt counted, in a node's memory while another node
    // idled; River and Oban claim for idle slots only, and so does Party.
    for (Lane lane : lanes.all()) {
      int free = reserveFree(lane);
      if (free > 0) {
        claims.add(new LaneClaim(lane, new Claim(config.workerId(), handlers, lane.queues, free, config.lease(), clock.pinned(),
            registry.limits(), idle)));
      }
    }
    return claims;
  }

  /**
   * One step: write finished outcomes, claim for each lane's free slots, pass each claimed task to
   * {@code work}. The outcomes go with the first lane's claim in one store call; further lanes
   * (queues with their own worker counts) claim in one call each.
   */
  Step runOnce(Work work, boolean claim) {
    for (RunResult result; unwritten.size() < MAX_COMPLETIONS_PER_STEP && (result = results.poll()) != null; ) {
      unwritten.add(result);
    }
    List<LaneClaim> claims = claim ? claims() : List.of();
    if (unwritten.isEmpty() && claims.isEmpty()) return new Step(0, 0, false);
    // Each lane's claim holds its slots until it knows how many it filled; none stays held.
    int[] unfilled = claims.stream().mapToInt(laneClaim -> laneClaim.claim().limit()).toArray();
    try {
      return completeAndClaim(work, claims, unfilled);
    } finally {
      for (int i = 0; i < claims.size(); i++) release(claims.get(i).lane(), unfilled[i]);
    }
  }

  private Step completeAndClaim(Work work, List<LaneClaim> claims, int[] unfilled) {

    Claim first = claims.isEmpty() ? null : claims.getFirst().claim();
    long sentAt = System.nanoTime();
    CompletedAndClaimed done = store.completeAndClaim(
        new CompleteAndClaim(unwritten.isEmpty() ? null : writer.request(unwritten), first));
    int completed = unwritten.size();
    if (done.completed() != null) writer.report(List.copyOf(unwritten), done.completed());
    noteDueTimes(unwritten);
    unwritten.clear();
    int claimed = 0;
    // A full claim may have left more due tasks; new outcomes may carry continuations or retries.
    boolean mayHaveMore = !results.isEmpty();
    for (int i = 0; i < claims.size(); i++) {
      LaneClaim laneClaim = claims.get(i);
      if (i > 0) sentAt = System.nanoTime();
      if (i > 0 && suspects.get() > 0) break; // a suspect just claimed runs alone
      // still idle only while no lane before it claimed anything
      Claim lane = laneClaim.claim().idle(laneClaim.claim().idle() && claimed == 0);
      List<ClaimedTask> tasks = i == 0 ? done.claimed() : store.claim(lane);
      unfilled[i] -= tasks.size();
      hand(tasks, work, sentAt);
      claimed += tasks.size();
      mayHaveMore |= tasks.size() == lane.limit();
    }
    return new Step(completed, claimed, mayHaveMore);
  }

  /** Retries and continuations written here become due later: wake up for them, not the next poll. */
  private void noteDueTimes(List<RunResult> written) {
    Instant now = clock.instant();
    for (RunResult run : written) {
      switch (run.completion()) {
        case Completion.Retry retry -> wakeups.dueAt(retry.runAt() != null ? retry.runAt() : now.plus(retry.delay()));
        case Completion.Finish finish -> finish.next().forEach(next -> wakeups.dueAt(
            next.runAt() != null ? next.runAt() : now.plus(next.runIn() != null ? next.runIn() : Duration.ZERO)));
        default -> { }
      }
    }
  }

  private void hand(List<ClaimedTask> tasks, Work work, long sentAt) {
    if (tasks.isEmpty()) return;
    Listeners.safely(() -> listener.claimed(config.workerId(), tasks.size()));
    for (ClaimedTask task : tasks) {
      if (task.suspect()) suspects.incrementAndGet();
      work.start(task, sentAt);
    }
  }

  boolean idle() {
    return lanes.all().stream().allMatch(lane -> lane.outstanding.get() == 0) && results.isEmpty() && unwritten.isEmpty();
  }

  /** Stops claiming; outcomes keep being written until {@link #stop()}. */
  void stopClaiming() {
    claiming = false;
    wakeups.signal();
  }

  /** Stops claiming until {@link #renewed()}: this node's leases ran out before it could renew them. */
  void lapsed() {
    if (lapsed) return;
    lapsed = true;
    log.warn("a lease ran out before a heartbeat could renew it; this worker claims no tasks until a heartbeat succeeds");
  }

  /** A heartbeat reached the store: claims resume if a lapsed lease stopped them. */
  void renewed() {
    if (!lapsed) return;
    lapsed = false;
    log.info("heartbeats reach the store again; this worker claims tasks again");
    wakeups.signal();
  }

  void stop() {
    stopping = true;
    wakeups.signal();
  }

  /**
   * The thread body. Runs until {@link #stop()}, or, with {@code drain}, until nothing is due,
   * running or unwritten.
   */
  void loop(Work work, boolean drain) {
    try {
      loopUntilDone(work, drain);
    } finally {
      synchronized (exit) {
        exited = true;
      }
    }
  }

  private void loopUntilDone(Work work, boolean drain) {
    Duration backoff = Duration.ofMillis(100);
    while (!stopping) {
      try {
        Step step = runOnce(work, claiming && !lapsed);
        backoff = Duration.ofMillis(100);
        if (drain && step.claimed() == 0 && step.completed() == 0 && exitIfIdle()) return;
        if (!step.mayHaveMore()) wakeups.await(config.pollInterval(), clock);
      } catch (InterruptedException e) {
        return;
      } catch (Throwable e) {
        if (refusedOutcome(e)) {
          // Not the store being down but one outcome it refuses (say, a continuation whose unique
          // key is taken): write the held outcomes one by one so that one cannot block the rest.
          writeOneByOne();
          continue;
        }
        // Never let this thread die: outcomes would go unwritten while heartbeats keep their leases.
        log.warn("store call failed ({} outcomes kept for the next try), retrying in {} ms: {}",
            unwritten.size(), backoff.toMillis(), e.toString());
        Listeners.safely(() -> listener.storeError("complete and claim", asException(e)));
        // Jittered, so that the workers of many nodes do not all return at the same instant.
        Duration wait = backoff.dividedBy(2).plusMillis(random.nextLong(backoff.toMillis() / 2 + 1));
        if (!wakeups.awaitUninterruptibly(wait)) return;
        backoff = backoff.multipliedBy(2).compareTo(MAX_ERROR_BACKOFF) > 0 ? MAX_ERROR_BACKOFF : backoff.multipliedBy(2);
      }
    }
  }

  /** Writes each held outcome alone; one the store refuses becomes FAILED with the reason. */
  private void writeOneByOne() {
    List<RunResult> held = List.copyOf(unwritten);
    unwritten.clear();
    for (RunResult run : held) {
      try {
        writer.write(List.of(run));
      } catch (RuntimeException e) {
        if (!refusedOutcome(e)) {
          unwritten.add(run);
          continue;
        }
        log.warn("task {}: its outcome was refused ({}); marking it FAILED", run.claimed().task().id(), e.getMessage());
        RunResult failed = new RunResult(run.claimed(), new Completion.Fail(
            run.completion().ref(), "its outcome could not be stored: " + e.getMessage()));
        try {
          writer.write(List.of(failed));
        } catch (RuntimeException again) {
          unwritten.add(failed);
        }
      }
    }
  }

  /** A Party error other than the store being unavailable: retrying the same write cannot help. */
  private static boolean refusedOutcome(Throwable e) {
    return e instanceof PartyException && !(e instanceof StoreException);
  }

  private static Exception asException(Throwable e) {
    return e instanceof Exception exception ? exception : new RuntimeException(e);
  }

  /**
   * After the workers stopped: writes every outcome still held, retrying store failures until
   * {@code deadline} (System.nanoTime). Outcomes left unwritten then are dropped: their leases
   * expire and the tasks run again.
   */
  void flush(long deadline) {
    Duration backoff = Duration.ofMillis(100);
    while (!results.isEmpty() || !unwritten.isEmpty()) {
      try {
        runOnce((task, sentAt) -> { throw new IllegalStateException("no claims while flushing"); }, false);
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          log.error("{} outcomes could not be written before shutdown; their tasks will run again",
              unwritten.size() + results.size());
          return;
        }
        log.warn("writing outcomes at shutdown failed, retrying: {}", e.toString());
        if (!wakeups.awaitUninterruptibly(backoff)) return;
      }
    }
  }
}
