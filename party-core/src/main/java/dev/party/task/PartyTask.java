package dev.party.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The class style of handler (the seeds' {@code TaskBase}): extend it, implement {@link #run()},
 * and read the task's attributes. A new instance runs each attempt.
 *
 * <pre>{@code
 * public final class SampleTask extends PartyTask {
 *   protected void run() {
 *     System.out.println(data().path("arg1").asText());
 *   }
 * }
 * }</pre>
 *
 * A recurring task overrides {@link #isRecurring()} and calls {@link #scheduleNextRun} from {@link
 * #onComplete()}; the next run is stored in the same transaction that finishes this one.
 */
public abstract class PartyTask {
  private TaskContext<JsonNode> context;
  private Instant nextRun;
  private Object result;

  /** The work. Throwing is a retryable failure. */
  protected abstract void run() throws Exception;

  /** Called after a successful {@link #run()}, before the task is marked FINISHED. Default: nothing. */
  protected void onComplete() throws Exception {}

  /** Whether this task type recurs (the seeds' {@code is_recurring}). Default: false. */
  public boolean isRecurring() {
    return false;
  }

  /** Runs this task again {@code delay} after this run's timestamp. */
  protected final void scheduleNextRun(Duration delay) {
    scheduleNextRun(timestamp().plus(delay));
  }

  /** Runs this task again at {@code when}, with the same data. */
  protected final void scheduleNextRun(Instant when) {
    this.nextRun = Objects.requireNonNull(when, "when");
  }

  /** Stores {@code value} as the task's JSON result. */
  protected final void result(Object value) {
    this.result = value;
  }

  protected final TaskId id() {
    return context.id();
  }

  /** When this task was scheduled to run. */
  protected final Instant timestamp() {
    return context.timestamp();
  }

  /** When the previous run of this recurring task started; null for a first or one-off run. */
  protected final Instant lastRunOn() {
    return context.lastRunOn();
  }

  /** 1 on the first run. */
  protected final int attempts() {
    return context.attempts();
  }

  protected final JsonNode data() {
    return context.data();
  }

  /** Progress, logging, cancellation and enqueueing for this run. */
  protected final TaskContext<JsonNode> context() {
    return context;
  }

  /** Adapts a class-style task to the engine: a fresh instance per attempt. */
  static Outcome runInstance(PartyTask task, TaskContext<JsonNode> context) throws Exception {
    task.context = context;
    task.run();
    task.onComplete();
    if (task.nextRun == null) return Outcome.done(task.result);
    TaskView current = context.task();
    TaskRequest next =
        TaskRequest.of(current.handler())
            .withDataJson(current.data())
            .queue(current.queue())
            .priority(current.priority())
            .maxAttempts(current.maxAttempts())
            .lastRunOn(context.startedAt())
            .runAt(task.nextRun);
    return new Outcome.Then(task.result, next);
  }
}
