package dev.party.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.party.CleanupConfig;
import dev.party.Party;
import dev.party.PartyBuilder;
import dev.party.cleanup.TaskCleanup;
import dev.party.error.InvalidTaskException;
import dev.party.error.ScheduleNotFoundException;
import dev.party.error.TaskConflictException;
import dev.party.error.UnknownHandlerException;
import dev.party.schedule.Misfire;
import dev.party.schedule.Overlap;
import dev.party.schedule.Schedule;
import dev.party.schedule.ScheduleView;
import dev.party.store.FiredSchedules;
import dev.party.store.TaskStore;
import dev.party.task.Outcome;
import dev.party.task.TaskId;
import dev.party.task.TaskQuery;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import dev.party.task.TaskType;
import dev.party.task.SingletonPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import dev.party.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Recurring schedules over a real store, on a {@link MutableClock}: each period fires once (across
 * several nodes too), misfires fire once or catch up, overlapping periods are skipped, and pause,
 * resume, trigger and the seeds' uniqueness rule hold.
 */
public abstract class ScheduleContract extends StoreContract {
  private static final Instant START = Instant.parse("2027-01-04T10:00:00Z");

  protected final MutableClock clock = new MutableClock(START);
  private final List<AutoCloseable> closing = new ArrayList<>();

