package dev.party.examples;

import dev.party.task.Outcome;
import dev.party.task.TaskContext;
import dev.party.task.TaskHandler;
import com.fasterxml.jackson.databind.JsonNode;

/** Does nothing: measures Party itself (benchmarks, load tests). */
public final class NoopTask implements TaskHandler<JsonNode> {
  public static final String NAME = "NoopTask";

  @Override
  public Outcome run(TaskContext<JsonNode> context) {
    return Outcome.done();
  }
}
