package dev.party.engine;

import dev.party.store.NewTask;
import dev.party.task.TaskRequest;
import java.util.List;

/** Turns requests into rows: checks the handler against the registry, picks the id, applies defaults. */
public final class TaskFactory {
  private final HandlerRegistry registry;
  private final TaskIds ids;

  public TaskFactory(HandlerRegistry registry, TaskIds ids) {
    this.registry = registry;
    this.ids = ids;
  }

  public NewTask prepare(TaskRequest request) {
    var type = registry.require(request.handler()).type();
    int maxAttempts = request.maxAttempts() != null ? request.maxAttempts() : type.maxAttempts();
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
        request.lastRunOn());
  }

  /** Prepares every request before any is stored, so one bad request stores none. */
  public List<NewTask> prepareAll(List<TaskRequest> requests) {
    return requests.stream().map(this::prepare).toList();
  }
}
