package dev.party.task;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** What a running handler sees of its task and of Party. Valid only during the run. */
public interface TaskContext<D> {

  /** The task as claimed for this run (attempts already counts this run). */
  TaskView task();

  /** The task's data bound to the handler's type. */
  D data();

  default TaskId id() {
    return task().id();
  }

  /** 1 on the first run. */
  default int attempts() {
    return task().attempts();
  }

  /** When the task was due: the seeds' {@code timestamp}. */
  default Instant timestamp() {
    return task().runAt();
  }

  /** When the previous run of a recurring task started; null otherwise. */
  default Instant lastRunOn() {
    return task().lastRunOn();
  }

  /** A stable key for effects outside Party (the task id): the same on every attempt. */
  default String idempotencyKey() {
    return task().id().value();
  }

  /** When this run started (the lastRunOn of a recurring task's next run). */
  Instant startedAt();

  /** The worker running this attempt, {@code hostname-index}. */
  String workerId();

  /** Reports progress, 0 to 100. Values outside are clamped. */
  void progress(int percent);

  /** Writes a line into the task's log. */
  void log(String message);

  /**
   * True once this run must stop: the task was cancelled, or taken back after a missed heartbeat
   * (its outcome will be ignored either way), it passed its type's timeout, or the worker's
   * shutdown grace period ran out (the handler's thread is then interrupted too, and the task goes
   * back to the queue without counting the attempt). A long handler should check it and return.
   * It stays false while a stopping worker lets its runs finish: see {@link #isStopping()}.
   */
  boolean isCancelled();

  /**
   * True once the worker is shutting down. Its runs may still finish within the grace period
   * (10 s by default); a handler that can stop early and resume later may checkpoint and return.
   * Cooperative handlers need do nothing: past the grace period {@link #isCancelled()} turns true.
   */
  boolean isStopping();

  /** Stores another task now (durable on return). */
  TaskId enqueue(TaskRequest request);

  /**
   * A pooled data source by the name the node's config gives it (the seeds' {@code kernel.dbapi}):
   * handlers never hold host names or passwords.
   *
   * @throws IllegalArgumentException when this node has no data source of that name
   */
  DataSource dataSource(String name);

  /** Stores a chain from inside a run; see {@link TaskClient#chain}. */
  Chain chain(List<TaskRequest> steps);

  /** Stores a group from inside a run (fan-out); see {@link TaskClient#group}. */
  Group group(List<TaskRequest> members, TaskRequest callback);

  /**
   * For a step of a chain, the step before it (FINISHED: its {@code result()} is that step's
   * result); empty for a first step or a task in no chain.
   */
  Optional<TaskView> previousStep();

  /**
   * For the callback of a group, every member as it ended (FINISHED with its result, or FAILED or
   * CANCELLED with its error), in the order they were given; empty for any other task.
   */
  List<TaskView> groupMembers();
}
