package dev.party;

import dev.party.engine.HandlerRegistry;
import dev.party.engine.ScheduleFirer;
import dev.party.engine.TaskFactory;
import dev.party.error.InvalidTaskException;
import dev.party.error.ScheduleNotFoundException;
import dev.party.error.TaskConflictException;
import dev.party.schedule.Schedule;
import dev.party.schedule.ScheduleView;
import dev.party.store.DeclaredSchedule;
import dev.party.store.FiredSchedules;
import dev.party.store.NewSchedule;
import dev.party.store.ScheduleTwin;
import dev.party.store.TaskStore;
import dev.party.store.TriggerSchedule;
import dev.party.task.TaskId;
import dev.party.task.TaskRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recurring schedules: add, declare, remove, pause, resume, trigger, list. Every node's engine
 * fires them; each period fires once across all nodes. Get it from {@link Party#schedules()}.
 */
public final class Schedules {
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);

  private final TaskStore store;
  private final HandlerRegistry registry;
  private final TaskFactory factory;
  private final PartyClock clock;
  private final ScheduleFirer firer;

  Schedules(TaskStore store, HandlerRegistry registry, TaskFactory factory, PartyClock clock, ScheduleFirer firer) {
    this.store = store;
    this.registry = registry;
    this.factory = factory;
    this.clock = clock;
    this.firer = firer;
  }

  /**
   * Stores a new schedule; its first period is the first after now.
   *
   * @throws dev.party.error.TaskConflictException when a schedule of that name exists, or its task
   *     (handler and data, compared as JSON, key order aside) is already stored by a schedule of
   *     another name or by an unfinished recurring class-style task: the seeds' rule, one recurring
   *     task per handler and data
   * @throws dev.party.error.UnknownHandlerException when no handler of that name is registered here
   */
  public ScheduleView add(Schedule schedule) {
    store.addSchedule(prepare(schedule));
    firer.wake();
    return get(schedule.name()).orElseThrow(() -> new ScheduleNotFoundException(schedule.name()));
  }

  /**
   * Stores the schedule, or brings the stored one of that name up to this definition; a stored
   * one that is the same is left as it is, paused or not. For schedules declared in code or
   * config, which every start declares again. Returns true when anything changed.
   *
   * <p>When a schedule of another name, or an unfinished recurring class-style task, already
   * stores its task (one recurring task per handler and data), nothing is declared and one WARN
   * names both: that one goes on storing the task. Earlier versions let such a twin be added, and
   * a start must not fail over it.
   */
  public boolean declare(Schedule schedule) {
    boolean changed = declare(prepare(schedule));
    if (changed) firer.wake();
    return changed;
  }

  /**
   * Declares every schedule, after checking them all (handlers, periods, names or handler and data
   * given twice), so a bad one among them declares none. One whose task a stored twin already
   * stores is skipped with a WARN, as {@link #declare} does.
   */
  public void declareAll(List<Schedule> schedules) {
    Set<String> names = new HashSet<>();
    Map<String, String> tasks = new HashMap<>();
    for (Schedule schedule : schedules) {
      if (!names.add(schedule.name())) {
        throw InvalidTaskException.invalid("two schedules are named '%s'; a name holds one schedule".formatted(schedule.name()));
      }
      String task = schedule.task().handler() + " " + Schedule.canonicalData(schedule.task().data());
      String twin = tasks.putIfAbsent(task, schedule.name());
      if (twin != null) {
        throw new TaskConflictException(("schedules '%s' and '%s' both store '%s' tasks with the same data; one recurring"
            + " task per handler and data").formatted(twin, schedule.name(), schedule.task().handler()));
      }
    }
    List<NewSchedule> prepared = schedules.stream().map(this::prepare).toList();
    boolean changed = false;
    for (NewSchedule schedule : prepared) changed |= declare(schedule);
    if (changed) firer.wake();
  }

  private boolean declare(NewSchedule schedule) {
    DeclaredSchedule declared = store.declareSchedule(schedule);
    ScheduleTwin twin = declared.skippedFor();
    if (twin != null) {
      log.warn("schedule '{}' is not declared: {} already stores '{}' tasks with this data (one recurring task per"
          + " handler and data) and goes on storing them; {} to have '{}' declared on the next start",
          schedule.name(), twin.describe(), schedule.handler(), twin.makeRoom(), schedule.name());
    }
    return declared.changed();
  }

  /** Removes the schedule; tasks it already stored stay. A no-op, returning false, when there is none. */
  public boolean unschedule(String name) {
    return store.removeSchedule(name);
  }

  /** Periods pass without firing until {@link #resume}. */
  public ScheduleView pause(String name) {
    return store.pauseSchedule(name, true, clock.pinned()).orElseThrow(() -> new ScheduleNotFoundException(name));
  }

  /** Fires again from the next period; the periods missed while paused are not fired. */
  public ScheduleView resume(String name) {
    ScheduleView resumed = store.pauseSchedule(name, false, clock.pinned()).orElseThrow(() -> new ScheduleNotFoundException(name));
    firer.wake();
    return resumed;
  }

  /** Stores the schedule's task now, outside its periods (paused or not); the next period stays. */
  public TaskId trigger(String name) {
    TaskId id = store.triggerSchedule(new TriggerSchedule(name, factory.newId(), clock.pinned()))
        .orElseThrow(() -> new ScheduleNotFoundException(name));
    firer.announce(List.of(id));
    return id;
  }

  public Optional<ScheduleView> get(String name) {
    return store.schedule(name);
  }

  /** Every schedule, by name. */
  public List<ScheduleView> list() {
    return store.schedules();
  }

  /** Fires what is due now on the calling thread; for tests and tools. */
  public FiredSchedules fireDue() {
    return firer.fireOnce();
  }

  private NewSchedule prepare(Schedule schedule) {
    TaskRequest task = schedule.task();
    var type = registry.require(task.handler()).type();
    int maxAttempts = task.maxAttempts() != null ? task.maxAttempts() : type.maxAttempts();
    // Whole milliseconds: task times are stored to the millisecond, so the periods must be too.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    if (task.singletonKey() != null && type.singleton() == null) {
      throw InvalidTaskException.invalid("singletonKey '%s' given for '%s', which is not a singleton handler"
          .formatted(task.singletonKey(), task.handler()));
    }
    // Stored with the schedule, so each period's task is a singleton as an enqueued one would be.
    String singletonKey = type.singleton() == null ? null
        : task.singletonKey() != null ? task.singletonKey() : task.handler();
    return new NewSchedule(schedule.name(), task.handler(), task.queue(), task.data(), task.priority(), maxAttempts,
        schedule.recurrence(), schedule.misfire(), schedule.overlap(), singletonKey, type.singleton(),
        schedule.recurrence().nextAfter(now, now), clock.pinned());
  }
}
