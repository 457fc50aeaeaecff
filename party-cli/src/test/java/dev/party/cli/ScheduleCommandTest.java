package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.schedule.Misfire;
import dev.party.schedule.Overlap;
import dev.party.schedule.Recurrence;
import dev.party.schedule.ScheduleView;
import dev.party.store.sqlite.SqliteStore;
import dev.party.task.TaskId;
import dev.party.task.TaskQuery;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** party schedule, unschedule and schedules, in process, on a real SQLite file. */
class ScheduleCommandTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @TempDir Path dir;

  private String db() {
    return dir.resolve("party.db").toString();
  }

  private CliRun party(String... args) {
    String[] withDb = Arrays.copyOf(args, args.length + 2);
    withDb[args.length] = "--db";
    withDb[args.length + 1] = db();
    return CliRun.of(withDb);
  }

  private List<ScheduleView> schedules() {
    try (var store = SqliteStore.open(dir.resolve("party.db"))) {
      return store.schedules();
    }
  }

  private ScheduleView schedule(String name) {
    return schedules().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private List<TaskView> tasks() {
    try (var store = SqliteStore.open(dir.resolve("party.db"))) {
      return store.list(TaskQuery.all());
    }
  }

  private static void assertRefused(CliRun run, String expected) {
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("party: ").contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void every_adds_a_schedule_with_the_defaults_and_prints_its_name_and_next_run() {
    Instant before = Instant.now();
    CliRun run = party("schedule", "SampleTask", "--every", "30 minutes");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    ScheduleView added = schedule("SampleTask");
    assertThat(added.recurrence()).isEqualTo(Recurrence.every(Duration.ofMinutes(30)));
    assertThat(added.misfire()).isEqualTo(Misfire.FIRE_ONCE);
    assertThat(added.overlap()).isEqualTo(Overlap.SKIP);
    assertThat(added.paused()).isFalse();
    assertThat(added.nextRunAt())
        .isBetween(before.plus(Duration.ofMinutes(30)), Instant.now().plus(Duration.ofMinutes(30)));
    assertThat(run.out().lines())
        .containsExactly("SampleTask", "recurrence   every 30m", "next run     " + added.nextRunAt());
    assertThat(tasks()).as("adding fires nothing").isEmpty();
  }

  @Test
  void cron_reads_its_zone_and_the_task_options_are_stored() {
    CliRun run = party("schedule", "SampleTask", "--cron", "0 3 * * *", "--zone", "Europe/Berlin", "--name", "nightly",
        "--data", "{\"arg1\":\"val1\"}", "--queue", "reports", "--priority", "5", "--max-attempts", "2",
        "--catch-up", "--allow-overlap");

    assertThat(run.exitCode()).isZero();
    ScheduleView nightly = schedule("nightly");
    assertThat(nightly.recurrence()).isEqualTo(Recurrence.cron("0 3 * * *", BERLIN));
    assertThat(nightly.nextRunAt().atZone(BERLIN).toLocalTime()).isEqualTo(LocalTime.of(3, 0));
    assertThat(nightly.handler()).isEqualTo("SampleTask");
    assertThat(nightly.data()).isEqualTo("{\"arg1\":\"val1\"}");
    assertThat(nightly.queue()).isEqualTo("reports");
    assertThat(nightly.priority()).isEqualTo(5);
    assertThat(nightly.maxAttempts()).isEqualTo(2);
    assertThat(nightly.misfire()).isEqualTo(Misfire.CATCH_UP);
    assertThat(nightly.overlap()).isEqualTo(Overlap.ALLOW);
    assertThat(run.out()).startsWith("nightly\n").contains("cron \"0 3 * * *\" in Europe/Berlin")
        .contains(nightly.nextRunAt().toString());
  }

  @Test
  void a_five_or_six_field_cron_defaults_to_utc() {
    assertThat(party("schedule", "NoopTask", "--cron", "*/5 * * * *", "--name", "five").exitCode()).isZero();
    assertThat(party("schedule", "NoopTask", "--cron", "*/30 * * * * *", "--name", "thirty",
        "--data", "{\"every\": \"30 s\"}").exitCode()).isZero();
    assertThat(schedule("five").recurrence()).isEqualTo(Recurrence.cron("*/5 * * * *", ZoneId.of("UTC")));
    assertThat(schedule("thirty").nextRunAt().atZone(ZoneId.of("UTC")).getSecond()).isIn(0, 30);
  }

  @Test
  void schedules_lists_every_schedule_in_a_table() {
    party("schedule", "SampleTask", "--every", "2 hours 30 minutes");
    party("schedule", "NoopTask", "--cron", "0 3 * * *", "--zone", "Europe/Berlin", "--name", "nightly",
        "--catch-up", "--allow-overlap");

    CliRun list = party("schedules");

    assertThat(list.exitCode()).isZero();
    List<String> lines = list.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).matches("NAME +HANDLER +RECURRENCE +NEXT RUN +LAST RUN +PAUSED +OVERLAP +MISFIRE");
    assertThat(lines.get(1)).matches("SampleTask +SampleTask +every 2h 30m +\\S+ +- +no +skip +fire-once")
        .contains(schedule("SampleTask").nextRunAt().toString());
    assertThat(lines.get(2))
        .matches("nightly +NoopTask +cron \"0 3 \\* \\* \\*\" in Europe/Berlin +\\S+ +- +no +allow +catch-up");
    assertThat(lines.get(1).indexOf("every")).as("columns line up").isEqualTo(lines.get(0).indexOf("RECURRENCE"));
  }

  @Test
  void an_empty_list_is_just_the_header() {
    CliRun list = party("schedules");
    assertThat(list.exitCode()).isZero();
    assertThat(list.out().lines()).singleElement().asString().startsWith("NAME");
  }

  @Test
  void a_second_schedule_of_one_handler_and_data_or_of_one_name_is_refused_and_changes_nothing() {
    party("schedule", "SampleTask", "--every", "1 hour", "--data", "{\"a\":1,\"b\":2}");
    party("schedule", "NoopTask", "--every", "1 hour", "--name", "hourly");
    List<ScheduleView> before = schedules();

    CliRun sameData = party("schedule", "SampleTask", "--every", "5 minutes", "--data", "{\"b\":2,\"a\":1}");
    CliRun sameName = party("schedule", "SampleTask", "--cron", "0 * * * *", "--name", "hourly");

    assertRefused(sameData, "party: conflict: a schedule named 'SampleTask#");
    assertRefused(sameName, "party: conflict: a schedule named 'hourly' already exists");
    assertThat(schedules()).isEqualTo(before);
  }

  @Test
  void a_name_is_no_way_around_one_schedule_per_handler_and_data() {
    party("schedule", "SampleTask", "--every", "1 hour", "--data", "{\"a\":1,\"b\":2}");
    List<ScheduleView> before = schedules();

    CliRun renamed = party("schedule", "SampleTask", "--every", "5 minutes", "--data", "{ \"b\": 2, \"a\": 1 }",
        "--name", "fast");

    assertRefused(renamed, "party: conflict: schedule 'SampleTask#");
    assertThat(renamed.err()).contains("one recurring task per handler and data").hasLineCount(1);
    assertThat(schedules()).isEqualTo(before);
  }

  @Test
  void a_start_skips_the_cleanup_schedule_when_a_schedule_of_another_name_already_stores_its_tasks() {
    // Earlier versions let this in beside the built-in TaskCleanup schedule; a start must not fail over it.
    assertThat(party("schedule", "TaskCleanup", "--every", "1 day", "--name", "mycleanup").exitCode()).isZero();

    CliRun worker = party("worker", "--drain");

    assertThat(worker.exitCode()).as(worker.err()).isZero();
    assertThat(schedules()).extracting(ScheduleView::name).containsExactly("mycleanup");
    assertRefused(party("schedule", "TaskCleanup", "--every", "1 hour", "--name", "cleanup2"),
        "party: conflict: schedule 'mycleanup' already stores 'TaskCleanup' tasks");
  }

  static Stream<Arguments> bad_input() {
    return Stream.of(
        bad("every not a delay", "Invalid value for option '--every': bad_timestamp: cannot read 'soon'",
            "--every", "soon"),
        bad("every too short", "invalid_task: a schedule's interval must be at least 1 second", "--every", "500ms"),
        bad("cron out of range", "invalid_task: cron expression \"61 * * * *\" is not valid", "--cron", "61 * * * *"),
        bad("cron field count", "has 3 fields; it needs 5 (minute hour day month weekday) or 6", "--cron", "* * *"),
        bad("unknown zone", "invalid_task: unknown time zone \"Mars/Olympus\"",
            "--cron", "0 3 * * *", "--zone", "Mars/Olympus"),
        bad("both", "are mutually exclusive", "--every", "1 hour", "--cron", "0 * * * *"),
        bad("neither", "Missing required argument (specify one of these): (--every=DELAY | (--cron=EXPR",
            "--name", "x"),
        bad("zone without cron", "Missing required argument(s): --cron=EXPR", "--every", "1 hour", "--zone", "UTC"),
        bad("data not an object", "invalid_task", "--every", "1 hour", "--data", "[1]"));
  }

  private static Arguments bad(String name, String expected, String... options) {
    return Arguments.of(name, expected, List.of(options));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad_input")
  void bad_input_gets_a_one_line_error_exit_2_and_stores_nothing(String name, String expected, List<String> options) {
    List<String> args = new ArrayList<>(List.of("schedule", "SampleTask"));
    args.addAll(options);

    assertRefused(party(args.toArray(String[]::new)), expected);
    assertThat(schedules()).isEmpty();
  }

  @Test
  void an_unknown_handler_is_refused_with_a_near_miss() {
    assertRefused(party("schedule", "SampelTask", "--every", "1 hour"), "did you mean 'SampleTask'");
    assertThat(schedules()).isEmpty();
  }

  @Test
  void pause_and_resume_flip_the_paused_flag() {
    party("schedule", "SampleTask", "--every", "1 day", "--name", "daily");

    CliRun paused = party("schedules", "pause", "daily");
    assertThat(paused.exitCode()).isZero();
    assertThat(paused.out()).isEqualTo("paused daily\n");
    assertThat(schedule("daily").paused()).isTrue();
    assertThat(party("schedules").out()).containsPattern("daily .* yes +skip");

    CliRun resumed = party("schedules", "resume", "daily");
    assertThat(resumed.exitCode()).isZero();
    assertThat(resumed.out()).isEqualTo("resumed daily; next run " + schedule("daily").nextRunAt() + "\n");
    assertThat(schedule("daily").paused()).isFalse();
  }

  @Test
  void trigger_prints_the_id_of_a_pending_task_now_and_leaves_the_next_period() {
    party("schedule", "SampleTask", "--every", "1 day", "--name", "daily", "--data", "{\"arg1\":\"val1\"}");
    party("schedules", "pause", "daily");
    Instant next = schedule("daily").nextRunAt();

    CliRun run = party("schedules", "trigger", "daily");

    assertThat(run.exitCode()).isZero();
    TaskId id = TaskId.of(run.out().strip());
    assertThat(tasks()).singleElement().satisfies(task -> {
      assertThat(task.id()).isEqualTo(id);
      assertThat(task.state()).isEqualTo(TaskState.PENDING);
      assertThat(task.handler()).isEqualTo("SampleTask");
      assertThat(task.data()).isEqualTo("{\"arg1\":\"val1\"}");
    });
    assertThat(schedule("daily").lastTaskId()).isEqualTo(id);
    assertThat(schedule("daily").nextRunAt()).isEqualTo(next);
  }

  @Test
  void pause_resume_and_trigger_of_an_unknown_name_are_clear_errors() {
    for (String action : List.of("pause", "resume", "trigger")) {
      assertRefused(party("schedules", action, "nope"), "party: not_found: no schedule named 'nope'");
    }
    assertThat(tasks()).isEmpty();
  }

  @Test
  void unschedule_removes_and_a_missing_name_is_not_an_error() {
    party("schedule", "SampleTask", "--every", "1 day", "--name", "daily");
    party("schedules", "trigger", "daily");

    CliRun removed = party("unschedule", "daily");
    assertThat(removed.exitCode()).isZero();
    assertThat(removed.out()).isEqualTo("removed daily\n");
    assertThat(schedules()).isEmpty();
    assertThat(tasks()).as("tasks it stored stay").hasSize(1);

    CliRun again = party("unschedule", "daily");
    assertThat(again.exitCode()).isZero();
    assertThat(again.err()).isEmpty();
    assertThat(again.out()).isEqualTo("no schedule named 'daily'; nothing removed\n");
  }

  @Test
  void a_db_given_before_the_subcommand_is_the_one_used() {
    party("schedule", "SampleTask", "--every", "1 day", "--name", "daily");

    CliRun run = CliRun.of("schedules", "--db", db(), "pause", "daily");

    assertThat(run.exitCode()).isZero();
    assertThat(schedule("daily").paused()).isTrue();
  }
}
