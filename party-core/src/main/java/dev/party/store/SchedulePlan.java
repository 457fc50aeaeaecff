package dev.party.store;

import dev.party.schedule.Misfire;
import dev.party.schedule.Overlap;
import dev.party.schedule.Recurrence;
import dev.party.schedule.ScheduleView;
import dev.party.task.TaskId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

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
    if (schedule.overlap() == Overlap.SKIP && previousUnfinished) {
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

  /** The schedule's task for one period; {@code runAt} null means the store's now. */
  public static NewTask task(ScheduleView schedule, TaskId id, Instant runAt, Instant lastRunOn) {
    return new NewTask(id, schedule.handler(), schedule.queue(), schedule.data(), schedule.priority(),
        runAt, null, schedule.maxAttempts(), null, lastRunOn);
  }
}
