package dev.party.engine;

import dev.party.error.InvalidTaskException;
import dev.party.error.TaskConflictException;
import dev.party.schedule.Schedule;
import dev.party.store.NewTask;
import dev.party.store.TaskStore;
import dev.party.task.TaskId;
import dev.party.task.TaskRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/** Turns requests into rows: checks the handler against the registry, picks the id, applies defaults. */
public final class TaskFactory {
  private final HandlerRegistry registry;
  private final TaskIds ids;

  public TaskFactory(HandlerRegistry registry, TaskIds ids) {
    this.registry = registry;
    this.ids = ids;
  }

  /**
   * A recurring class-style task gets a unique key from its handler and data, so a second one is
   * refused while one is unfinished (the seeds' rule: one recurring task per handler and data).
   * Its next run, stored as the current one finishes, takes the key over.
   */
  public NewTask prepare(TaskRequest request) {
    var type = registry.require(request.handler()).type();
    if (request.uniqueKey() == null && registry.recurring(request.handler())) {
      request = request.uniqueKey(TaskStore.RECURRING_KEY_PREFIX + Schedule.nameFor(request));
    }
    int maxAttempts = request.maxAttempts() != null ? request.maxAttempts() : type.maxAttempts();
    if (request.singletonKey() != null && type.singleton() == null) {
      throw InvalidTaskException.invalid(("singletonKey '%s' given for '%s', which is not a singleton handler;"
          + " declare its type with TaskType.singleton(SKIP or WAIT), or leave the key out")
          .formatted(request.singletonKey(), request.handler()));
    }
    if (request.limitKey() != null && !type.limited()) {
      throw InvalidTaskException.invalid(("limitKey '%s' given for '%s', which has no concurrency or rate limit;"
          + " declare its type with TaskType.concurrency(n) or rateLimit(starts, window), or leave the key out")
          .formatted(request.limitKey(), request.handler()));
    }
    // lamegame: "singleton'd based on the taskName, which defaults to the class name".
    String singletonKey = type.singleton() == null ? null
        : request.singletonKey() != null ? request.singletonKey() : request.handler();
    return new NewTask(
        ids.next(),
        request.handler(),
        request.queue(),
        request.data(),
        request.priority(),
        request.runAt(),
        request.runIn(),
        maxAttempts,
        request.uniqueKey(),
        request.lastRunOn(),
        request.batchKey(),
        singletonKey,
        type.singleton(),
        request.instanceKey(),
        request.limitKey());
  }

  /** A fresh task id, for rows a store builds itself (a schedule's tasks). */
  public TaskId newId() {
    return ids.next();
  }

  /** The capacity of each handler among {@code tasks} whose type sets one, for the store to check. */
  public Map<String, Integer> capacities(List<NewTask> tasks) {
    Map<String, Integer> capacities = new HashMap<>();
    for (NewTask task : tasks) {
      Integer capacity = registry.require(task.handler()).type().capacity();
      if (capacity != null) capacities.put(task.handler(), capacity);
    }
    return capacities;
  }

  /**
   * Prepares every request before any is stored, so one bad request stores none; a bad one's
   * {@link InvalidTaskException#index()} says which. Two requests that name one task (handler and
   * instance key) are refused here: the store would refuse the second.
   */
  public List<NewTask> prepareAll(List<TaskRequest> requests) {
    Set<List<String>> instances = new HashSet<>();
    for (TaskRequest request : requests) {
      if (request.instanceKey() != null && !instances.add(List.of(request.handler(), request.instanceKey()))) {
        throw new TaskConflictException("two tasks of one request have handler '%s' and instance key '%s'; an instance key names one task"
            .formatted(request.handler(), request.instanceKey()));
      }
    }
    List<NewTask> tasks = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      try {
        tasks.add(prepare(requests.get(i)));
      } catch (InvalidTaskException e) {
        throw e.at(i);
      }
    }
    return tasks;
  }
}
