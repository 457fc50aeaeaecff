package dev.party.store;

import dev.party.task.TaskId;
import java.time.Instant;
import java.util.List;

/**
 * What a {@link FireSchedules} call did.
 *
 * @param stored the tasks stored, for every schedule fired
 * @param skipped periods skipped because the previous run had not ended
 * @param nextDue the earliest next period of any schedule after this call; null when there is none
 */
public record FiredSchedules(List<TaskId> stored, int skipped, Instant nextDue) {}
