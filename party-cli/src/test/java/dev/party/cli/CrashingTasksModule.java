package dev.party.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.task.Handlers;
import dev.party.task.Outcome;
import dev.party.task.TaskModule;
import dev.party.task.TaskType;
import java.time.Duration;

/**
 * Test-only handlers that kill their JVM, registered only when {@code PARTY_TEST_CRASHING} is set:
 * {@code Halt} calls {@code Runtime.halt(code)} (no shutdown hook runs), {@code Exit} calls {@code
 * System.exit(code)}; {@code Nap} sleeps {@code seconds}, stopping early when cancelled.
 */
public final class CrashingTasksModule implements TaskModule {
  static final String ENABLED = "PARTY_TEST_CRASHING";

  @Override
  public void register(Handlers handlers) {
    if (System.getenv(ENABLED) == null) return;
    handlers.handler(TaskType.of("Halt"), JsonNode.class, context -> {
      Runtime.getRuntime().halt(context.data().path("code").asInt(137));
      return Outcome.done();
    });
    handlers.handler(TaskType.of("Exit"), JsonNode.class, context -> {
      System.exit(context.data().path("code").asInt(3));
      return Outcome.done();
    });
    handlers.handler(TaskType.of("Nap"), JsonNode.class, context -> {
      long end = System.nanoTime() + Duration.ofSeconds(context.data().path("seconds").asInt(1)).toNanos();
      while (System.nanoTime() < end && !context.isCancelled()) Thread.sleep(50);
      return Outcome.done();
    });
  }
}
