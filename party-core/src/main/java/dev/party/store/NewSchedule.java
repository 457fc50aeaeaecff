package dev.party.store;

import dev.party.schedule.Misfire;
import dev.party.schedule.Overlap;
import dev.party.schedule.Recurrence;
import dev.party.task.SingletonPolicy;
import java.time.Instant;
import java.util.Objects;

/**
 * A schedule ready to store: named, checked against the registry, its first period chosen.
 *
 * @param now a pinned clock, or null for the store's
 */
public record NewSchedule(
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
    Instant firstRunAt,
    Instant now) {

  /** Whether {@code other} defines the same schedule (its times and state aside). */
  public boolean sameDefinition(dev.party.schedule.ScheduleView other) {
    return handler.equals(other.handler()) && queue.equals(other.queue()) && data.equals(other.data())
        && priority == other.priority() && maxAttempts == other.maxAttempts()
        && recurrence.equals(other.recurrence()) && misfire == other.misfire() && overlap == other.overlap()
        && Objects.equals(singletonKey, other.singletonKey()) && singletonPolicy == other.singletonPolicy();
  }
}
