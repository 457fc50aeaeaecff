package dev.party.engine;

import dev.party.PartyClock;
import dev.party.PartyConfig;
import dev.party.error.WorkerNameInUseException;
import dev.party.event.PartyListener;
import dev.party.store.Claim;
import dev.party.store.ClaimOne;
import dev.party.store.ClaimedTask;
import dev.party.store.Completion;
import dev.party.store.LeaseRef;
import dev.party.store.RegisterWorker;
import dev.party.store.ReleaseOwner;
import dev.party.store.Released;
import dev.party.store.TaskStore;
import dev.party.store.WorkerNameLock;
import dev.party.store.WorkerRef;
import dev.party.task.TaskClient;
import dev.party.task.TaskId;
import dev.party.task.TaskState;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks: a dispatcher thread writes finished outcomes and claims due tasks for free worker
 * slots in one store call per step, the workers of each {@link Lane} (one per queue with its own
 * worker count, or one for all) run them, and a lease keeper thread sends
 * heartbeats and takes back expired leases. The engine owns these threads: a constructor starts
 * none, {@link #close()} stops them all and may be called twice, or without a start.
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  /** How long a stop keeps trying to write outcomes to an unavailable store. */
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);
  /** The least wait for the database on the heartbeat thread, however short the heartbeat. */
  static final Duration MIN_CALL_TIMEOUT = Duration.ofMillis(250);

  private final PartyConfig config;
  private final TaskStore store;
  /** The store for the heartbeat thread: its calls fail within half a heartbeat (see {@link #callTimeout}). */
  private final TaskStore leaseStore;
  private final HandlerRegistry registry;
  private final PartyClock clock;
  private final PartyListener listener;
  private final Wakeups wakeups = new Wakeups();
  private final InFlight inFlight = new InFlight();
  private final Dispatcher dispatcher;
  private final TaskRunner runner;
  private final CompletionWriter writer;
  private final LeaseKeeper leaseKeeper;
  private final Watchdog watchdog;
  private final CountDownLatch drained = new CountDownLatch(1);
  /** Run-now callers waiting for their run's outcome to be written. */
  private final Map<LeaseRef, CompletableFuture<Void>> awaited = new ConcurrentHashMap<>();
  private static final String CLOSED = "the engine is closed: run now needs a running or a never-started one";
  private final Object lifecycle = new Object();
  private boolean started;
  private boolean closed;
  private volatile boolean stopping;
  private volatile boolean interrupting;
  /** True while the lease thread renews leases: only then is a run's lease deadline watched. */
  private volatile boolean heartbeating;
  private WorkerNameLock nameLock;
  private AutoCloseable subscription;
  private final Lanes lanes;
  private Thread dispatcherThread;
  private volatile Thread leaseThread;
  private Thread schedulerThread;
  private final ScheduleFirer firer;

  public Engine(PartyConfig config, TaskStore store, HandlerRegistry registry, TaskFactory factory,
      TaskClient client, PartyClock clock, PartyListener listener, RandomGenerator random,
      Map<String, DataSource> dataSources) {
    this.config = config;
    this.store = store;
    this.leaseStore = store.withCallTimeout(callTimeout(config.heartbeat()));
    this.registry = registry;
    this.clock = clock;
    this.listener = listener;
    var services = new RunContext.Services(store, client, clock, () -> stopping, () -> interrupting, inFlight,
        Map.copyOf(dataSources));
    this.watchdog = new Watchdog(config.workerId());
    this.runner = new TaskRunner(registry, factory, services, random, () -> interrupting, watchdog);
    this.writer = new CompletionWriter(store, config.workerId(), clock, listener, inFlight, this::written);
    this.dispatcher = new Dispatcher(store, config, registry, clock, listener, writer, inFlight, wakeups, random);
    this.lanes = dispatcher.lanes();
    this.leaseKeeper = new LeaseKeeper(leaseStore, config.workerId(), inFlight, clock, listener, config.maxCrashes());
    this.firer = new ScheduleFirer(store, clock, factory::newId, stored -> {
      Listeners.safely(() -> listener.enqueued(stored));
      wakeups.signal();
    });
  }

  /**
   * Takes the worker name, then starts the threads. Tasks still leased under the name come back
   * first: the name is held by one live process at a time, so they belong to its previous, dead run.
   *
   * @param drain stop claiming once no due task remains (see {@link #awaitDrained})
   * @throws WorkerNameInUseException when a live process already runs under this worker name
   */
  public void start(boolean drain) {
    synchronized (lifecycle) {
      if (started || closed) throw new IllegalStateException("an engine starts once, and not after close()");
      if (nameLock == null) lockNameNow();
      try {
        List<Released> previous = store.releaseOwner(new ReleaseOwner(config.workerId(), clock.pinned(), config.maxCrashes()));
        if (!previous.isEmpty()) {
          log.info("took back {} tasks left running by this worker's previous run", previous.size());
          Listeners.safely(() -> listener.released(previous));
        }
        store.registerWorker(registration());
        subscription = store.subscribe(wakeups::signal);
      } catch (RuntimeException e) {
        closeQuietly(nameLock, "the worker name lock");
        throw e;
      }
      lanes.all().forEach(lane -> lane.start(config.virtualThreads()));
      // A pinned test clock keeps the store's leases in its own time, which this node's monotonic
      // clock cannot follow: lease deadlines are watched only against the real one.
      heartbeating = clock.pinned() == null;
      leaseThread = Thread.ofPlatform().name("party-leases-" + config.workerId())
          .start(() -> leaseKeeper.loop(config.heartbeat(), wakeups::signal, this::checkName, dispatcher::renewed));
      dispatcherThread = Thread.ofPlatform().name("party-dispatcher-" + config.workerId()).start(() -> {
        try {
          dispatcher.loop(this::submit, drain);
        } finally {
          drained.countDown();
        }
      });
      // A draining engine ends once nothing is due; schedules would keep it busy for ever.
      if (!drain) {
        schedulerThread = Thread.ofPlatform().name("party-scheduler-" + config.workerId())
            .start(() -> firer.loop(config.pollInterval()));
      }
      started = true;
    }
  }

  /**
   * How long a heartbeat's call waits for the database: half a heartbeat, at least {@link
   * #MIN_CALL_TIMEOUT}. A lease is at least two heartbeats, so a partition fails the call (and the
   * next one is tried) well before the lease it was meant to renew runs out.
   */
  static Duration callTimeout(Duration heartbeat) {
    Duration half = heartbeat.dividedBy(2);
    return half.compareTo(MIN_CALL_TIMEOUT) < 0 ? MIN_CALL_TIMEOUT : half;
  }

  /**
   * Takes the worker name before {@link #start}, which then keeps it: a command refuses a name in
   * use before it opens anything else (a port), and leaves nothing behind. {@link #close()} frees it.
   *
   * @throws WorkerNameInUseException when a live process already runs under this worker name
   */
  public void lockName() {
    synchronized (lifecycle) {
      if (closed) throw new IllegalStateException(CLOSED);
      if (nameLock == null) lockNameNow();
    }
  }

  private void lockNameNow() {
    nameLock = leaseStore.lockWorkerName(config.workerId())
        .orElseThrow(() -> new WorkerNameInUseException(config.workerId()));
  }

  /** This process in the worker registry. */
  private RegisterWorker registration() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    Set<String> queues = config.servedQueues();
    return new RegisterWorker(config.workerId(), host, ProcessHandle.current().pid(),
        queues == null ? List.of() : List.copyOf(queues), config.slots(),
        Engine.class.getPackage().getImplementationVersion(), config.heartbeat(), clock.pinned());
  }

  /** Fires due schedules; its thread runs while the engine does, and tests call it directly. */
  public ScheduleFirer scheduleFirer() {
    return firer;
  }

  /** One claimed task on its way to a worker; the engine keeps hold of it if it never starts. */
  private final class Run implements Runnable {
    final ClaimedTask task;
    final Lane lane;

    Run(ClaimedTask task, Lane lane) {
      this.task = task;
      this.lane = lane;
    }

    @Override
    public void run() {
      lane.acquire();
      try {
        if (stopping) {
          release(task, "worker stopped before the run");
          return;
        }
        Listeners.safely(() -> listener.started(task));
        long start = System.nanoTime();
        Completion completion = runner.run(task, config.workerId());
        long runNanos = System.nanoTime() - start;
        Listeners.safely(() -> listener.ran(task, Duration.ofNanos(runNanos)));
        dispatcher.finished(new RunResult(task, completion));
      } finally {
        lane.release();
      }
    }
  }

  /** Hands a claimed (or adopted) task to the lane of its queue; the dispatcher made sure there is one. */
  private void submit(ClaimedTask task, long claimSentAt) {
    hold(task, claimSentAt);
    try {
      Lane lane = lanes.forQueue(task.task().queue());
      lane.execute(new Run(task, lane));
    } catch (RejectedExecutionException e) {
      // Claimed in a step that raced with close(): the workers are already shut.
      release(task, "worker stopped before the run");
    }
  }

  /**
   * Holds the run's lease here; while heartbeats run, a run whose lease this node could not renew
   * before it ran out is stopped (interrupted, its outcome a release) and claiming pauses until a
   * heartbeat succeeds: by then another node may have taken the task.
   */
  private void hold(ClaimedTask task, long claimSentAt) {
    InFlight.Hold hold = inFlight.add(task, leaseOf(task), claimSentAt);
    if (!heartbeating) return;
    watchdog.guard(hold, () -> {
      log.warn("task {}: its lease ran out before a heartbeat could renew it; interrupting its run here "
          + "(another worker may take it over)", task.task().id());
      dispatcher.lapsed();
    });
  }

  /**
   * On every heartbeat: a worker that lost its name (its lock connection dropped and another
   * process took the name) stops claiming, since that process may take back this one's runs.
   */
  private void checkName() {
    if (!nameLock.stillHeld()) {
      log.error("worker name {} was taken by another process; this worker stops claiming tasks",
          config.workerId());
      dispatcher.stopClaiming();
    }
  }

  /** Claimed and never started (shutdown raced with the claim): back to the queue, the attempt not counted. */
  private void release(ClaimedTask task, String reason) {
    dispatcher.finished(new RunResult(task, new Completion.Release(task.ref(), reason)));
  }

  private Duration leaseOf(ClaimedTask task) {
    Duration lease = registry.require(task.task().handler()).type().lease();
    return lease != null ? lease : config.lease();
  }

  /** Wakes the dispatcher: a task was stored here and may be due now. */
  public void wake() {
    wakeups.signal();
  }

  /** A task stored here becomes due at {@code at}: the dispatcher looks for it then, not at its next poll. */
  public void dueAt(Instant at) {
    wakeups.dueAt(at);
  }

  /** Waits until a draining engine has found nothing more to run. */
  public boolean awaitDrained(Duration timeout) throws InterruptedException {
    return drained.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs due tasks on the calling thread, writing each outcome before the next, until none is
   * due. For tests and tools; needs no {@link #start}. Returns how many ran.
   */
  public int runDue() {
    int ran = 0;
    while (true) {
      long sentAt = System.nanoTime();
      List<ClaimedTask> claimed = store.claim(new Claim(
          config.workerId(), registry.names(), config.servedQueues(), 1, config.lease(), clock.pinned(), registry.limits()));
      if (claimed.isEmpty()) return ran;
      runHere(claimed.getFirst(), sentAt);
      ran++;
    }
  }

  /**
   * Claims one PENDING task by id, due or not, runs it, and returns once its outcome is written.
   * While the engine runs, the run goes to the workers like any other: it first waits for an idle
   * slot of its queue (ahead of the next claim), so the task turns RUNNING only when a worker can
   * start it (a task of a queue this node has no worker count for runs on the calling thread); it
   * gets heartbeats, and at shutdown finishes within the grace period or goes back to the queue
   * without counting the attempt. If the caller is interrupted while the run goes on, it stops
   * waiting; the run goes on. Without a started engine, or once a draining one has ended its work,
   * it runs on the calling thread, with heartbeats. Empty when the task was not PENDING.
   *
   * @throws IllegalStateException after {@link #close()}, or when the caller is interrupted while
   *     it waits for a slot (nothing ran then)
   */
  public Optional<ClaimedTask> runNow(TaskId id) {
    Lane lane;
    synchronized (lifecycle) {
      if (closed) throw new IllegalStateException(CLOSED);
      lane = started ? store.get(id).filter(task -> task.state() == TaskState.PENDING)
          .map(task -> lanes.forQueue(task.queue())).orElse(null) : null;
    }
    boolean reserved = lane != null && reserve(lane, id);
    Optional<ClaimedTask> claimed;
    long sentAt = System.nanoTime();
    try {
      claimed = store.claimOne(new ClaimOne(id, config.workerId(), config.lease(), clock.pinned(), registry.limits()));
    } catch (RuntimeException e) {
      if (reserved) dispatcher.unreserve(lane);
      throw e;
    }
    if (claimed.isEmpty()) {
      if (reserved) dispatcher.unreserve(lane);
      return claimed;
    }
    ClaimedTask task = claimed.get();
    CompletableFuture<Void> written = null;
    synchronized (lifecycle) {
      if (closed) {
        if (reserved) dispatcher.unreserve(lane);
        writer.write(List.of(new RunResult(task, new Completion.Release(task.ref(), "the worker closed before the run"))));
        throw new IllegalStateException(CLOSED);
      }
      if (reserved && dispatcher.adopt(task)) {
        written = new CompletableFuture<>();
        awaited.put(task.ref(), written);
        submit(task, sentAt);
      } else if (reserved) {
        dispatcher.unreserve(lane);
      }
    }
    if (written == null) {
      runHere(task, sentAt);
      return claimed;
    }
    try {
      written.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("run now of " + id + " failed", e.getCause());
    }
    return claimed;
  }

  /** A slot of {@code lane} for a run-now of {@code id}; false when the dispatcher has ended. */
  private boolean reserve(Lane lane, TaskId id) {
    try {
      return dispatcher.reserve(lane);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while run now of " + id + " waited for a free worker slot; it did not run");
    }
  }

  private void written(LeaseRef ref) {
    CompletableFuture<Void> waiting = awaited.remove(ref);
    if (waiting != null) waiting.complete(null);
  }

  /** Runs a claimed task on the calling thread and writes its outcome. */
  private void runHere(ClaimedTask task, long claimSentAt) {
    hold(task, claimSentAt);
    Thread heartbeats = callerHeartbeats();
    try {
      Listeners.safely(() -> listener.started(task));
      long start = System.nanoTime();
      Completion completion = runner.run(task, config.workerId());
      Duration runTime = Duration.ofNanos(System.nanoTime() - start);
      Listeners.safely(() -> listener.ran(task, runTime));
      writer.write(List.of(new RunResult(task, completion)));
    } finally {
      // Written or not, stop the heartbeats: an unwritten run's lease expires and it runs again.
      inFlight.remove(task.ref());
      if (heartbeats != null) {
        heartbeats.interrupt();
        join(heartbeats);
      }
    }
  }

  /**
   * Renews the leases of a run on the caller's thread while no lease thread runs (run-now before
   * start, as {@code party tasks run} does, or {@code runDue()}): without it a run longer than its
   * lease would be taken back and run a second time elsewhere. None under a pinned test clock,
   * whose leases are in test time.
   */
  private Thread callerHeartbeats() {
    Thread keeper = leaseThread;
    if (clock.pinned() != null || (keeper != null && keeper.isAlive())) return null;
    return Thread.ofPlatform().daemon().name("party-run-heartbeats-" + config.workerId()).start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(config.heartbeat());
          leaseKeeper.extendLeases();
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          log.warn("could not renew the lease of a run on this thread, trying again in {}: {}",
              TaskRunner.text(config.heartbeat()), e.toString());
        }
      }
    });
  }

  /** One heartbeat and expired-lease sweep on the calling thread. */
  public List<Released> sweepLeases() {
    return leaseKeeper.runOnce().released();
  }

  /**
   * Stops claiming; lets running tasks finish within the grace period while their outcomes keep
   * being written (handlers see {@link dev.party.task.TaskContext#isStopping()}, not a
   * cancellation); then interrupts the rest (their tasks go back to the queue without counting the
   * attempt); writes every outcome; stops all threads and frees the worker name.
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) return;
      closed = true;
      if (!started) {
        watchdog.close(); // runDue() may have started its thread
        if (nameLock != null) closeQuietly(nameLock, "the worker name lock");
        return;
      }
    }
    firer.stop();
    if (schedulerThread != null) join(schedulerThread);
    dispatcher.stopClaiming();
    stopping = true;
    stopLanes();
    dispatcher.stop();
    join(dispatcherThread);
    dispatcher.flush(System.nanoTime() + FLUSH_TIMEOUT.toNanos());
    watchdog.close();
    closeQuietly(subscription, "the store subscription");
    heartbeating = false;
    leaseThread.interrupt();
    join(leaseThread);
    try {
      store.stopWorker(new WorkerRef(config.workerId(), clock.pinned()));
    } catch (RuntimeException e) {
      log.warn("could not mark worker {} stopped in the registry; it will show as dead: {}", config.workerId(), e.toString());
    }
    closeQuietly(nameLock, "the worker name lock");
    // Outcomes the store never took (it was down): wake their run-now callers all the same.
    awaited.values().forEach(waiting -> waiting.complete(null));
    awaited.clear();
  }

  /**
   * Lets every lane's runs finish within one shared grace period; then returns the runs that never
   * started and interrupts the rest (their tasks go back without counting the attempt).
   */
  private void stopLanes() {
    int running = running();
    if (running > 0) {
      Duration grace = config.shutdownGrace();
      log.info("stopping: {} running, waiting up to {} for them to finish", tasks(running),
          grace.toMillisPart() == 0 ? grace.toSeconds() + " s" : grace.toMillis() + " ms");
    }
    lanes.all().forEach(Lane::shutdown);
    try {
      long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
      if (awaitLanes(deadline)) return;
      log.info("grace period over: interrupting {} still running (back to the queue, attempt not counted)",
          tasks(running()));
      interrupting = true;
      for (Lane lane : lanes.all()) {
        for (Runnable never : lane.shutdownNow()) {
          if (never instanceof Run run) release(run.task, "worker stopped before the run");
        }
      }
      if (!awaitLanes(System.nanoTime() + TimeUnit.SECONDS.toNanos(5))) {
        log.warn("{} ignored the interrupt for 5 s; their leases will expire and the tasks run again",
            tasks(running()));
      }
    } catch (InterruptedException e) {
      lanes.all().forEach(Lane::shutdownNow);
      Thread.currentThread().interrupt();
    }
  }

  private boolean awaitLanes(long deadline) throws InterruptedException {
    boolean ended = true;
    for (Lane lane : lanes.all()) ended &= lane.awaitTermination(deadline);
    return ended;
  }

  /** Handlers running now, on every lane. */
  private int running() {
    return lanes.all().stream().mapToInt(Lane::running).sum();
  }

  private static String tasks(int count) {
    return count == 1 ? "1 task" : count + " tasks";
  }

  private static void closeQuietly(AutoCloseable closeable, String what) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("closing {} failed: {}", what, e.toString());
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
