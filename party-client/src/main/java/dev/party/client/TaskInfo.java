package dev.party.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A task as the server shows it. {@code state} is SCHEDULED or ENQUEUED for a waiting task, else
 * RUNNING, FINISHED, FAILED or CANCELLED; {@code worker} holds it while RUNNING. {@code log} is
 * filled by {@link PartyClient#task} and empty in listings. {@code batchKey} shows while the task
 * waits and is null once it started (a started task covers no more requests).
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
    List<LogLine> log) {

  public TaskInfo {
    log = log == null ? List.of() : List.copyOf(log);
  }

  /** One line of a task's log: a state change, or a line its handler wrote. */
  public record LogLine(Instant at, String from, String to, String worker, String message) {}

  /** True once the task can never run again. */
  public boolean isFinal() {
    return switch (state) {
      case "FINISHED", "FAILED", "CANCELLED" -> true;
      default -> false;
    };
  }
}
