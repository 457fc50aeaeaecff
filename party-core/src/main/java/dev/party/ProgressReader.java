package dev.party;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.engine.HandlerRegistry;
import dev.party.json.Json;
import dev.party.task.TaskState;
import dev.party.task.TaskType;
import dev.party.task.TaskView;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a task type's progress function ({@link TaskType#progress}) to tasks as Party hands them
 * out: only to PENDING and RUNNING tasks whose stored progress is 0, so that what a handler
 * reported always comes first. Nothing is stored.
 */
final class ProgressReader {
  private static final Logger log = LoggerFactory.getLogger(ProgressReader.class);

  private final HandlerRegistry registry;

  ProgressReader(HandlerRegistry registry) {
    this.registry = registry;
  }

  TaskView read(TaskView task) {
    if (task.progress() != 0 || (task.state() != TaskState.PENDING && task.state() != TaskState.RUNNING)) return task;
    Function<JsonNode, Integer> progress =
        registry.find(task.handler()).map(handler -> handler.type().progress()).orElse(null);
    if (progress == null) return task;
    try {
      Integer percent = progress.apply(Json.parse(task.data()));
      return percent == null ? task : task.withProgress(Math.max(0, Math.min(100, percent)));
    } catch (RuntimeException e) {
      // A function that cannot read some task's data must not make the task unreadable.
      log.debug("the progress function of '{}' failed on task {}: {}", task.handler(), task.id(), e.toString());
      return task;
    }
  }

  List<TaskView> read(List<TaskView> tasks) {
    return tasks.stream().map(this::read).toList();
  }
}
