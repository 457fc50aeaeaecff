package dev.party.engine;

import dev.party.PartyClock;
import dev.party.PartyConfig;
import dev.party.event.PartyListener;
import dev.party.store.ClaimedTask;
import dev.party.store.Claim;
import dev.party.store.Completion;
import dev.party.store.ReleaseOwner;
import dev.party.store.Released;
import dev.party.store.TaskStore;
import dev.party.task.TaskClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks: a dispatcher thread writes finished outcomes and claims due tasks for free worker
 * slots in one store call per step, the workers run them, and a lease keeper thread sends
 * heartbeats and takes back expired leases. The engine owns these threads: a constructor starts none, {@link #close()}
 * stops them all and may be called twice.
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  /** How long a stop keeps trying to write outcomes to an unavailable store. */
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

  private final PartyConfig config;
  private final TaskStore store;
  private final HandlerRegistry registry;
  private final PartyClock clock;
  private final PartyListener listener;
  private final Wakeups wakeups = new Wakeups();
  private final InFlight inFlight = new InFlight();
  private final Dispatcher dispatcher;
  private final TaskRunner runner;
  private final CompletionWriter writer;
  private final LeaseKeeper leaseKeeper;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch drained = new CountDownLatch(1);
  private volatile boolean stopping;
  private ExecutorService workers;
  private Semaphore running;
  private AutoCloseable subscription;
  private Thread dispatcherThread;
  private Thread leaseThread;

  public Engine(PartyConfig config, TaskStore store, HandlerRegistry registry, TaskFactory factory,
      TaskClient client, PartyClock clock, PartyListener listener, RandomGenerator random) {
    this.config = config;
    this.store = store;
    this.registry = registry;
    this.clock = clock;
    this.listener = listener;
    var services = new RunContext.Services(store, client, clock, () -> stopping);
    this.runner = new TaskRunner(registry, factory, services, random);
    this.writer = new CompletionWriter(store, config.workerId(), clock, listener, inFlight);
    this.dispatcher = new Dispatcher(store, config, registry, clock, listener, writer, inFlight, wakeups);
    this.leaseKeeper = new LeaseKeeper(store, config.workerId(), inFlight, clock, listener);
  }

  /**
   * Starts the threads. Tasks still leased to this worker id come back first: only one process
   * runs under a name, so they belong to its previous, dead run.
   *
   * @param drain stop claiming once no due task remains (see {@link #awaitDrained})
   */
  public void start(boolean drain) {
    if (!started.compareAndSet(false, true)) throw new IllegalStateException("the engine was already started");
    List<Released> previous = store.releaseOwner(new ReleaseOwner(config.workerId(), clock.pinned()));
    if (!previous.isEmpty()) {
      log.info("took back {} tasks left running by this worker's previous run", previous.size());
      listener.released(previous);
    }
    workers = config.virtualThreads()
        ? Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("party-worker-", 1).factory())
        : Executors.newFixedThreadPool(config.workers(), Thread.ofPlatform().name("party-worker-", 1).factory());
    // Virtual threads are made per task; this keeps at most `workers` of them running handlers.
    running = new Semaphore(config.workers());
    subscription = store.subscribe(wakeups::signal);
    leaseThread = Thread.ofPlatform().name("party-leases-" + config.workerId())
        .start(() -> leaseKeeper.loop(config.heartbeat(), wakeups::signal));
    dispatcherThread = Thread.ofPlatform().name("party-dispatcher-" + config.workerId()).start(() -> {
      dispatcher.loop(this::submit, drain);
      drained.countDown();
    });
  }

  private void submit(ClaimedTask task) {
    inFlight.add(task, leaseOf(task));
    workers.execute(() -> {
      running.acquireUninterruptibly();
      try {
        if (stopping) {
          // Claimed ahead and never started: back to the queue, the attempt not counted.
          dispatcher.finished(new RunResult(task, new Completion.Release(task.ref(), "worker stopped before the run")), 0);
          return;
        }
        listener.started(task);
        long start = System.nanoTime();
        Completion completion = runner.run(task, config.workerId());
        dispatcher.finished(new RunResult(task, completion), System.nanoTime() - start);
      } finally {
        running.release();
      }
    });
  }

  private Duration leaseOf(ClaimedTask task) {
    Duration lease = registry.require(task.task().handler()).type().lease();
    return lease != null ? lease : config.lease();
  }

  /** Wakes the dispatcher: a task was stored here and may be due now. */
  public void wake() {
    wakeups.signal();
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
      List<ClaimedTask> claimed = store.claim(new Claim(
          config.workerId(), registry.names(), config.queues(), 1, config.lease(), clock.pinned()));
      if (claimed.isEmpty()) return ran;
      ClaimedTask task = claimed.getFirst();
      listener.started(task);
      writer.write(List.of(new RunResult(task, runner.run(task, config.workerId()))));
      ran++;
    }
  }

  /** One heartbeat and expired-lease sweep on the calling thread. */
  public List<Released> sweepLeases() {
    return leaseKeeper.runOnce().released();
  }

  /**
   * Stops claiming, lets running tasks finish within the grace period, interrupts the rest (their
   * tasks go back to the queue without counting the attempt), writes every outcome and stops all
   * threads.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true) || !started.get()) return;
    dispatcher.stop();
    join(dispatcherThread);
    stopping = true;
    workers.shutdown();
    try {
      if (!workers.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        log.info("{} tasks still running after the grace period; interrupting them", inFlight.size());
        workers.shutdownNow();
        if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("handlers ignored the interrupt; their leases will expire and the tasks run again");
        }
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    dispatcher.flush(System.nanoTime() + FLUSH_TIMEOUT.toNanos());
    try {
      subscription.close();
    } catch (Exception e) {
      log.warn("closing the store subscription failed: {}", e.toString());
    }
    leaseThread.interrupt();
    join(leaseThread);
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
