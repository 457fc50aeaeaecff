package dev.party.task;

import java.time.Instant;

/** What a run of a handler asks for. An exception thrown by a handler is a retryable failure. */
public sealed interface Outcome {

  /** Finished; {@code result} (any value Jackson writes, or null) is stored as JSON. */
  record Done(Object result) implements Outcome {}

  /** Run again at {@code when}; counts as an attempt, so it ends in FAILED after maxAttempts. */
  record RetryAt(Instant when, String reason) implements Outcome {}

  /** A permanent failure: FAILED now, no further attempts. */
  record GiveUp(String reason) implements Outcome {}

  /** Finished, and {@code next} is stored in the same transaction (a continuation). */
  record Then(Object result, TaskRequest next) implements Outcome {}

  static Outcome done() {
    return new Done(null);
  }

  static Outcome done(Object result) {
    return new Done(result);
  }

  static Outcome retryAt(Instant when, String reason) {
    return new RetryAt(when, reason);
  }

  static Outcome giveUp(String reason) {
    return new GiveUp(reason);
  }

  static Outcome then(TaskRequest next) {
    return new Then(null, next);
  }
}
