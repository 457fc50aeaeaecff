package dev.party.store;

import dev.party.task.TaskId;
import java.time.Instant;

public record Cancel(TaskId id, String reason, Instant now) {}
