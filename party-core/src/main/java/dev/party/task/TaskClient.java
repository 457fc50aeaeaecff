package dev.party.task;

import java.util.List;
import java.util.Optional;

/** Storing and looking at tasks. Every enqueue is durable when it returns. */
public interface TaskClient {

  /** Stores one task. Throws {@code UnknownHandlerException} or {@code InvalidTaskException}; nothing is stored then. */
  TaskId enqueue(TaskRequest request);

  /** Stores all or none, in one transaction; ids come back in request order. */
  List<TaskId> enqueueAll(List<TaskRequest> requests);

  /**
   * Stores a chain: each step runs once the one before it FINISHED and reads it with {@link
   * TaskContext#previousStep()}; a step that fails or is cancelled cancels the rest.
   */
  Chain chain(List<TaskRequest> steps);

  /**
   * Stores a group: the members run in parallel; the callback runs once after every member is
   * final, and reads them with {@link TaskContext#groupMembers()}.
   */
  Group group(List<TaskRequest> members, TaskRequest callback);

  Optional<TaskView> task(TaskId id);

  /**
   * The task of {@code handler} with this instance key ({@link TaskRequest#instanceKey}), in
   * whatever state; empty when there is none. The seeds' look-up by task type and instance id.
   */
  Optional<TaskView> task(String handler, String instanceKey);

  /** The task's log, oldest first. */
  List<TaskLogEntry> log(TaskId id);

  List<TaskView> tasks(TaskQuery query);

  /**
   * Cancels an unfinished task: it will not start again, and a running attempt's outcome is
   * ignored. Throws {@code TaskNotFoundException}, or {@code TaskConflictException} when the task is
   * already final.
   */
  TaskView cancel(TaskId id);

  /**
   * Puts a FAILED task back in the queue, due now, with a fresh set of attempts. Throws {@code
   * TaskNotFoundException}, or {@code TaskConflictException} when the task is not FAILED.
   */
  TaskView retry(TaskId id);
}
