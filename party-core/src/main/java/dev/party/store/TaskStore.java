package dev.party.store;

import dev.party.error.QueueFullException;
import dev.party.error.TaskConflictException;
import dev.party.schedule.ScheduleView;
import dev.party.task.Enqueued;
import dev.party.task.TaskId;
import dev.party.task.TaskLogEntry;
import dev.party.task.TaskQuery;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where tasks live. One method per whole operation; each store implements them with its own SQL
 * and passes the contract kit in {@code party-testkit} unchanged. Every method is thread-safe.
 *
 * <p>Times: a request's {@code now} is null in production, and the store uses its own clock (the
 * database's); tests pin it.
 */
public interface TaskStore extends AutoCloseable {

  /**
   * Inserts all or none; durable on return. Throws {@code QueueFullException} past a capacity,
   * {@code TaskConflictException} on a held unique key.
   *
   * @return one entry per task of the request, in its order: the task's own id when it was stored,
   *     or the id of the waiting task that covers it when its batch key was taken ({@link
   *     NewTask#batchKey}); two tasks of one request with one batch key give one stored task
   */
  List<Enqueued> insert(InsertTasks request);

  /**
   * As {@link #insert(InsertTasks)}, at most once per {@link InsertOnce#key key}: the first call
   * with a key stores the tasks and the key together; a later call with that key and the same
   * fingerprint stores nothing and returns the first call's answer, {@code replayed}. Of calls
   * that overlap, on any node, exactly one stores. A call refused (a conflict, a full queue, the
   * store down) leaves the key free. Keys are kept at least {@link InsertOnce#KEPT}, until the
   * cleanup's {@link #deleteIdempotencyKeys}.
   *
   * @throws dev.party.error.TaskConflictException when the key was used with another fingerprint
   */
  InsertedOnce insertOnce(InsertOnce request);

  /** Deletes the idempotency keys stored before {@code before}; returns how many. */
  int deleteIdempotencyKeys(Instant before);

