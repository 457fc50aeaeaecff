package dev.party.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A task as the server shows it. {@code state} is SCHEDULED or ENQUEUED for a waiting task, else
 * RUNNING, FINISHED, FAILED or CANCELLED; {@code worker} holds it while RUNNING. {@code log} is
 * filled by {@link PartyClient#task} and empty in listings. {@code batchKey} shows while the task
 * waits and is null once it started (a started task covers no more requests).
 *
 * <p>A handler may hand its work over to a continuation, a new task: {@code continuedBy} names it,
 * {@code continues} the task a continuation carries on from, and {@code lastStep} the newest step of
 * the continuation (filled by {@link PartyClient#task}, null in listings and for a task in none).
 * {@link PartyClient#awaitWork} follows them to the end.
 */
public record TaskInfo(
    String id,
    String party,
    String queue,
    String state,
    JsonNode data,
    Instant timestamp,
    Instant createdAt,
    int attempts,
    int maxAttempts,
    Instant lastRunOn,
    int priority,
    int progress,
    JsonNode result,
    String error,
    String uniqueKey,
    String instanceKey,
    String singletonKey,
    String limitKey,
    String batchKey,
    String worker,
    Instant leaseExpiresAt,
    Instant finishedAt,
    String location,
    String continues,
    String continuedBy,
    Step lastStep,
    List<LogLine> log) {

  public TaskInfo {
    log = log == null ? List.of() : List.copyOf(log);
  }

  /** One line of a task's log: a state change, or a line its handler wrote. */
  public record LogLine(Instant at, String from, String to, String worker, String message) {}

  /** A step of a continuation: its id, its state as {@code state} above, and its location. */
  public record Step(String id, String state, String location) {}

  /** True once the task can never run again. */
  public boolean isFinal() {
    return switch (state) {
      case "FINISHED", "FAILED", "CANCELLED" -> true;
      default -> false;
    };
  }

  /**
   * Where the work this task is part of goes on once this task is final: the newest step of its
   * continuation when that is another task, else the task that continued it; null when the work
   * ended with this task.
   */
  public String nextStep() {
    if (continuedBy == null) return null;
    return lastStep != null && !lastStep.id().equals(id) ? lastStep.id() : continuedBy;
  }
}
