package dev.party.schedule;

import dev.party.task.SingletonPolicy;
import dev.party.task.TaskId;
import java.time.Instant;

/**
 * A stored schedule as it stands.
 *
 * @param nextRunAt the next period to fire (paused schedules move it on without firing)
 * @param lastRunOn the period its latest task was stored for; null before the first
 * @param lastTaskId that task; null before the first
 * @param singletonKey for a singleton handler, the key its tasks are stored with; null otherwise
 */
public record ScheduleView(
    String name,
    String handler,
    String queue,
    String data,
    int priority,
    int maxAttempts,
    Recurrence recurrence,
    Misfire misfire,
    Overlap overlap,
    String singletonKey,
    SingletonPolicy singletonPolicy,
    boolean paused,
    Instant nextRunAt,
    Instant lastRunOn,
    TaskId lastTaskId,
    Instant createdAt) {}
