package dev.party;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.cleanup.CleanupResult;
import dev.party.cleanup.TaskCleanup;
import dev.party.engine.Engine;
import dev.party.engine.HandlerRegistry;
import dev.party.engine.TaskFactory;
import dev.party.engine.TaskIds;
import dev.party.error.ErrorCode;
import dev.party.error.InvalidTaskException;
import dev.party.error.TaskConflictException;
import dev.party.error.TaskNotFoundException;
import dev.party.event.PartyListener;
import dev.party.schedule.Schedule;
import dev.party.schedule.ScheduleView;
import dev.party.store.Cancel;
import dev.party.store.CleanupRecord;
import dev.party.store.InsertChain;
import dev.party.store.InsertGroup;
import dev.party.store.InsertOnce;
import dev.party.store.InsertedOnce;
import dev.party.store.InsertTasks;
import dev.party.store.NewTask;
import dev.party.store.QueueView;
import dev.party.store.Released;
import dev.party.store.Requeue;
import dev.party.store.StoreStatus;
import dev.party.store.TaskStore;
import dev.party.store.ThroughputBucket;
import dev.party.store.ThroughputQuery;
import dev.party.store.WorkerView;
import dev.party.task.Chain;
import dev.party.task.EnqueueOptions;
import dev.party.task.EnqueueResult;
import dev.party.task.Enqueued;
import dev.party.task.FunctionRef;
import dev.party.task.Group;
import dev.party.task.Handlers;
import dev.party.task.Outcome;
import dev.party.task.TaskClient;
import dev.party.task.TaskFunction;
import dev.party.task.TaskId;
import dev.party.task.TaskLogEntry;
import dev.party.task.TaskQuery;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.task.TaskType;
import dev.party.task.TaskView;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;

/**
 * The front door: a client for storing and looking at tasks, and, once {@link #start()}ed, an
 * engine that runs them. Without {@code start()} it is a plain client (the CLI's {@code enqueue}).
 *
 * <pre>{@code
 * try (Party party = Party.builder(SqliteStore.open(Path.of("party-data/party.db")))
 *     .handlers(h -> h.task("SampleTask", SampleTask::new))
 *     .build()) {
 *   party.start();
 *   party.enqueue(TaskRequest.of("SampleTask", Map.of("arg1", "val1")));
 * }
 * }</pre>
 *
 * Closing stops the engine; the store stays open and belongs to whoever opened it.
 */
public final class Party implements TaskClient, AutoCloseable {
  private final PartyConfig config;
  private final TaskStore store;
  private final PartyClock clock;
  private final PartyListener listener;
  private final HandlerRegistry registry;
  private final ProgressReader progress;
  private final TaskFactory factory;
  private final Engine engine;
  private final Schedules schedules;
  private final List<Schedule> declared;
  private final CleanupConfig cleanupConfig;
  private final TaskCleanup cleanup;
  /** Set by {@link #startWithoutWorkers()}: no handler runs in this JVM. */
  private volatile boolean withoutWorkers;

