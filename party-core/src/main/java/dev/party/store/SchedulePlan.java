package dev.party.store;

import dev.party.schedule.Misfire;
import dev.party.schedule.Overlap;
import dev.party.schedule.Recurrence;
import dev.party.schedule.ScheduleView;
import dev.party.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What firing one due schedule does, decided the same way by every store inside its locked
 * transaction: which tasks to store, and where the schedule goes next.
 *
 * @param tasks to insert with the schedule's update; empty when the periods are skipped or paused
 * @param nextRunAt the schedule's next period, after {@code now} unless a catch-up was cut short
 * @param lastRunOn the period of the last task stored (unchanged when none)
 * @param lastTaskId that task (unchanged when none)
 * @param skipped periods skipped because the previous run had not ended
 */
public record SchedulePlan(List<NewTask> tasks, Instant nextRunAt, Instant lastRunOn, TaskId lastTaskId, int skipped) {
  private static final Logger log = LoggerFactory.getLogger(SchedulePlan.class);
  /** How long a schedule that cannot be planned waits, paused, before it is tried again. */
  static final Duration SHELVED_FOR = Duration.ofDays(1);

  /**
   * A stored schedule this node cannot plan (a time zone its JVM does not know, a cron expression
   * that never fires again) is paused and tried again a day later, so that it holds up no other
   * schedule; says so in the log. Returns its new next period.
   */
  public static Instant shelve(String name, Instant now, RuntimeException why) {
    log.error("schedule '{}' cannot be fired, so it is paused and tried again in a day; fix or unschedule it: {}",
        name, why.toString());
    return now.plus(SHELVED_FOR);
  }

  /**
   * @param previousUnfinished whether the task of the schedule's last firing is still PENDING or RUNNING
   */
  public static SchedulePlan of(ScheduleView schedule, Instant now, boolean previousUnfinished,
      Supplier<TaskId> ids, int catchUpLimit) {
    Recurrence recurrence = schedule.recurrence();
    Instant due = schedule.nextRunAt();
    if (schedule.paused()) {
      return new SchedulePlan(List.of(), recurrence.nextAfter(due, now), schedule.lastRunOn(), schedule.lastTaskId(), 0);
    }
    List<Instant> periods = new ArrayList<>();
    Instant next;
    if (schedule.misfire() == Misfire.CATCH_UP) {
      Instant period = due;
      while (!period.isAfter(now) && periods.size() < catchUpLimit) {
        periods.add(period);
        period = recurrence.nextAfter(period, period);
      }
      next = period;
    } else {
      Instant latest = recurrence.latest(due, now);
      periods.add(latest);
      next = recurrence.nextAfter(latest, now);
    }
    // Catch-up means every period runs, so its backlog is not thinned by the overlap rule (it
    // would skip all but the first of the periods it stores, and any left for the next call).
    if (schedule.overlap() == Overlap.SKIP && previousUnfinished && schedule.misfire() != Misfire.CATCH_UP) {
      return new SchedulePlan(List.of(), next, schedule.lastRunOn(), schedule.lastTaskId(), periods.size());
    }
    List<NewTask> tasks = new ArrayList<>(periods.size());
    Instant lastRunOn = schedule.lastRunOn();
    for (Instant period : periods) {
      tasks.add(task(schedule, ids.get(), period, lastRunOn));
      lastRunOn = period;
    }
    return new SchedulePlan(tasks, next, lastRunOn, tasks.getLast().id(), 0);
  }

  /** Where a schedule resumed at {@code now} goes next: its next period, or the first after now when that one passed. */
  public static Instant resumedAt(ScheduleView schedule, Instant now) {
    if (schedule.nextRunAt().isAfter(now)) return schedule.nextRunAt();
    try {
      return schedule.recurrence().nextAfter(schedule.nextRunAt(), now);
    } catch (RuntimeException unplannable) {
      return schedule.nextRunAt(); // the next firing shelves it, and says why
    }
  }

  /** The schedule's task for one period; {@code runAt} null means the store's now. */
  public static NewTask task(ScheduleView schedule, TaskId id, Instant runAt, Instant lastRunOn) {
    return new NewTask(id, schedule.handler(), schedule.queue(), schedule.data(), schedule.priority(),
        runAt, null, schedule.maxAttempts(), null, lastRunOn, null, schedule.singletonKey(), schedule.singletonPolicy());
  }
}
