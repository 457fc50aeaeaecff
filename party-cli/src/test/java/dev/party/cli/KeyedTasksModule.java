package dev.party.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.task.Handlers;
import dev.party.task.Outcome;
import dev.party.task.SingletonPolicy;
import dev.party.task.TaskModule;
import dev.party.task.TaskType;

/** Test-only handlers whose types take keys: {@code OneAtATime} is a singleton, {@code PerCustomer} limited. */
public final class KeyedTasksModule implements TaskModule {
  @Override
  public void register(Handlers handlers) {
    handlers.handler(TaskType.of("OneAtATime").singleton(SingletonPolicy.WAIT), JsonNode.class, context -> Outcome.done());
    handlers.handler(TaskType.of("PerCustomer").concurrency(1), JsonNode.class, context -> Outcome.done());
  }
}
