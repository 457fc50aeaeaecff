package dev.party.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.task.Handlers;
import dev.party.task.Outcome;
import dev.party.task.SingletonPolicy;
import dev.party.task.TaskModule;
import dev.party.task.TaskType;

/**
 * Test-only handlers for the CLI's in-process tests: {@code OneAtATime} is a singleton and {@code
 * PerCustomer} limited (their types take keys); {@code AlwaysFails} fails on its one attempt.
 */
public final class CliTestTasksModule implements TaskModule {
  @Override
  public void register(Handlers handlers) {
    handlers.handler(TaskType.of("OneAtATime").singleton(SingletonPolicy.WAIT), JsonNode.class, context -> Outcome.done());
    handlers.handler(TaskType.of("AlwaysFails").maxAttempts(1), JsonNode.class, context -> Outcome.giveUp("no luck"));
    handlers.handler(TaskType.of("PerCustomer").concurrency(1), JsonNode.class, context -> Outcome.done());
  }
}
