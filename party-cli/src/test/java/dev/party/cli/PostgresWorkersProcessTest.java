package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.party.Party;
import dev.party.store.postgres.PostgresStore;
import dev.party.task.Outcome;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.testkit.PostgresSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three worker JVMs on one PostgreSQL database, with nothing else coordinating them. */
@Tag("slow")
class PostgresWorkersProcessTest {
  private static final int TASKS = 20_000;

  @TempDir Path dir;
  private PostgresSchema schema;
  private String url;
  private final List<PartyProcess> workers = new ArrayList<>();

  @BeforeEach
  void prepare() throws Exception {
    schema = PostgresSchema.create();
    url = schema.url() + "&ApplicationName=party-test-workers";
    try (Connection connection = schema.connect(); Statement sql = connection.createStatement()) {
      sql.execute(RecordedRunsModule.CREATE_TABLE);
    }
    try (PostgresStore store = PostgresStore.open(url);
        Party party = Party.builder(store).handlers(h -> h.handler("RecordedTask", c -> Outcome.done())).build()) {
      for (int sent = 0; sent < TASKS; sent += 1_000) {
        List<TaskRequest> batch = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) batch.add(TaskRequest.of("RecordedTask"));
        party.enqueueAll(batch);
      }
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (PartyProcess worker : workers) worker.close();
    schema.close();
  }

  /** Default leases (30 s): on two busy cores a very short lease would expire under live runs. */
  private PartyProcess startWorker(int index, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of(
        "worker", "--db", url, "--name", "pg-worker-" + index, "--workers", "4"));
    args.addAll(List.of(extra));
    PartyProcess worker = PartyProcess.start(dir, Map.of(RecordedRunsModule.RUNS_URL, schema.url()),
        args.toArray(String[]::new));
    workers.add(worker);
    return worker;
  }

  private long count(String sql) throws SQLException {
    try (Connection connection = schema.connect(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private long finished() throws SQLException {
    return count("SELECT count(*) FROM party_task WHERE state = 'FINISHED'");
  }

  @Test
  void three_workers_run_every_task_exactly_once() throws Exception {
    for (int i = 1; i <= 3; i++) startWorker(i);
    await().atMost(Duration.ofMinutes(3)).until(() -> finished() == TASKS);

    String logs = String.join("\n", workers.stream().map(this::errors).toList());
    assertThat(count("SELECT count(*) FROM party_test_runs")).as(logs).isEqualTo(TASKS);
    assertThat(count("SELECT count(DISTINCT task_id) FROM party_test_runs")).isEqualTo(TASKS);
    assertThat(count("SELECT count(DISTINCT worker) FROM party_test_runs")).isEqualTo(3);
    assertThat(count("SELECT max(attempts) FROM party_task")).isEqualTo(1);
  }

  @Test
  void a_killed_workers_tasks_are_recovered_after_their_lease_and_no_run_overlaps_a_held_lease()
      throws Exception {
    String[] shortLease = {"--lease", "4s", "--heartbeat", "1s"};
    PartyProcess doomed = startWorker(1, shortLease);
    startWorker(2, shortLease);
    startWorker(3, shortLease);
    await().atMost(Duration.ofMinutes(2)).until(() -> finished() > TASKS / 4
        && count("SELECT count(*) FROM party_task WHERE state = 'RUNNING' AND lease_owner = 'pg-worker-1'") > 0);
    doomed.kill();
    await().atMost(Duration.ofMinutes(3)).until(() -> finished() == TASKS);

    assertThat(count("SELECT count(*) FROM party_task WHERE state <> 'FINISHED'")).isZero();
    assertThat(count("SELECT count(DISTINCT task_id) FROM party_test_runs")).isEqualTo(TASKS);
    // Every run past the first of a task follows a lease taken back from the killed worker. (Its
    // attempt may not be counted: a crash of a worker running several tasks blames none of them.)
    long takenBack = count("SELECT count(*) FROM party_task_log WHERE from_state = 'RUNNING' AND to_state = 'PENDING'"
        + " AND message LIKE 'lease expired%'");
    assertThat(count("SELECT count(*) FROM party_test_runs") - TASKS).isLessThanOrEqualTo(takenBack);
    assertThat(count("SELECT count(*) FROM party_task_log WHERE worker = 'pg-worker-1'"
        + " AND from_state = 'RUNNING' AND to_state = 'PENDING' AND message LIKE 'lease expired%'")).isPositive();
    // Never two runs at once: every later attempt started after the earlier one lost its lease.
    assertThat(count("""
        SELECT count(*) FROM party_test_runs r WHERE r.attempt > 1 AND NOT EXISTS (
          SELECT 1 FROM party_task_log l
           WHERE l.task_id = r.task_id AND l.from_state = 'RUNNING' AND l.to_state = 'PENDING'
             AND l.message LIKE 'lease expired%' AND l.at <= r.started_at)""")).isZero();
  }

  @Test
  void workers_survive_every_connection_being_cut_and_finish_every_task() throws Exception {
    for (int i = 1; i <= 3; i++) startWorker(i);
    await().atMost(Duration.ofMinutes(2)).until(() -> finished() > TASKS / 4);
    long cut = count("""
        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
         WHERE application_name = 'party-test-workers' AND pid <> pg_backend_pid()""");
    assertThat(cut).isPositive();
    await().atMost(Duration.ofMinutes(3)).until(() -> finished() == TASKS);

    assertThat(count("SELECT count(*) FROM party_task WHERE state <> 'FINISHED'")).isZero();
    assertThat(count("SELECT count(DISTINCT task_id) FROM party_test_runs")).isEqualTo(TASKS);
    for (PartyProcess worker : workers) assertThat(worker.isAlive()).isTrue();
    assertThat(String.join("\n", workers.stream().map(this::errors).toList()))
        .containsAnyOf("failed, retrying", "connection lost", "reconnecting");
  }

  private String errors(PartyProcess worker) {
    try {
      return worker.err();
    } catch (Exception e) {
      return "";
    }
  }
}
