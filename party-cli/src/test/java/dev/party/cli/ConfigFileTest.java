package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.schedule.ScheduleView;
import dev.party.store.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules declared in the config file, through {@code party worker --drain}, on a real SQLite file. */
class ConfigFileTest {
  @TempDir Path dir;

  private Path config(String yaml) throws IOException {
    return Files.writeString(dir.resolve("party.yaml"), yaml);
  }

  private CliRun worker(Path config) {
    return CliRun.of("worker", "--drain", "--name", "config-test", "--config", config.toString(),
        "--db", dir.resolve("party.db").toString());
  }

  private List<ScheduleView> schedules() {
    try (var store = SqliteStore.open(dir.resolve("party.db"))) {
      return store.schedules();
    }
  }

  @Test
  void every_start_declares_the_files_schedules_and_updates_only_what_changed() throws IOException {
    Path file = config("""
        schedules:
          - name: nightly-report
            party: SampleTask
            cron: "0 3 * * *"
            zone: Europe/Berlin
            data: {arg1: val1}
          - party: NoopTask
            every: 30 minutes
            overlap: allow
        """);
    assertThat(worker(file).exitCode()).isZero();
    assertThat(schedules()).extracting(ScheduleView::name).containsExactly("NoopTask", "TaskCleanup", "nightly-report");
    ScheduleView nightly = schedules().getLast();
    assertThat(nightly.recurrence().toString()).isEqualTo("cron \"0 3 * * *\" in Europe/Berlin");
    assertThat(nightly.data()).isEqualTo("{\"arg1\":\"val1\"}");

    assertThat(worker(file).exitCode()).as("the same file again").isZero();
    assertThat(schedules().getLast().nextRunAt()).isEqualTo(nightly.nextRunAt());

    config("""
        schedules:
          - name: nightly-report
            party: SampleTask
            cron: "0 4 * * *"
            zone: Europe/Berlin
        """);
    assertThat(worker(file).exitCode()).isZero();
    assertThat(schedules().getLast().recurrence().spec()).isEqualTo("0 4 * * *");
    assertThat(schedules()).as("a schedule left out of the file is not removed").hasSize(3);
  }

  @Test
  void the_cleanup_map_sets_the_cleanup_schedule_and_every_off_removes_it() throws IOException {
    Path file = config("cleanup:\n  every: 2 hours\n  retention: 3 days\n  completed-dump: "
        + dir.resolve("c.log") + "\n  failed-dump: " + dir.resolve("f.log") + "\n  batch-size: 50\n");
    assertThat(worker(file).exitCode()).isZero();
    assertThat(schedules()).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("TaskCleanup");
      assertThat(s.recurrence().spec()).isEqualTo("PT2H");
    });

    CliRun cleanup = CliRun.of("cleanup", "--config", file.toString(), "--db", dir.resolve("party.db").toString());
    assertThat(cleanup.exitCode()).as(cleanup.err()).isZero();
    assertThat(cleanup.out()).contains("removed 0 finished and 0 failed or cancelled tasks (dumped)");
    CliRun status = CliRun.of("status", "--db", dir.resolve("party.db").toString());
    assertThat(status.out()).contains("last cleanup: ", "removed 0 finished and 0 failed or cancelled");

    config("cleanup:\n  every: off\n");
    assertThat(worker(file).exitCode()).isZero();
    assertThat(schedules()).isEmpty();
  }

  @Test
  void a_bad_cleanup_map_is_refused() throws IOException {
    assertRefused(config("cleanup:\n  evry: 1 hour\n"), "unknown key 'cleanup.evry'");
    assertRefused(config("cleanup:\n  completed-dump: c.log\n"), "give both cleanup dump files");
    assertRefused(config("cleanup:\n  retention: soon\n"), "soon");
    assertRefused(config("cleanup: hourly\n"), "cleanup must be a map");
  }

  @Test
  void a_bad_file_is_refused_with_its_place_and_stores_nothing() throws IOException {
    assertRefused(config("schedules:\n  - party: SampleTask\n    every: soon\n"), "schedules[0]", "soon");
    assertRefused(config("schedules:\n  - party: SampleTask\n    evry: 1 hour\n"), "schedules[0]", "did you mean \"every\"");
    assertRefused(config("schedules:\n  - party: Nobody\n    every: 1 hour\n"), "schedules[0]", "no handler named 'Nobody'");
    assertRefused(config("schedule:\n  - party: SampleTask\n"), "unknown key 'schedule'");
    assertRefused(config("schedules:\n  - party: SampleTask\n    every: 1 hour\n  - party: SampleTask\n    every: 2 hours\n"),
        "schedules[0] and schedules[1] are both named 'SampleTask'");
    assertRefused(config("schedules: [unclosed\n"), "not valid YAML");
    CliRun missing = worker(dir.resolve("nowhere.yaml"));
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("does not exist");
  }

  private void assertRefused(Path file, String... expected) {
    CliRun run = worker(file);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(expected).doesNotContain("Exception", "\tat ");
    assertThat(Files.exists(dir.resolve("party.db")) ? schedules() : List.of()).isEmpty();
  }
}
