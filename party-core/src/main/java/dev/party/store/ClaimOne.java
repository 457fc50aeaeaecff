package dev.party.store;

import dev.party.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Claims one PENDING task by id for {@code owner}, whether or not it is due yet (the seeds' "run it
 * now" back door). Nothing happens to a task in any other state. A task of a limited handler
 * ({@code limits}, as in {@link Claim#limits}) whose limit is reached is refused with {@code
 * TaskConflictException}; its start counts against its rate limit like any other.
 */
public record ClaimOne(TaskId id, String owner, Duration lease, Instant now, Map<String, Limits> limits) {
  public ClaimOne {
    limits = Map.copyOf(Objects.requireNonNull(limits, "limits"));
  }
}