  /**
   * Inserts inside the caller's own transaction, on the caller's connection: the tasks exist if
   * and only if that transaction commits. Nothing is committed here. Returns as {@link
   * #insert(InsertTasks)} does.
   *
   * @throws UnsupportedOperationException when this store cannot join a caller's transaction
   */
  default List<Enqueued> insert(Connection callerTransaction, InsertTasks request) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot join a caller's transaction");
  }

  /**
   * Calls {@code onNewTasks} when another process may have stored due work (PostgreSQL's
   * LISTEN/NOTIFY), so an idle engine need not wait for its poll. Stores without such a signal
   * return a subscription that does nothing. Closing the subscription stops whatever it started.
   */
  default AutoCloseable subscribe(Runnable onNewTasks) {
    return () -> {};
  }

  List<ClaimedTask> claim(Claim request);

  /** Empty when the task is not PENDING (or does not exist). */
  Optional<ClaimedTask> claimOne(ClaimOne request);

  CompleteResult complete(Complete request);

  /** Both in one round trip, and in one transaction where the store can. Default: two calls. */
  default CompletedAndClaimed completeAndClaim(CompleteAndClaim request) {
    CompleteResult completed = request.complete() == null ? null : complete(request.complete());
    List<ClaimedTask> claimed = request.claim() == null ? List.of() : claim(request.claim());
    return new CompletedAndClaimed(completed, claimed);
  }

  /** Returns the runs whose lease could not be extended: they were lost (cancelled, or expired and taken back). */
  List<LeaseRef> heartbeat(Heartbeat request);

  List<Released> releaseExpired(ReleaseExpired request);

  /**
   * How long from now (the store's clock, or {@code request.now()} when pinned) until the earliest
   * lease of a RUNNING task expires, whichever node holds it; zero or negative when one expired
   * already, empty when no task runs. Nodes sweep expired leases then, not a heartbeat later.
   */
  Optional<Duration> nextLeaseExpiry(NextLeaseExpiry request);

  /**
   * This store with every call failing once the database has not answered for {@code timeout}
   * (PostgreSQL's network timeout), where a call can hang at all; the engine's heartbeats use it, so
   * a partition cannot hold them past a lease. It shares this store's connections; closing it
   * closes nothing. Default: this store (a local file answers or fails by itself).
   */
  default TaskStore withCallTimeout(Duration timeout) {
    return this;
  }

  List<Released> releaseOwner(ReleaseOwner request);

  /** Returns false when the run no longer holds its lease. */
  boolean note(RunNote note);

  /** Cancels an unfinished task; returns the task as it is afterwards, or empty when there is none. */
  Optional<TaskView> cancel(Cancel request);

  /** Returns the task as it is afterwards (still in its old state when it was not FAILED), or empty when there is none. */
  Optional<TaskView> requeue(Requeue request);

  /**
   * Puts back to PENDING every task of the list that is FAILED, as {@link #requeue} does one, in
   * one transaction where the store can (a bulk retry of thousands must not cost a commit each). A
   * task whose handler is at its capacity, or whose unique key another unfinished task holds, is
   * passed over and stays FAILED instead of failing the batch; a task in any other state, or none,
   * is left alone.
   *
   * <p>Default: one {@link #requeue} per task, each in its own transaction, so a store need not
   * implement it; a task another caller requeues between the read and the write may be counted twice.
   *
   * @return how many tasks went back to PENDING
   */
  default int requeueAll(List<Requeue> requests) {
    int requeued = 0;
    for (Requeue request : requests) {
      if (get(request.id()).filter(task -> task.state() == TaskState.FAILED).isEmpty()) continue;
      try {
        if (requeue(request).filter(task -> task.state() == TaskState.PENDING).isPresent()) requeued++;
      } catch (QueueFullException | TaskConflictException passedOver) {
        // Stays FAILED, as the contract says; the rest of the batch goes on.
      }
    }
    return requeued;
  }

  Optional<TaskView> get(TaskId id);

  /** The task of {@code handler} with this instance key ({@link NewTask#instanceKey}), in whatever state. */
  Optional<TaskView> getByInstanceKey(String handler, String instanceKey);

  /** The transitions and handler lines written since the task was stored, oldest first. */
  List<TaskLogEntry> log(TaskId id);

  List<TaskView> list(TaskQuery query);

  /**
   * The unique key of a recurring class-style task ({@code isRecurring()}), from its handler and
   * data; see {@link dev.party.engine.TaskFactory#prepare}. Stored with the task, it marks the task
   * as recurring for every node, including one without the handler.
   */
  String RECURRING_KEY_PREFIX = "recurring:";

  /**
   * Unfinished (PENDING or RUNNING) recurring class-style tasks, their unique key starting with
   * {@link #RECURRING_KEY_PREFIX}: at most {@code limit}, next run first.
   */
  List<TaskView> recurringTasks(int limit);

  StoreStatus status();

  /** Tasks that ended per time bucket, for the dashboard's throughput chart: see {@link ThroughputQuery}. */
  List<ThroughputBucket> throughput(ThroughputQuery query);

  // ---- chains and groups -----------------------------------------------------------------------

  /** Stores a chain: see {@link InsertChain}. All or nothing, capacities checked as for an insert. */
  void insertChain(InsertChain request);

  /** Stores a group and its callback: see {@link InsertGroup}. All or nothing. */
  void insertGroup(InsertGroup request);

  /** The step before {@code step} in its chain; empty for a first step or a task in no chain. */
  Optional<TaskView> previousStep(TaskId step);

  /** The members of the group whose callback {@code callback} is, in the order they were stored. */
  List<TaskView> groupMembers(TaskId callback);

  // ---- cleanup --------------------------------------------------------------------------------

  /** One batch of final tasks past their retention, each with its stored log: see {@link ExpiredQuery}. */
  List<ExpiredTask> expired(ExpiredQuery query);

  /**
   * Deletes these tasks and their logs, in one transaction; a task that is not final (requeued
   * meanwhile) is left alone. Returns how many tasks were deleted.
   */
  int deleteFinal(List<TaskId> ids);

  /**
   * Deletes one final task and its log, in one transaction: the explicit purge ({@code DELETE
   * /tasks/{id}?purge=true}). A task that is not final is left alone ({@link Purged#NOT_FINAL}),
   * and so is a chain step whose next step, or a group member whose callback, is still PENDING or
   * RUNNING ({@link Purged#NEEDED_BY_WORKFLOW}): that task reads this one's result, so cleanup
   * leaves it too. The check and the delete are one transaction, so a concurrent retry of the task
   * either comes first (and the purge is refused) or finds no task.
   */
  Purged purge(TaskId id);

  /**
   * Moves these tasks into the archive table ({@code party_task_archive}, keyed by id, holding each
   * task's JSON with its log) and deletes them and their logs, in one transaction. A task that is
   * not final any more is neither archived nor deleted; one archived before is not archived twice.
   * Returns how many tasks were deleted.
   */
  int archive(List<ArchivedTask> tasks, Instant now);

  /** Records a cleanup run that ended at {@code at}, adding its counts to the totals. */
  void recordCleanup(Instant at, long completed, long failed);

  /** The last cleanup run and the totals; empty when no cleanup ever ran on this store. */
  Optional<CleanupRecord> lastCleanup();

  // ---- schedules ------------------------------------------------------------------------------

  /**
   * Stores a new schedule.
   *
   * @throws dev.party.error.TaskConflictException when the name is taken, or a {@link ScheduleTwin}
   *     already stores its task (checked in the same transaction)
   */
  void addSchedule(NewSchedule schedule);

  /**
   * Stores the schedule, or brings a stored one of that name up to this definition: for schedules
   * declared in code or config on every start. A stored one whose definition is unchanged is left
   * alone (its next period and pause included); one whose recurrence changed starts from {@code
   * firstRunAt}. When a {@link ScheduleTwin} already stores its task, writes nothing and says so:
   * a start must not fail over a twin an earlier version let in.
   */
  DeclaredSchedule declareSchedule(NewSchedule schedule);

  /** Removes the schedule; tasks it already stored stay. False when there was none. */
  boolean removeSchedule(String name);

  /**
   * Pauses or resumes; returns the schedule afterwards, or empty when there is none. Resuming
   * moves a next period that is already past to the first one after {@code now} (null: the
   * store's clock), in the same transaction: periods missed while paused are not fired, even when
   * no node fired (and so moved on) the schedule meanwhile.
   */
  Optional<ScheduleView> pauseSchedule(String name, boolean paused, Instant now);

  Optional<ScheduleView> schedule(String name);

  /** Every schedule, by name. */
  List<ScheduleView> schedules();

  /** Fires every due schedule: see {@link FireSchedules} and {@link SchedulePlan}. */
  FiredSchedules fireSchedules(FireSchedules request);

  /** Stores the schedule's task now; empty when there is no such schedule. */
  Optional<TaskId> triggerSchedule(TriggerSchedule request);

  /**
   * Takes the worker name {@code workerId} for this process, for as long as the returned lock is
   * open; empty when a live process holds it. Held by the OS or the database, so a process that dies
   * frees it. An engine takes it before it takes back the runs still leased under its name.
   */
  Optional<WorkerNameLock> lockWorkerName(String workerId);

  // ---- worker processes -----------------------------------------------------------------------

  /**
   * Counts one restart of a worker process by the supervisor named {@code supervisor} ({@code party
   * worker --processes N}); durable on return, so every node's status shows it.
   */
  void recordRestart(String supervisor);

  /**
   * Records the exit code of the dead worker process named {@code worker} in its registry row, before
   * its supervisor starts it again: the restarted process's {@link #releaseOwner} puts it in the
   * errors of the tasks it takes back, and its registration clears it. Nothing when the worker never
   * registered.
   */
  void recordExit(String worker, int exitCode);

  /** Restarts counted by {@link #recordRestart} across all supervisors: the status map's {@code restarted_workers}. */
  long restartedWorkers();

  // ---- worker registry --------------------------------------------------------------------------

  /**
   * Registers a starting worker under its name (again, when it ran before: a restart starts a new
   * entry), and drops the workers whose last heartbeat is older than {@link RegisterWorker#KEPT}.
   */
  void registerWorker(RegisterWorker request);

  /** The worker's heartbeat: it is live for 3 more heartbeat intervals. Nothing when it is not registered. */
  void workerHeartbeat(WorkerRef request);

  /** Marks the worker stopped cleanly. Nothing when it is not registered. */
  void stopWorker(WorkerRef request);

  /**
   * The registered workers whose last heartbeat is within {@link RegisterWorker#KEPT} of {@code
   * now} (null: the store's clock), live, dead or stopped, by name, each with its running tasks.
   */
  List<WorkerView> workers(Instant now);

  // ---- queues -----------------------------------------------------------------------------------

  /**
   * Pauses or resumes a queue cluster-wide: while paused, {@link #claim} takes none of its tasks
   * on any node (runs already started finish; {@link #claimOne}, the explicit run-now, still
   * takes them). Any name may be paused, with or without tasks. Returns the queue afterwards.
   * Pausing a paused queue keeps its first pause time.
   */
  QueueView pauseQueue(String name, boolean paused, Instant now);

  /** The queues that hold PENDING or RUNNING tasks or were ever paused, by name, with their counts. */
  List<QueueView> queues();

  @Override
  void close();
}
