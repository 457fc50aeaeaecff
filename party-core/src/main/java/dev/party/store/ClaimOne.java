package dev.party.store;

import dev.party.task.TaskId;
import java.time.Duration;
import java.time.Instant;

/**
 * Claims one PENDING task by id for {@code owner}, whether or not it is due yet (the seeds' "run it
 * now" back door). Nothing happens to a task in any other state.
 */
public record ClaimOne(TaskId id, String owner, Duration lease, Instant now) {}
