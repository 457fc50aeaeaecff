package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.party.store.sqlite.SqliteStore;
import dev.party.task.TaskId;
import dev.party.task.TaskLogEntry;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers as real child JVMs over one SQLite file: killed, stopped, started twice. */
@Tag("slow")
class WorkerProcessTest {
  @TempDir Path dir;

  private String db() {
    return dir.resolve("party.db").toString();
  }

  private TaskView task(TaskId id) {
    try (var store = SqliteStore.open(dir.resolve("party.db"))) {
      return store.get(id).orElseThrow();
    }
  }

  private List<TaskLogEntry> log(TaskId id) {
    try (var store = SqliteStore.open(dir.resolve("party.db"))) {
      return store.log(id);
    }
  }

  private TaskId enqueue(String handler, String data) {
    CliRun run = CliRun.of("enqueue", handler, "--data", data, "--db", db());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return TaskId.of(run.out().strip());
  }

  @Test
  void a_drained_task_is_finished_with_its_log_and_never_runs_again() throws Exception {
    TaskId id = enqueue("SampleTask", "{\"arg1\":\"val1\"}");

    PartyProcess first = PartyProcess.run(dir, "worker", "--drain", "--db", db());
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("val1").contains("Attempting run 1 of task " + id);

    CliRun show = CliRun.of("tasks", "show", id.value(), "--db", db());
    assertThat(show.out()).contains("FINISHED").contains("attempt 1 of 6").contains("created");

    PartyProcess second = PartyProcess.run(dir, "worker", "--drain", "--db", db());
    assertThat(second.exitCode()).isZero();
    assertThat(second.out()).doesNotContain("val1");
    assertThat(task(id).attempts()).isEqualTo(1);
  }

  @Test
  void a_task_of_a_killed_worker_is_recovered_by_another_after_its_lease_expires() throws Exception {
    TaskId id = enqueue("SlowTask", "{\"seconds\":3}");
    try (PartyProcess doomed = PartyProcess.start(dir, "worker", "--name", "doomed-1", "--workers", "1",
            "--lease", "2s", "--heartbeat", "500ms", "--db", db());
        PartyProcess rescuer = startRescuerAfterKilling(doomed, id)) {
      await().atMost(Duration.ofSeconds(40)).until(() -> task(id).state() == TaskState.FINISHED);
      assertThat(rescuer.out()).contains("SlowTask " + id + " done after attempt 2");
    }
    TaskView task = task(id);
    assertThat(task.attempts()).isEqualTo(2);
    assertThat(log(id))
        .extracting(e -> e.from() + ">" + e.to() + "@" + e.worker())
        .containsSubsequence(
            "PENDING>RUNNING@doomed-1", "RUNNING>PENDING@doomed-1",
            "PENDING>RUNNING@rescuer-1", "RUNNING>FINISHED@rescuer-1");
    assertThat(log(id)).anySatisfy(e -> assertThat(e.message()).contains("lease expired"));
  }

  /**
   * The live worker sweeps at the lease expiry it read from the store, not at its next heartbeat:
   * with a 5 s heartbeat a sweep per heartbeat would restart the orphan up to 5 s after its lease.
   */
  @Test
  void an_orphan_restarts_on_a_live_worker_within_its_lease_and_a_second_of_the_kill() throws Exception {
    Duration lease = Duration.ofSeconds(10);
    TaskId id = enqueue("SlowTask", "{\"seconds\":60}");
    try (PartyProcess doomed = PartyProcess.start(dir, "worker", "--name", "doomed-1", "--workers", "1",
            "--lease", "10s", "--heartbeat", "5s", "--db", db())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> task(id).state() == TaskState.RUNNING);
      try (PartyProcess live = PartyProcess.start(dir, "worker", "--name", "live-1", "--workers", "1",
          "--lease", "10s", "--heartbeat", "5s", "--db", db())) {
        await().atMost(Duration.ofSeconds(30)).until(() -> live.err().contains("started"));
        Instant killedAt = Instant.now();
        doomed.kill();
        Instant expiry = task(id).leaseExpiresAt();
        await().atMost(Duration.ofSeconds(30)).until(() -> "live-1".equals(task(id).leaseOwner()));
        Instant restartedAt = log(id).stream()
            .filter(e -> e.to() == TaskState.RUNNING && "live-1".equals(e.worker()))
            .findFirst().orElseThrow().at();
        assertThat(Duration.between(killedAt, restartedAt)).isLessThanOrEqualTo(lease.plusSeconds(1));
        // Tighter, and what fails with a sweep per heartbeat: the restart follows the expiry at once.
        assertThat(Duration.between(expiry, restartedAt)).isLessThanOrEqualTo(Duration.ofMillis(500));
      }
    }
  }

  private PartyProcess startRescuerAfterKilling(PartyProcess doomed, TaskId id) throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> task(id).state() == TaskState.RUNNING);
    assertThat(task(id).leaseOwner()).isEqualTo("doomed-1");
    doomed.kill();
    return PartyProcess.start(dir, "worker", "--name", "rescuer-1", "--workers", "1",
        "--lease", "2s", "--heartbeat", "500ms", "--db", db());
  }

  @Test
  void sigterm_returns_a_running_task_to_the_queue_without_counting_the_attempt() throws Exception {
    TaskId id = enqueue("SlowTask", "{\"seconds\":60}");
    try (PartyProcess worker = PartyProcess.start(dir, "worker", "--name", "stopping-1", "--db", db())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> task(id).state() == TaskState.RUNNING);
      worker.terminate();
      worker.awaitExit();
      assertThat(worker.err()).contains("stopping");
    }
    TaskView task = task(id);
    assertThat(task.state()).as(log(id).toString()).isEqualTo(TaskState.PENDING);
    assertThat(task.attempts()).isZero();
    assertThat(task.leaseOwner()).isNull();
  }

  @Test
  void a_second_worker_under_the_same_name_refuses_to_run_quietly_in_one_line() throws Exception {
    enqueue("SlowTask", "{\"seconds\":60}");
    try (PartyProcess first = PartyProcess.start(dir, "worker", "--name", "cron-1", "--db", db())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> first.err().contains("started"));
      PartyProcess second = PartyProcess.run(dir, "worker", "--name", "cron-1", "--db", db());
      assertThat(second.exitCode()).isEqualTo(Main.EXIT_ALREADY_RUNNING);
      // One line, and no "stopping ... stopped" of an engine that never ran.
      assertThat(second.out()).isEmpty();
      assertThat(second.err().lines()).as(second.err()).singleElement()
          .satisfies(line -> assertThat(line).contains("worker cron-1 is already running"));
      assertThat(first.isAlive()).isTrue();
    }
  }
}
