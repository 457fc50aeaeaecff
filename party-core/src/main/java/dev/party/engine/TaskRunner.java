package dev.party.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.party.PartyClock;
import dev.party.json.Json;
import dev.party.store.ClaimedTask;
import dev.party.store.Completion;
import dev.party.store.NewTask;
import dev.party.task.Outcome;
import dev.party.task.TaskView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/** Runs one claimed task on the calling thread and turns what happened into a {@link Completion}. */
final class TaskRunner {
  /** Stored error texts are cut here: a runaway stack trace must not bloat the store. */
  static final int MAX_ERROR_LENGTH = 16 * 1024;

  private final HandlerRegistry registry;
  private final TaskFactory factory;
  private final RunContext.Services services;
  private final PartyClock clock;
  private final RandomGenerator random;
  private final BooleanSupplier interruptedByShutdown;
  private final Watchdog watchdog;

  /**
   * @param interruptedByShutdown true once the engine interrupted running handlers to stop
   * @param watchdog interrupts runs past their task type's timeout
   */
  TaskRunner(HandlerRegistry registry, TaskFactory factory, RunContext.Services services,
      RandomGenerator random, BooleanSupplier interruptedByShutdown, Watchdog watchdog) {
    this.registry = registry;
    this.factory = factory;
    this.services = services;
    this.clock = services.clock();
    this.random = random;
    this.interruptedByShutdown = interruptedByShutdown;
    this.watchdog = watchdog;
  }

  /** Never throws: whatever happens becomes a completion, so no task is stranded in RUNNING. */
  Completion run(ClaimedTask claimed, String workerId) {
    try {
      return attempt(claimed, workerId);
    } catch (Throwable e) {
      return new Completion.Fail(claimed.ref(), truncate("Party failed to run the task: " + errorText(e)));
    }
  }

  /**
   * Runs the handler under its type's timeout. Once the deadline passed, the outcome is the
   * timeout, whatever the handler returned or threw afterwards: it may have ignored the interrupt.
   */
  private Completion attempt(ClaimedTask claimed, String workerId) {
    HandlerRegistry.Registered<?> registered = registry.require(claimed.task().handler());
    Duration timeout = registered.type().timeout();
    // Past the deadline the run stops extending its lease: a handler that never returns is then
    // taken back when the lease expires, like any hung run.
    InFlight.Hold hold = services.inFlight().hold(claimed.ref());
    if (hold != null && !hold.start()) return lapsed(claimed);
    Watchdog.Watch watch = watchdog.watch(timeout, () -> services.inFlight().stopHeartbeats(claimed.ref()));
    Completion completion;
    boolean lapsed;
    try {
      completion = attemptWatched(claimed, registered, workerId, watch);
    } finally {
      lapsed = hold != null && hold.end();
      if (watch.end()) completion = null;
    }
    if (completion == null) {
      return retryOrFail(claimed, registered, "timed out after %s (the timeout of task type '%s')"
          .formatted(text(timeout), registered.type().name()), null);
    }
    // Whatever the handler returned once told it was cancelled is no outcome: it may have stopped
    // half way. The task goes back unless another node took it (then the store fences this write).
    return lapsed ? lapsed(claimed) : completion;
  }

  private static Completion lapsed(ClaimedTask claimed) {
    return new Completion.Release(claimed.ref(),
        "its lease ran out on this worker before a heartbeat could renew it (the store was unreachable); "
            + "stopped here, back to the queue, the attempt not counted");
  }

  private Completion attemptWatched(ClaimedTask claimed, HandlerRegistry.Registered<?> registered,
      String workerId, Watchdog.Watch watch) {
    try {
      return runBound(claimed, registered, workerId, watch);
    } catch (JsonProcessingException e) {
      // The data no longer fits the handler's type: retrying cannot help, and the original bytes
      // stay stored so the task can be retried after a fix.
      return new Completion.Fail(
          claimed.ref(),
          "data does not bind to " + registered.dataType().getSimpleName() + ": " + e.getOriginalMessage());
    } catch (Throwable e) {
      // Any throwable, Errors included: a handler bug must never kill a worker thread. A failure
      // caused by the shutdown (the engine's interrupt, however the handler wrapped it, or the
      // handler's own InterruptedException once it saw isCancelled()) is not the task's fault.
      boolean interrupted = e instanceof InterruptedException;
      if (interrupted) Thread.currentThread().interrupt();
      if (interruptedByShutdown.getAsBoolean() || (interrupted && services.stopping().getAsBoolean())) {
        return new Completion.Release(claimed.ref(), "worker stopped during the run");
      }
      return retryOrFail(claimed, registered, errorText(e), null);
    }
  }

  private <D> Completion runBound(ClaimedTask claimed, HandlerRegistry.Registered<D> registered,
      String workerId, Watchdog.Watch watch) throws Exception {
    D data = Json.bind(claimed.task().data(), registered.dataType());
    var context = new RunContext<>(claimed, data, workerId, clock.instant(), services, watch::timedOut);
    Outcome outcome = registered.handler().run(context);
    return switch (outcome) {
      case Outcome.Done done -> new Completion.Finish(claimed.ref(), resultJson(done.result()), List.of());
      case Outcome.Then then -> {
        NewTask next = factory.prepare(then.next());
        yield new Completion.Finish(claimed.ref(), resultJson(then.result()), List.of(next));
      }
      case Outcome.RetryAt retry -> retryOrFail(claimed, registered, retry.reason(), retry.when());
      case Outcome.GiveUp giveUp -> new Completion.Fail(claimed.ref(), truncate(giveUp.reason()));
      case null -> new Completion.Finish(claimed.ref(), null, List.of());
    };
  }

  private Completion retryOrFail(
      ClaimedTask claimed, HandlerRegistry.Registered<?> registered, String error, Instant at) {
    TaskView task = claimed.task();
    if (task.attempts() >= task.maxAttempts()) {
      return new Completion.Fail(
          claimed.ref(), truncate("failed %d of %d attempts; last error: %s"
              .formatted(task.attempts(), task.maxAttempts(), error)));
    }
    Duration delay = at == null ? registered.type().backoff().delay(task.attempts(), random) : null;
    return new Completion.Retry(claimed.ref(), at, delay, truncate(error));
  }

  /** "200 ms", "90 s", "PT2H": short durations as people write them, longer ones in ISO-8601. */
  static String text(Duration duration) {
    if (duration.compareTo(Duration.ofSeconds(10)) < 0) return duration.toMillis() + " ms";
    if (duration.compareTo(Duration.ofMinutes(10)) < 0 && duration.toMillisPart() == 0) return duration.toSeconds() + " s";
    return duration.toString();
  }

  private static String resultJson(Object result) {
    return result == null ? null : Json.write(result);
  }

  static String errorText(Throwable error) {
    StringWriter text = new StringWriter();
    error.printStackTrace(new PrintWriter(text));
    return truncate(text.toString());
  }

  static String truncate(String text) {
    if (text == null || text.length() <= MAX_ERROR_LENGTH) return text;
    return text.substring(0, MAX_ERROR_LENGTH) + "\n… (truncated)";
  }
}
