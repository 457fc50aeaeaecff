package dev.party.task;

/**
 * The code behind a task name. One method; everything else has a default.
 *
 * @param <D> the type the task's JSON data binds to ({@code JsonNode} for untyped data)
 */
@FunctionalInterface
public interface TaskHandler<D> {

  /** Runs one attempt. Throwing is a retryable failure; see {@link Outcome} for the other endings. */
  Outcome run(TaskContext<D> context) throws Exception;
}
