package dev.party.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.store.InsertTasks;
import dev.party.store.NewTask;
import dev.party.store.jdbc.Migrator;
import dev.party.task.Enqueued;
import dev.party.task.TaskId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Later migrations run over a file written by an earlier version and keep what it holds. */
class SqliteMigrationTest {
  @TempDir Path dir;

  @Test
  void migrating_a_version_1_file_keeps_its_tasks_and_they_batch_nothing() throws Exception {
    Path file = dir.resolve("party.db");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      new Migrator(SqliteStore.class, "/dev/party/store/sqlite/migrations", List.of(SqliteStore.MIGRATIONS.getFirst()))
          .migrate(connection);
      statement.execute("""
          INSERT INTO party_task (id, handler, queue, data, state, priority, run_at, created_at, max_attempts)
          VALUES ('0123456789abcdef01234567', 'job', 'default', '{"old":true}', 'PENDING', 0, 0, 0, 6)""");
    }
    try (SqliteStore store = SqliteStore.open(file)) {
      TaskId old = new TaskId("0123456789abcdef01234567");
      assertThat(store.get(old)).hasValueSatisfying(task -> assertThat(task.data()).isEqualTo("{\"old\":true}"));
      NewTask batched = new NewTask(new TaskId("0123456789abcdef01234568"), "job", "default", "{}", 0, null, null, 6,
          null, null).withBatchKey("k");
      assertThat(store.insert(new InsertTasks(List.of(batched), null))).map(Enqueued::withoutTime)
          .containsExactly(new Enqueued(batched.id(), false));
    }
  }

  @Test
  void migrating_to_exact_run_times_keeps_run_at_in_milliseconds_and_the_waiting_steps() throws Exception {
    Path file = dir.resolve("party.db");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      new Migrator(SqliteStore.class, "/dev/party/store/sqlite/migrations",
          SqliteStore.MIGRATIONS.subList(0, SqliteStore.MIGRATIONS.indexOf("V011__exact_run_times.sql")))
          .migrate(connection);
      statement.execute("""
          INSERT INTO party_task (id, handler, queue, data, state, priority, run_at, created_at, max_attempts,
                                  chain_id, chain_step)
          VALUES ('0123456789abcdef01234567', 'job', 'default', '{}', 'RUNNING', 0, 1394514742086, 0, 6, 'c', 1),
                 ('0123456789abcdef01234568', 'job', 'default', '{}', 'PENDING', 0, 253402214400000, 0, 6, 'c', 2)""");
    }
    try (SqliteStore store = SqliteStore.open(file)) {
      TaskId first = new TaskId("0123456789abcdef01234567");
      TaskId second = new TaskId("0123456789abcdef01234568");
      assertThat(store.get(first).orElseThrow().runAt()).isEqualTo(Instant.ofEpochMilli(1394514742086L));
      assertThat(store.get(second).orElseThrow().waiting()).isTrue();
    }
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      try (ResultSet rows = statement.executeQuery("SELECT run_at, run_at_us FROM party_task ORDER BY id")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong("run_at")).isEqualTo(1394514742086L);
        assertThat(rows.getObject("run_at_us")).isNull();
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong("run_at")).isEqualTo(253402214400000L);
      }
      // The V005 trigger, unchanged, releases the next step at the first's end.
      statement.execute("UPDATE party_task SET state = 'FINISHED', finished_at = 1394514800123"
          + " WHERE id = '0123456789abcdef01234567'");
    }
    try (SqliteStore store = SqliteStore.open(file)) {
      assertThat(store.get(new TaskId("0123456789abcdef01234568")).orElseThrow().runAt())
          .isEqualTo(Instant.ofEpochMilli(1394514800123L));
    }
  }
}
