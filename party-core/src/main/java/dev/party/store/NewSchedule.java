package dev.party.store;

import dev.party.error.TaskConflictException;
import dev.party.schedule.Misfire;
import dev.party.schedule.Overlap;
import dev.party.schedule.Recurrence;
import dev.party.schedule.Schedule;
import dev.party.schedule.ScheduleView;
import dev.party.task.SingletonPolicy;
import dev.party.task.TaskRequest;
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

  /**
   * Whether {@code other} stores this schedule's task: the same handler and the same data, compared
   * as JSON ({@link Schedule#canonicalData}), whatever the names.
   */
  public boolean sameTask(ScheduleView other) {
    return handler.equals(other.handler()) && Schedule.canonicalData(data).equals(Schedule.canonicalData(other.data()));
  }

  /**
   * The unique key an unfinished recurring class-style task of this handler and data holds; see
   * {@link dev.party.engine.TaskFactory#prepare}.
   */
  public String recurringKey() {
    return TaskStore.RECURRING_KEY_PREFIX + Schedule.nameFor(TaskRequest.of(handler).withDataJson(data));
  }

  /** The conflict when {@code twin} already stores this schedule's task. */
  public TaskConflictException twinOf(ScheduleTwin twin) {
    return new TaskConflictException(("%s already stores '%s' tasks with this data (one recurring task per handler and"
        + " data); %s first, or give this schedule other data").formatted(twin.describe(), handler, twin.makeRoom()));
  }

  /** Whether {@code other} defines the same schedule (its times and state aside). */
  public boolean sameDefinition(ScheduleView other) {
    return handler.equals(other.handler()) && queue.equals(other.queue()) && data.equals(other.data())
        && priority == other.priority() && maxAttempts == other.maxAttempts()
        && recurrence.equals(other.recurrence()) && misfire == other.misfire() && overlap == other.overlap()
        && Objects.equals(singletonKey, other.singletonKey()) && singletonPolicy == other.singletonPolicy();
  }
}