  /** Another store object over the same data: another node's connection pool, another process's file handle. */
  protected abstract TaskStore openSameStore() throws Exception;

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closing.reversed()) c.close();
  }

  /**
   * Writes a time zone this JVM does not know into the stored schedule, as a row written by a
   * newer JVM (or by hand) may hold.
   */
  protected abstract void corruptZone(String schedule) throws Exception;

  protected PartyBuilder builder(TaskStore on, String workerId) {
    return Party.builder(on).clock(clock).random(new SplittableRandom(workerId.hashCode())).workerId(workerId)
        .pollInterval(Duration.ofMillis(50))
        .handlers(h -> h.handler("report", context -> Outcome.done()).handler("other", context -> Outcome.done()));
  }

  protected Party party() {
    return party(builder(store, "node-1"));
  }

  protected Party party(PartyBuilder builder) {
    Party party = builder.build();
    closing.add(party);
    return party;
  }

  private List<TaskView> tasks(Party party) {
    List<TaskView> tasks = new ArrayList<>(party.tasks(TaskQuery.all().limit(TaskQuery.MAX_LIMIT)));
    tasks.sort(Comparator.comparing(TaskView::runAt));
    return tasks;
  }

  // ---- intervals and the first period ----------------------------------------------------------

  @Test
  void an_interval_schedule_fires_once_per_period_with_its_timestamp_and_last_run_on() {
    Party party = party();
    ScheduleView added = party.schedule(Schedule.every("10 minutes", TaskRequest.of("report", Map.of("to", "ops"))));
    assertThat(added.name()).startsWith("report#");
    assertThat(added.nextRunAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));

    assertThat(party.schedules().fireDue().stored()).as("nothing is due yet").isEmpty();
    clock.advance(Duration.ofMinutes(10));
    assertThat(party.schedules().fireDue().stored()).hasSize(1);
    assertThat(party.schedules().fireDue().stored()).as("a period fires once").isEmpty();
    assertThat(party.runDue()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(10));
    party.schedules().fireDue();

    List<TaskView> tasks = tasks(party);
    assertThat(tasks).extracting(TaskView::runAt)
        .containsExactly(START.plus(Duration.ofMinutes(10)), START.plus(Duration.ofMinutes(20)));
    assertThat(tasks).extracting(TaskView::lastRunOn).containsExactly(null, START.plus(Duration.ofMinutes(10)));
    assertThat(tasks.getFirst().data()).isEqualTo("{\"to\":\"ops\"}");
    ScheduleView now = party.schedules().get(added.name()).orElseThrow();
    assertThat(now.lastRunOn()).isEqualTo(START.plus(Duration.ofMinutes(20)));
    assertThat(now.lastTaskId()).isEqualTo(tasks.getLast().id());
    assertThat(now.nextRunAt()).isEqualTo(START.plus(Duration.ofMinutes(30)));
  }

  @Test
  void periods_are_whole_milliseconds_like_task_times_whatever_the_clock_reads() {
    clock.set(START.plusNanos(123_456_789));
    Party party = party();
    ScheduleView added = party.schedule(Schedule.every("1 minute", TaskRequest.of("report")).named("ms"));
    assertThat(added.nextRunAt()).isEqualTo(START.plusMillis(60_123));
    clock.advance(Duration.ofMinutes(1));
    TaskId fired = party.schedules().fireDue().stored().getFirst();
    assertThat(party.task(fired).orElseThrow().runAt()).isEqualTo(party.schedules().get("ms").orElseThrow().lastRunOn());
  }

  // ---- uniqueness ------------------------------------------------------------------------------

  @Test
  void one_schedule_per_handler_and_data_or_per_name_and_unschedule_of_none_is_a_no_op() {
    Party party = party();
    party.schedule(Schedule.every("1 hour", TaskRequest.of("report", Map.of("a", 1, "b", 2))));
    assertThatThrownBy(() -> party.schedule(Schedule.every("5 minutes", TaskRequest.of("report").withDataJson("{\"b\":2,\"a\":1}"))))
        .isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("already exists");
    party.schedule(Schedule.every("1 hour", TaskRequest.of("report", Map.of("a", 2))));
    party.schedule(Schedule.every("1 hour", TaskRequest.of("report")).named("hourly"));
    assertThatThrownBy(() -> party.schedule(Schedule.every("1 hour", TaskRequest.of("other")).named("hourly")))
        .isInstanceOf(TaskConflictException.class);
    assertThat(party.schedules().list()).hasSize(3);

    assertThat(party.unschedule("hourly")).isTrue();
    assertThat(party.unschedule("hourly")).isFalse();
    assertThat(party.unschedule("never-was")).isFalse();
    assertThat(party.schedules().list()).hasSize(2);
  }

  @Test
  void a_name_is_no_way_around_one_schedule_per_handler_and_data() {
    Party party = party();
    party.schedule(Schedule.every("1 hour", TaskRequest.of("report", Map.of("a", 1, "b", 2))));
    assertThatThrownBy(() -> party.schedule(Schedule.every("5 minutes",
        TaskRequest.of("report").withDataJson("{ \"b\": 2, \"a\": 1 }")).named("fast-report")))
        .isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("schedule '" + Schedule.nameFor(TaskRequest.of("report", Map.of("a", 1, "b", 2))) + "'")
        .hasMessageContaining("one recurring task per handler and data");
    assertThat(party.schedules().declare(Schedule.every("1 hour",
        TaskRequest.of("report", Map.of("b", 2, "a", 1))).named("declared-report")))
        .as("declaring, as a start does, skips it (with a WARN) instead").isFalse();
    assertThat(party.schedules().get("declared-report")).isEmpty();

    party.schedule(Schedule.every("1 hour", TaskRequest.of("report")).named("hourly"));
    assertThatThrownBy(() -> party.schedule(Schedule.every("1 day", TaskRequest.of("report")).named("daily")))
        .isInstanceOf(TaskConflictException.class).hasMessageContaining("schedule 'hourly'");
    assertThat(party.schedules().declare(Schedule.every("1 day", TaskRequest.of("report", Map.of("a", 1, "b", 2)))
        .named("hourly"))).as("redefining one into another's task is skipped").isFalse();
    assertThat(party.schedules().get("hourly").orElseThrow().data()).isEqualTo("{}");
    assertThat(party.schedules().declare(Schedule.every("1 hour", TaskRequest.of("report")).named("hourly")))
        .as("the same name declared again is the same schedule").isFalse();
    party.schedule(Schedule.every("1 hour", TaskRequest.of("other")).named("other-hourly"));
    assertThat(party.schedules().list()).extracting(ScheduleView::name)
        .containsExactlyInAnyOrder(Schedule.nameFor(TaskRequest.of("report", Map.of("a", 1, "b", 2))), "hourly", "other-hourly");
  }

  @Test
  void a_start_skips_a_declared_schedule_whose_task_a_stored_schedule_of_another_name_already_stores() {
    // Added when that was allowed, beside the cleanup's own schedule and a declared one.
    Party earlier = party();
    earlier.schedule(Schedule.every("1 day", TaskRequest.of(TaskCleanup.NAME)).named("mycleanup"));
    earlier.schedule(Schedule.every("1 day", TaskRequest.of("report", Map.of("a", 1))).named("my-report"));

    Party upgraded = party(builder(store, "node-2").cleanup(CleanupConfig.defaults())
        .schedule(Schedule.every("1 hour", TaskRequest.of("report", Map.of("a", 1))).named("report-hourly"))
        .schedule(Schedule.every("1 hour", TaskRequest.of("other")).named("other-hourly")));
    upgraded.start();

    assertThat(upgraded.schedules().list()).extracting(ScheduleView::name)
        .as("the twins stay as they were; the rest is declared")
        .containsExactlyInAnyOrder("mycleanup", "my-report", "other-hourly");
    assertThat(upgraded.schedules().get("my-report").orElseThrow().recurrence().spec()).isEqualTo("PT24H");
    assertThatThrownBy(() -> upgraded.schedule(Schedule.every("1 hour", TaskRequest.of(TaskCleanup.NAME)).named("cleanup2")))
        .as("adding one stays refused").isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("schedule 'mycleanup' already stores 'TaskCleanup' tasks");
  }

  @Test
  void a_schedule_may_not_store_the_task_of_an_unfinished_recurring_class_style_task() {
    Party party = party(builder(store, "node-1").handlers(h -> h.task("Tick", EngineContract.Every30Minutes::new)));
    TaskId tick = party.enqueue(TaskRequest.of("Tick", Map.of("a", 1)));

    assertThatThrownBy(() -> party.schedule(Schedule.every("3 hours",
        TaskRequest.of("Tick").withDataJson("{\"a\": 1}")).named("h")))
        .isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("recurring class-style task '" + tick.value() + "' already stores 'Tick' tasks")
        .hasMessageContaining("one recurring task per handler and data");
    assertThat(party.schedules().list()).isEmpty();
    assertThat(party.schedules().declare(Schedule.every("3 hours", TaskRequest.of("Tick", Map.of("a", 1))).named("h")))
        .as("a declaration is skipped instead").isFalse();
    assertThat(party.schedules().list()).isEmpty();

    party.schedule(Schedule.every("3 hours", TaskRequest.of("Tick", Map.of("a", 2))).named("other-data"));
    assertThat(party.cancel(tick).state()).isEqualTo(TaskState.CANCELLED);
    party.schedule(Schedule.every("3 hours", TaskRequest.of("Tick", Map.of("a", 1))).named("h"));
    assertThat(party.schedules().list()).extracting(ScheduleView::name).containsExactly("h", "other-data");
  }

  @Test
  void a_bad_schedule_is_refused_and_stores_nothing() {
    Party party = party();
    assertThatThrownBy(() -> party.schedule(Schedule.every("1 hour", TaskRequest.of("nobody"))))
        .isInstanceOf(UnknownHandlerException.class);
    assertThatThrownBy(() -> Schedule.every("soon", TaskRequest.of("report"))).isInstanceOf(InvalidTaskException.class);
    assertThatThrownBy(() -> Schedule.every("100 ms", TaskRequest.of("report"))).isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("at least 1 second");
    assertThatThrownBy(() -> Schedule.cron("61 * * * *", TaskRequest.of("report"))).isInstanceOf(InvalidTaskException.class);
    assertThatThrownBy(() -> Schedule.cron("* * *", TaskRequest.of("report"))).isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("needs 5");
    assertThatThrownBy(() -> Schedule.every("1 hour", TaskRequest.of("report").runIn(Duration.ofMinutes(1))))
        .isInstanceOf(InvalidTaskException.class);
    assertThat(party.schedules().list()).isEmpty();
  }

  // ---- cron and daylight saving ----------------------------------------------------------------

  @Test
  void a_cron_schedule_keeps_its_local_time_across_daylight_saving_changes() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    clock.set(ZonedDateTime.of(2027, 3, 26, 12, 0, 0, 0, berlin).toInstant());
    Party party = party();
    party.schedule(Schedule.cron("0 9 * * *", berlin, TaskRequest.of("report")).named("morning"));
    // Spring forward on Sunday 28 March 2027 (02:00 -> 03:00), fall back on Sunday 31 October.
    for (int day = 0; day < 4; day++) {
      clock.advance(Duration.ofDays(1));
      party.schedules().fireDue();
      party.runDue();
    }
    assertThat(tasks(party)).extracting(task -> task.runAt().atZone(berlin).toLocalTime().toString())
        .containsExactly("09:00", "09:00", "09:00", "09:00");
    assertThat(tasks(party)).extracting(task -> task.runAt().toString()).containsExactly(
        "2027-03-27T08:00:00Z", "2027-03-28T07:00:00Z", "2027-03-29T07:00:00Z", "2027-03-30T07:00:00Z");
  }

  @Test
  void a_cron_time_that_happens_twice_when_clocks_go_back_fires_once() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    clock.set(ZonedDateTime.of(2027, 10, 30, 12, 0, 0, 0, berlin).toInstant());
    Party party = party();
    party.schedule(Schedule.cron("30 2 * * *", berlin, TaskRequest.of("report")).named("night"));
    for (int hour = 0; hour < 48; hour++) { // hour by hour, so each firing sees only its own period
      clock.advance(Duration.ofHours(1));
      party.schedules().fireDue();
      party.runDue();
    }
    assertThat(tasks(party)).extracting(task -> task.runAt().toString())
        .as("at the first 02:30 (CEST) only").containsExactly("2027-10-31T00:30:00Z", "2027-11-01T01:30:00Z");
  }

  @Test
  void a_cron_time_skipped_when_clocks_go_forward_fires_once_that_day() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    clock.set(ZonedDateTime.of(2027, 3, 27, 12, 0, 0, 0, berlin).toInstant());
    Party party = party();
    party.schedule(Schedule.cron("30 2 * * *", berlin, TaskRequest.of("report")).named("night"));
    for (int hour = 0; hour < 48; hour++) {
      clock.advance(Duration.ofHours(1));
      party.schedules().fireDue();
      party.runDue();
    }
    assertThat(tasks(party)).extracting(task -> task.runAt().atZone(berlin).toLocalDateTime().toString())
        .as("02:30 does not exist on the 28th: it runs when the gap ends").containsExactly("2027-03-28T03:30", "2027-03-29T02:30");
  }

  @Test
  void a_six_field_cron_fires_on_seconds() {
    Party party = party();
    party.schedule(Schedule.cron("*/15 * * * * *", TaskRequest.of("report")).named("quarter-minute").overlap(Overlap.ALLOW));
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(15));
      party.schedules().fireDue();
    }
    assertThat(tasks(party)).extracting(TaskView::runAt).containsExactly(
        START.plusSeconds(15), START.plusSeconds(30), START.plusSeconds(45), START.plusSeconds(60));
  }

  // ---- misfires --------------------------------------------------------------------------------

  @Test
  void after_three_hours_of_downtime_a_schedule_fires_once_for_the_latest_period() {
    Party party = party();
    party.schedule(Schedule.every("10 minutes", TaskRequest.of("report")).named("ten"));
    clock.advance(Duration.ofHours(3).plusMinutes(5));

    FiredSchedules fired = party.schedules().fireDue();
    assertThat(fired.stored()).hasSize(1);
    assertThat(tasks(party).getFirst().runAt()).isEqualTo(START.plus(Duration.ofHours(3)));
    assertThat(party.schedules().get("ten").orElseThrow().nextRunAt()).isEqualTo(START.plus(Duration.ofMinutes(190)));
    assertThat(party.schedules().fireDue().stored()).isEmpty();
  }

  @Test
  void with_catch_up_every_missed_period_fires_oldest_first() {
    Party party = party();
    party.schedule(Schedule.every("10 minutes", TaskRequest.of("report")).named("ten").misfire(Misfire.CATCH_UP));
    clock.advance(Duration.ofHours(3).plusMinutes(5));

    assertThat(party.schedules().fireDue().stored()).hasSize(18);
    List<TaskView> tasks = tasks(party);
    assertThat(tasks.getFirst().runAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
    assertThat(tasks.getLast().runAt()).isEqualTo(START.plus(Duration.ofHours(3)));
    assertThat(tasks.get(1).lastRunOn()).isEqualTo(tasks.getFirst().runAt());
  }

  @Test
  void catch_up_stores_every_missed_period_past_its_per_call_limit_and_past_an_unfinished_task() {
    Party party = party();
    party.schedule(Schedule.every("1 second", TaskRequest.of("report")).named("tick").misfire(Misfire.CATCH_UP));
    clock.advance(Duration.ofSeconds(1));
    assertThat(party.schedules().fireDue().stored()).hasSize(1); // stays PENDING: nothing runs here
    clock.advance(Duration.ofSeconds(1_500));

    assertThat(party.schedules().fireDue().stored()).as("the per-call limit").hasSize(1_000);
    assertThat(party.schedules().fireDue().stored()).as("the rest").hasSize(500);
    assertThat(party.schedules().get("tick").orElseThrow().lastRunOn()).isEqualTo(START.plusSeconds(1_501));
  }

  @Test
  void a_fire_once_misfire_across_a_daylight_saving_gap_lands_on_the_period_on_time_firing_would_use() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    clock.set(ZonedDateTime.of(2027, 3, 26, 12, 0, 0, 0, berlin).toInstant());
    Party party = party();
    party.schedule(Schedule.cron("30 2 * * *", berlin, TaskRequest.of("report")).named("night"));
    clock.set(ZonedDateTime.of(2027, 3, 28, 6, 0, 0, 0, berlin).toInstant()); // down since before the 27th's run

    assertThat(party.schedules().fireDue().stored()).hasSize(1);
    assertThat(tasks(party).getFirst().runAt().atZone(berlin).toLocalDateTime().toString()).isEqualTo("2027-03-28T03:30");
  }

  // ---- overlap ---------------------------------------------------------------------------------

  @Test
  void a_period_is_skipped_while_the_previous_run_has_not_ended_unless_overlap_is_allowed() {
    Party party = party();
    party.schedule(Schedule.every("1 minute", TaskRequest.of("report")).named("skip"));
    party.schedule(Schedule.every("1 minute", TaskRequest.of("other")).named("allow").overlap(Overlap.ALLOW));
    clock.advance(Duration.ofMinutes(1));
    assertThat(party.schedules().fireDue().stored()).hasSize(2);
    clock.advance(Duration.ofMinutes(1)); // nothing has run yet

    FiredSchedules second = party.schedules().fireDue();
    assertThat(second.stored()).hasSize(1);
    assertThat(second.skipped()).isEqualTo(1);
    assertThat(party.tasks(TaskQuery.all().handler("report"))).hasSize(1);

    party.runDue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(party.schedules().fireDue().stored()).hasSize(2);
    assertThat(party.tasks(TaskQuery.all().handler("report"))).hasSize(2);
  }

  // ---- controls --------------------------------------------------------------------------------

  @Test
  void a_paused_schedule_lets_its_periods_pass_and_resumes_without_firing_them() {
    Party party = party();
    party.schedule(Schedule.every("10 minutes", TaskRequest.of("report")).named("ten"));
    assertThat(party.schedules().pause("ten").paused()).isTrue();
    clock.advance(Duration.ofHours(1));
    assertThat(party.schedules().fireDue().stored()).isEmpty();

    ScheduleView resumed = party.schedules().resume("ten");
    assertThat(resumed.paused()).isFalse();
    assertThat(resumed.nextRunAt()).isAfter(clock.instant());
    assertThat(party.schedules().fireDue().stored()).isEmpty();
    clock.advance(Duration.ofMinutes(10));
    assertThat(party.schedules().fireDue().stored()).hasSize(1);

    assertThatThrownBy(() -> party.schedules().pause("nope")).isInstanceOf(ScheduleNotFoundException.class);
    assertThatThrownBy(() -> party.schedules().resume("nope")).isInstanceOf(ScheduleNotFoundException.class);
  }

  @Test
  void resume_does_not_fire_the_periods_missed_while_paused_even_when_no_node_moved_them_on() {
    Party party = party();
    party.schedule(Schedule.every("10 minutes", TaskRequest.of("report")).named("ten").misfire(Misfire.CATCH_UP));
    party.schedules().pause("ten");
    clock.advance(Duration.ofHours(3)); // no firing at all meanwhile

    ScheduleView resumed = party.schedules().resume("ten");
    assertThat(resumed.nextRunAt()).isEqualTo(START.plus(Duration.ofMinutes(190)));
    assertThat(party.schedules().fireDue().stored()).isEmpty();
  }

  @Test
  void trigger_stores_a_task_now_and_leaves_the_next_period_alone() {
    Party party = party();
    ScheduleView added = party.schedule(Schedule.every("1 day", TaskRequest.of("report")).named("daily"));
    party.schedules().pause("daily");
    clock.advance(Duration.ofMinutes(5));

    TaskId triggered = party.schedules().trigger("daily");
    TaskView task = party.task(triggered).orElseThrow();
    assertThat(task.runAt()).isEqualTo(clock.instant());
    assertThat(task.state()).isEqualTo(TaskState.PENDING);
    ScheduleView after = party.schedules().get("daily").orElseThrow();
    assertThat(after.nextRunAt()).isEqualTo(added.nextRunAt());
    assertThat(after.lastTaskId()).isEqualTo(triggered);
    assertThatThrownBy(() -> party.schedules().trigger("nope")).isInstanceOf(ScheduleNotFoundException.class);
  }

  @Test
  void a_declared_schedule_is_stored_once_and_updated_only_when_its_definition_changes() {
    Schedule hourly = Schedule.every("1 hour", TaskRequest.of("report")).named("hourly");
    Party first = party(builder(store, "node-1").schedule(hourly));
    first.start();
    ScheduleView stored = first.schedules().get("hourly").orElseThrow();
    first.close();

    clock.advance(Duration.ofMinutes(10));
    assertThat(first.schedules().declare(hourly)).as("the same again").isFalse();
    assertThat(first.schedules().get("hourly").orElseThrow().nextRunAt()).isEqualTo(stored.nextRunAt());

    assertThat(first.schedules().declare(Schedule.every("2 hours", TaskRequest.of("report")).named("hourly"))).isTrue();
    ScheduleView changed = first.schedules().get("hourly").orElseThrow();
    assertThat(changed.recurrence().spec()).isEqualTo("PT2H");
    assertThat(changed.nextRunAt()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));
  }

  @Test
  void a_cron_that_never_fires_is_refused_when_added() {
    Party party = party();
    assertThatThrownBy(() -> party.schedule(Schedule.cron("0 0 30 2 *", TaskRequest.of("report")).named("feb-30")))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("never fires");
    assertThat(party.schedules().list()).isEmpty();
  }

  @Test
  void a_stored_schedule_this_node_cannot_read_is_paused_for_a_day_and_holds_up_no_other() throws Exception {
    Party party = party();
    party.schedule(Schedule.cron("0 * * * *", ZoneId.of("Europe/Berlin"), TaskRequest.of("report")).named("broken"));
    party.schedule(Schedule.every("1 hour", TaskRequest.of("other")).named("fine"));
    corruptZone("broken");
    clock.advance(Duration.ofHours(1));

    FiredSchedules fired = party.schedules().fireDue();
    assertThat(fired.stored()).hasSize(1);
    assertThat(party.tasks(TaskQuery.all())).extracting(TaskView::handler).containsExactly("other");
    assertThat(party.schedules().fireDue().stored()).as("not tried again at once").isEmpty();
    assertThat(party.schedules().get("fine")).isPresent();
  }

  @Test
  void declared_schedules_are_checked_together_so_a_bad_one_or_a_name_given_twice_declares_none() {
    Schedule good = Schedule.every("1 hour", TaskRequest.of("report")).named("good");
    Party unknown = party(builder(store, "node-1").schedule(good).schedule(Schedule.every("1 hour", TaskRequest.of("nobody"))));
    assertThatThrownBy(unknown::start).isInstanceOf(UnknownHandlerException.class);
    Party twice = party(builder(store, "node-2").schedule(good).schedule(Schedule.every("2 hours", TaskRequest.of("other")).named("good")));
    assertThatThrownBy(twice::start).isInstanceOf(InvalidTaskException.class).hasMessageContaining("two schedules are named 'good'");
    Party twins = party(builder(store, "node-3").schedule(good)
        .schedule(Schedule.every("2 hours", TaskRequest.of("report").withDataJson("{ }")).named("also-good")));
    assertThatThrownBy(twins::start).isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("schedules 'good' and 'also-good' both store 'report' tasks");
    assertThat(unknown.schedules().list()).isEmpty();
    assertThatThrownBy(() -> Schedule.every("400000 days", TaskRequest.of("report"))).isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("1,000 years");
  }

  @Test
  void each_periods_task_of_a_singleton_handler_is_a_singleton_too() {
    Party party = party(builder(store, "node-1")
        .handlers(h -> h.handler(TaskType.of("solo").singleton(SingletonPolicy.SKIP), JsonNode.class, context -> Outcome.done()))
        .workers(2));
    party.schedule(Schedule.every("1 minute", TaskRequest.of("solo")).named("solo"));
    party.schedules().trigger("solo");
    party.schedules().trigger("solo");
    var claim = new dev.party.store.Claim("node-1", java.util.Set.of("solo"), null, 2, Duration.ofMinutes(1), clock.pinned(),
        java.util.Map.of());
    assertThat(store.claim(claim)).as("the second is held back by the first's key").hasSize(1);
    assertThat(store.claim(claim)).as("and then skipped, as its key is RUNNING").isEmpty();
    assertThat(party.tasks(TaskQuery.all().state(TaskState.FINISHED))).singleElement()
        .satisfies(skipped -> assertThat(skipped.result()).contains("skipped"));
  }

  // ---- the engine fires on its own -------------------------------------------------------------

  @Test
  void a_started_engine_fires_and_runs_a_schedule_without_help() {
    Party party = party();
    party.schedule(Schedule.every("1 second", TaskRequest.of("report")).named("tick"));
    party.start();
    clock.advance(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(10)).until(() ->
        party.tasks(TaskQuery.all().state(TaskState.FINISHED)).size() == 1);
  }

  @Test
  void a_triggered_task_runs_at_once_on_a_started_engine_without_waiting_for_a_poll() {
    Party party = party(builder(store, "node-1").pollInterval(Duration.ofMinutes(10)));
    party.schedule(Schedule.every("1 day", TaskRequest.of("report")).named("daily"));
    party.start();
    TaskId first = party.enqueue(TaskRequest.of("report")); // once it has run, the workers idle for the poll
    await().atMost(Duration.ofSeconds(5)).until(() -> party.task(first).orElseThrow().state() == TaskState.FINISHED);
    TaskId triggered = party.schedules().trigger("daily");
    await().atMost(Duration.ofSeconds(5)).until(() -> party.task(triggered).orElseThrow().state() == TaskState.FINISHED);
  }

  // ---- many nodes ------------------------------------------------------------------------------

  @Test
  void four_schedulers_over_one_store_fire_each_of_100_periods_exactly_once() throws Exception {
    int nodes = 4;
    List<Party> parties = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      TaskStore own = i == 0 ? store : openSameStore();
      if (i > 0) closing.add(own);
      parties.add(party(builder(own, "node-" + i)));
    }
    parties.getFirst().schedule(Schedule.every("1 second", TaskRequest.of("report")).named("tick").overlap(Overlap.ALLOW));
    var barrier = new CyclicBarrier(nodes);
    ExecutorService threads = Executors.newFixedThreadPool(nodes);
    try {
      List<Future<Integer>> fired = new ArrayList<>();
      for (Party node : parties) {
        fired.add(threads.submit(() -> {
          int stored = 0;
          for (int period = 0; period < 100; period++) {
            barrier.await(10, TimeUnit.SECONDS);
            if (node == parties.getFirst()) clock.advance(Duration.ofSeconds(1));
            barrier.await(10, TimeUnit.SECONDS);
            stored += node.schedules().fireDue().stored().size();
          }
          return stored;
        }));
      }
      int total = 0;
      for (Future<Integer> count : fired) total += count.get(60, TimeUnit.SECONDS);
      assertThat(total).isEqualTo(100);
    } finally {
      threads.shutdownNow();
    }
    List<TaskView> tasks = tasks(parties.getFirst());
    assertThat(tasks).hasSize(100);
    assertThat(tasks).extracting(TaskView::runAt).doesNotHaveDuplicates()
        .allSatisfy(at -> assertThat(at).isBetween(START.plusSeconds(1), START.plusSeconds(100)));
  }
}