  Party(PartyConfig config, TaskStore store, PartyClock clock, RandomGenerator random,
      PartyListener listener, List<Consumer<Handlers>> registrations, List<Schedule> declared,
      Map<String, DataSource> dataSources, CleanupConfig cleanupConfig, Map<String, UnaryOperator<TaskType>> typeChanges) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.listener = listener;
    this.registry = new HandlerRegistry(this, config.heartbeat(), typeChanges);
    this.progress = new ProgressReader(registry);
    registrations.forEach(registration -> registration.accept(registry));
    this.cleanupConfig = cleanupConfig;
    this.cleanup = new TaskCleanup(store, cleanupConfig, clock, this::retentions);
    // The seeds' TaskCleanup task: its schedule, or anyone's enqueue of it, runs the cleanup here.
    if (registry.find(TaskCleanup.NAME).isEmpty()) {
      registry.handler(TaskType.of(TaskCleanup.NAME), JsonNode.class, context -> {
        CleanupResult done = cleanup.run();
        return Outcome.done(Map.of("completed", done.completed(), "failed", done.failed(), "deleted", done.deleted()));
      });
    }
    registry.checkChangesApplied();
    this.factory = new TaskFactory(registry, new TaskIds(clock, random));
    this.engine = new Engine(config, store, registry, factory, this, clock, listener, random, dataSources);
    this.schedules = new Schedules(store, registry, factory, clock, engine.scheduleFirer());
    this.declared = declared;
  }

  public static PartyBuilder builder(TaskStore store) {
    return new PartyBuilder(store);
  }

  /** Declares the builder's schedules and the cleanup's, then starts the workers and the schedule firing. */
  /**
   * Takes this node's worker name now; {@link #start()} keeps it and {@link #close()} frees it. For
   * a command that must refuse a name in use before it opens anything else, such as a port.
   *
   * @throws dev.party.error.WorkerNameInUseException when a live process runs under the name
   */
  public Party lockWorkerName() {
    engine.lockName();
    return this;
  }

  public Party start() {
    declareSchedules();
    engine.start(false);
    return this;
  }

  /**
   * Declares the builder's schedules, and starts nothing: no handler runs in this JVM, not even by
   * {@link #runNow}, which is refused. For a node that only serves the API ({@code party server
   * --workers 0}, or {@code --processes N}) while worker processes on the same store run the tasks
   * and fire the schedules; a handler that kills its JVM then cannot take the API down.
   */
  public Party startWithoutWorkers() {
    declareSchedules();
    withoutWorkers = true;
    return this;
  }

  /** Handler slots in this JVM: 0 after {@link #startWithoutWorkers()}. */
  public int slots() {
    return withoutWorkers ? 0 : config.slots();
  }

  /**
   * The cleanup's schedule comes with the builder's; with the cleanup schedule turned off, a stored
   * one (from an earlier start) is removed.
   */
  private void declareSchedules() {
    List<Schedule> all = new ArrayList<>(declared);
    if (cleanupConfig.every() != null) {
      all.add(Schedule.every(cleanupConfig.every(), TaskRequest.of(TaskCleanup.NAME)).named(TaskCleanup.NAME));
    } else if (declared.stream().noneMatch(s -> s.name().equals(TaskCleanup.NAME))) {
      schedules.unschedule(TaskCleanup.NAME);
    }
    schedules.declareAll(all);
  }

  /**
   * Runs the cleanup once on the calling thread, whatever its schedule: see {@link CleanupConfig}.
   * For tools ({@code party cleanup}) and tests. Unlike the scheduled run, it logs nothing: the
   * result says what it did, a dump file it could not write included, for the caller to report.
   */
  public CleanupResult cleanup() {
    return cleanup.runUnlogged();
  }

  /** The last cleanup run on this store (by any node) and the totals; empty when none ran. */
  public Optional<CleanupRecord> lastCleanup() {
    return store.lastCleanup();
  }

  private Map<String, Duration> retentions() {
    Map<String, Duration> retentions = new TreeMap<>();
    for (String name : registry.names()) {
      Duration retention = registry.require(name).type().retention();
      if (retention != null) retentions.put(name, retention);
    }
    return retentions;
  }

  /**
   * Declares the builder's schedules and starts the workers, which stop claiming once no due task
   * remains (and fire no schedules); see {@link #awaitDrained}.
   */
  public Party startDraining() {
    declareSchedules();
    engine.start(true);
    return this;
  }

  /** Waits until a draining engine ran out of due tasks. Close it afterwards. */
  public boolean awaitDrained(Duration timeout) throws InterruptedException {
    return engine.awaitDrained(timeout);
  }

  /** Runs due tasks on the calling thread until none is due; for tests and tools. Returns how many ran. */
  public int runDue() {
    return engine.runDue();
  }

  /** One heartbeat and expired-lease sweep on the calling thread; for tests and tools. */
  public List<Released> sweepLeases() {
    return engine.sweepLeases();
  }

  /** Recurring schedules: add, pause, resume, trigger, list; see {@link Schedules}. */
  public Schedules schedules() {
    return schedules;
  }

  /** Stores a recurring schedule; see {@link Schedules#add}. */
  public ScheduleView schedule(Schedule schedule) {
    return schedules.add(schedule);
  }

  /** Removes a recurring schedule; a no-op when there is none. See {@link Schedules#unschedule}. */
  public boolean unschedule(String name) {
    return schedules.unschedule(name);
  }

  /** Registers a handler after build; see {@link Handlers}. */
  public Handlers handlers() {
    return registry;
  }

  /** Registers a function task and returns its reference, e.g. {@code resize.delay(new Resize(...))}. */
  public <A> FunctionRef<A> function(String name, Class<A> argsType, TaskFunction<A> function) {
    return registry.function(TaskType.of(name), argsType, function);
  }

  public PartyConfig config() {
    return config;
  }

  public PartyClock clock() {
    return clock;
  }

  @Override
  public TaskId enqueue(TaskRequest request) {
    return enqueueAll(List.of(request)).getFirst();
  }

  /** Ids in request order; for a request with a batch key, the id of the task that covers it. */
  @Override
  public List<TaskId> enqueueAll(List<TaskRequest> requests) {
    return ids(enqueueAllDetailed(requests));
  }

  /**
   * As {@link #enqueueAll(List)}, and says for each request whether a new task was stored or a
   * waiting one with its batch key covers it ({@link TaskRequest#batchKey}).
   */
  public List<Enqueued> enqueueAllDetailed(List<TaskRequest> requests) {
    return enqueueAllDetailed(requests, EnqueueOptions.defaults()).enqueued();
  }

  /**
   * As {@link #enqueueAllDetailed(List)}, written as {@code options} say: at most once per
   * idempotency key (a replay stores nothing and returns the first enqueue's tasks), and refused
   * {@code busy} (a {@link dev.party.error.StoreException}, nothing stored) when it cannot be
   * written within its {@code maxWait}.
   */
  public EnqueueResult enqueueAllDetailed(List<TaskRequest> requests, EnqueueOptions options) {
    if (requests.isEmpty()) return new EnqueueResult(List.of(), false);
    List<NewTask> tasks = factory.prepareAll(requests);
    InsertTasks insert = new InsertTasks(tasks, clock.pinned(), factory.capacities(tasks), options.maxWait());
    if (options.idempotencyKey() == null) return new EnqueueResult(stored(tasks, store.insert(insert)), false);
    String fingerprint = options.fingerprint() != null ? options.fingerprint()
        : EnqueueOptions.fingerprintOf(requests.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    InsertedOnce once = store.insertOnce(new InsertOnce(insert, options.idempotencyKey(), fingerprint));
    return new EnqueueResult(once.replayed() ? once.enqueued() : stored(tasks, once.enqueued()), once.replayed());
  }

  /** Tells the listener and the workers of what {@code enqueued} stored of {@code tasks}. */
  private List<Enqueued> stored(List<NewTask> tasks, List<Enqueued> enqueued) {
    List<TaskId> stored = enqueued.stream().filter(e -> !e.covered()).map(Enqueued::id).distinct().toList();
    if (!stored.isEmpty()) {
      listener.enqueued(stored);
      java.util.Set<TaskId> storedIds = java.util.Set.copyOf(stored);
      wakeFor(tasks.stream().filter(task -> storedIds.contains(task.id())).toList());
    }
    return enqueued;
  }

  /**
   * Stores a chain: the first step runs as asked; each later one runs once the step before it
   * FINISHED, and a step that ends FAILED or CANCELLED cancels the steps after it, with that
   * reason. All steps are stored in one transaction, or none.
   */
  public Chain chain(TaskRequest... steps) {
    return chain(List.of(steps));
  }

  /** See {@link #chain(TaskRequest...)}. */
  @Override
  public Chain chain(List<TaskRequest> steps) {
    if (steps.size() < 2) throw InvalidTaskException.invalid("a chain needs two steps or more, not " + steps.size());
    List<NewTask> tasks = prepareLinked(steps);
    String id = factory.newId().value();
    store.insertChain(new InsertChain(id, tasks, clock.pinned(), factory.capacities(tasks)));
    announce(tasks);
    return new Chain(id, tasks.stream().map(NewTask::id).toList());
  }

  /**
   * Stores a group: the members run in parallel; the callback runs once, after every member is
   * final (finished, failed or cancelled), and reads them with {@link
   * dev.party.task.TaskContext#groupMembers()}. All stored in one transaction, or none. A refused
   * task's {@link InvalidTaskException#index()} counts the members first, then the callback.
   */
  @Override
  public Group group(List<TaskRequest> members, TaskRequest callback) {
    if (members.isEmpty()) throw InvalidTaskException.invalid("a group needs one member or more");
    List<NewTask> tasks = prepareLinked(java.util.stream.Stream.concat(members.stream(), java.util.stream.Stream.of(callback)).toList());
    List<NewTask> memberTasks = tasks.subList(0, members.size());
    NewTask callbackTask = tasks.getLast();
    String id = factory.newId().value();
    store.insertGroup(new InsertGroup(id, memberTasks, callbackTask, clock.pinned(), factory.capacities(tasks)));
    announce(tasks);
    return new Group(id, memberTasks.stream().map(NewTask::id).toList(), callbackTask.id());
  }

  /** A batch key would let a step or member be covered by a task outside the chain or group. */
  private List<NewTask> prepareLinked(List<TaskRequest> requests) {
    for (int i = 0; i < requests.size(); i++) {
      String batchKey = requests.get(i).batchKey();
      if (batchKey != null) {
        throw InvalidTaskException.invalid("a chain step or group task takes no batch key ('%s')".formatted(batchKey)).at(i);
      }
    }
    return factory.prepareAll(requests);
  }

  private void announce(List<NewTask> tasks) {
    listener.enqueued(tasks.stream().map(NewTask::id).toList());
    wakeFor(tasks);
  }

  /** Wakes the workers now for tasks due now, and at their time for delayed ones (not a poll later). */
  private void wakeFor(List<NewTask> tasks) {
    Instant now = clock.instant();
    boolean dueNow = false;
    for (NewTask task : tasks) {
      Instant due = task.runAt() != null ? task.runAt() : now.plus(task.runIn() != null ? task.runIn() : Duration.ZERO);
      if (due.isAfter(now)) engine.dueAt(due);
      else dueNow = true;
    }
    if (dueNow) engine.wake();
  }

  /**
   * Stores tasks inside the caller's own transaction, on {@code callerTransaction}: they exist if
   * and only if the caller commits. The caller commits or rolls back; on commit, workers on every
   * node hear of them (PostgreSQL NOTIFY is delivered at commit). A request with a batch key gets
   * the id of the task that covers it, as in {@link #enqueueAll(List)}.
   *
   * @throws UnsupportedOperationException when the store cannot join a caller's transaction
   */
  public List<TaskId> enqueueAll(Connection callerTransaction, List<TaskRequest> requests) {
    if (requests.isEmpty()) return List.of();
    List<NewTask> tasks = factory.prepareAll(requests);
    return ids(store.insert(callerTransaction, new InsertTasks(tasks, clock.pinned(), factory.capacities(tasks))));
  }

  private static List<TaskId> ids(List<Enqueued> enqueued) {
    return enqueued.stream().map(Enqueued::id).toList();
  }

  public TaskId enqueue(Connection callerTransaction, TaskRequest request) {
    return enqueueAll(callerTransaction, List.of(request)).getFirst();
  }

  /** The task as stored; with its type's progress function applied (see {@link TaskType#progress}). */
  @Override
  public Optional<TaskView> task(TaskId id) {
    return store.get(id).map(progress::read);
  }

  @Override
  public Optional<TaskView> task(String handler, String instanceKey) {
    return store.getByInstanceKey(handler, instanceKey).map(progress::read);
  }

  @Override
  public List<TaskLogEntry> log(TaskId id) {
    return store.get(id).map(task -> TaskLogEntry.withCreation(task, store.log(id))).orElse(List.of());
  }

  @Override
  public List<TaskView> tasks(TaskQuery query) {
    return progress.read(store.list(query));
  }

  @Override
  public TaskView cancel(TaskId id) {
    refuseIfFinal(id, "cancelled");
    TaskView task = store.cancel(new Cancel(id, "cancelled", clock.pinned()))
        .orElseThrow(() -> new TaskNotFoundException(id.value()));
    if (task.state() != TaskState.CANCELLED) refuseIfFinal(id, "cancelled");
    return progress.read(task);
  }

  private void refuseIfFinal(TaskId id, String action) {
    TaskState state = store.get(id).orElseThrow(() -> new TaskNotFoundException(id.value())).state();
    if (state.isFinal()) {
      throw new TaskConflictException("task %s is already %s and cannot be %s".formatted(id, state, action));
    }
  }

  /**
   * Deletes a final task (FINISHED, FAILED or CANCELLED) and its log for good ({@link
   * TaskStore#purge}); afterwards the task is not found.
   *
   * @throws TaskNotFoundException when there is no such task
   * @throws TaskConflictException when it is PENDING or RUNNING (cancel it first), or when it is a
   *     chain step or group member whose next step or callback has yet to run and read it
   */
  public void purge(TaskId id) {
    switch (store.purge(id)) {
      case PURGED -> { }
      case NOT_FOUND -> throw new TaskNotFoundException(id.value());
      case NOT_FINAL -> throw new TaskConflictException("task %s is %s; only a FINISHED, FAILED or CANCELLED task can be deleted, so cancel it first"
          .formatted(id, store.get(id).map(TaskView::state).orElse(TaskState.PENDING)));
      case NEEDED_BY_WORKFLOW -> throw new TaskConflictException(("task %s is a chain step or group member whose next step or"
          + " callback has yet to run and read it; delete it once that task has ended").formatted(id));
    }
  }

  @Override
  public TaskView retry(TaskId id) {
    TaskView failed = store.get(id).orElseThrow(() -> new TaskNotFoundException(id.value()));
    TaskState before = failed.state();
    Integer capacity = registry.find(failed.handler()).map(handler -> handler.type().capacity()).orElse(null);
    TaskView task = before != TaskState.FAILED ? null
        : store.requeue(new Requeue(id, "retried by request", clock.pinned(), capacity)).orElse(null);
    if (task == null || task.state() != TaskState.PENDING) {
      throw new TaskConflictException("task %s is %s; only a FAILED task can be retried"
          .formatted(id, task == null ? before : task.state()));
    }
    engine.wake();
    return progress.read(task);
  }

  /**
   * Puts every FAILED task (of {@code handler}, or of any handler when null) back in the queue, as
   * {@link #retry} does one, one transaction per page ({@link TaskStore#requeueAll}). Walks the
   * failed tasks a page at a time, newest first, by id, so a task that stays FAILED (its handler's
   * capacity is full, or another unfinished task holds its unique key) is passed over, not retried
   * forever.
   *
   * @return how many tasks were put back
   */
  public int retryFailed(String handler) {
    int retried = 0;
    TaskQuery page = TaskQuery.all().state(TaskState.FAILED).handler(handler).limit(RETRY_PAGE);
    while (true) {
      List<TaskView> failed = store.list(page);
      List<Requeue> requests = new ArrayList<>(failed.size());
      for (TaskView task : failed) {
        Integer capacity = registry.find(task.handler()).map(h -> h.type().capacity()).orElse(null);
        requests.add(new Requeue(task.id(), "retried by request (all failed)", clock.pinned(), capacity));
      }
      retried += store.requeueAll(requests); // a transaction per page, not per task
      if (failed.size() < RETRY_PAGE) break;
      page = page.before(failed.getLast().id());
    }
    if (retried > 0) engine.wake();
    return retried;
  }

  /** How many failed tasks {@link #retryFailed} reads at once. */
  private static final int RETRY_PAGE = 200;

  /**
   * Runs a PENDING task now on the calling thread, due or not, and returns it once its outcome is
   * written (the seeds' back door: it blocks the caller for as long as the handler runs).
   *
   * @throws TaskNotFoundException when there is no such task
   * @throws TaskConflictException when it is not PENDING (running elsewhere, or final), or when this
   *     node runs no handlers ({@link #startWithoutWorkers()})
   * @throws dev.party.error.UnknownHandlerException when this node has no handler for it
   */
  public TaskView runNow(TaskId id) {
    TaskView task = store.get(id).orElseThrow(() -> new TaskNotFoundException(id.value()));
    if (withoutWorkers) {
      throw new TaskConflictException(("this node runs no handlers (party server --workers 0 or --processes N), so it"
          + " cannot run task %s now; it stays %s and a worker process runs it when it is due").formatted(id, task.state()));
    }
    registry.require(task.handler());
    if (task.waiting()) {
      throw new TaskConflictException("task %s waits for the chain step or the group members before it, so it cannot be run now"
          .formatted(id));
    }
    engine.runNow(id).orElseThrow(() -> new TaskConflictException(
        "task %s is %s, not PENDING, so it cannot be run now".formatted(id,
            store.get(id).map(TaskView::state).orElse(TaskState.CANCELLED))));
    return task(id).orElseThrow(() -> new TaskNotFoundException(id.value()));
  }

  /** The names of the handlers registered here. */
  public Set<String> handlerNames() {
    return registry.names();
  }

  public StoreStatus status() {
    return store.status();
  }

  /**
   * Unfinished recurring class-style tasks (those whose {@code isRecurring()} is true and that
   * choose their next run with {@code scheduleNextRun}), next run first, at most {@code limit}.
   * Known by the key each such task is stored with, so every node sees them, with the handler or
   * not. Schedules are in {@link #schedules()}.
   */
  public List<TaskView> recurringTasks(int limit) {
    return store.recurringTasks(limit);
  }

  /**
   * Tasks that ended (FINISHED or FAILED) in the last {@code window}, counted per {@code bucket}
   * by when they ended; buckets without tasks are left out. For the dashboard's throughput chart.
   */
  public List<ThroughputBucket> throughput(Duration window, Duration bucket) {
    return store.throughput(new ThroughputQuery(clock.instant().minus(window), bucket));
  }

  /** Worker processes restarted by supervisors ({@code party worker --processes N}), all nodes together. */
  public long restartedWorkers() {
    return store.restartedWorkers();
  }

  /**
   * Pauses the queue on every node sharing the store: no worker claims its tasks until {@link
   * #resumeQueue}; runs already started finish. A run-now ({@link #runNow}) of one of its tasks
   * still runs it: that is an explicit request. The queue need not hold tasks yet.
   *
   * @throws InvalidTaskException when the name is not a valid queue name
   */
  public QueueView pauseQueue(String queue) {
    return store.pauseQueue(validQueue(queue), true, clock.pinned());
  }

  /** Lets workers claim the queue's tasks again, at once on this node (and over NOTIFY on PostgreSQL). */
  public QueueView resumeQueue(String queue) {
    QueueView resumed = store.pauseQueue(validQueue(queue), false, clock.pinned());
    engine.wake();
    return resumed;
  }

  /** Queues that hold PENDING or RUNNING tasks or were ever paused, by name, with their counts. */
  public List<QueueView> queues() {
    return store.queues();
  }

  private static String validQueue(String queue) {
    String problem = PartyConfig.queueNameProblem(queue);
    if (problem != null) throw new InvalidTaskException(ErrorCode.INVALID_REQUEST, problem);
    return queue;
  }

  /** The worker registry: live, dead and stopped workers of every node, with their running tasks. */
  public List<WorkerView> workers() {
    return store.workers(clock.pinned());
  }

  /** Stops the engine (see {@link Engine#close()}); safe to call twice, or without a start. */
  @Override
  public void close() {
    engine.close();
  }
}
