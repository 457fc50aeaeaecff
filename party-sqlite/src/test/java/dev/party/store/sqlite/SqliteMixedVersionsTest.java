package dev.party.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.store.Claim;
import dev.party.store.ClaimedTask;
import dev.party.store.InsertChain;
import dev.party.store.InsertTasks;
import dev.party.store.NewTask;
import dev.party.task.TaskId;
import dev.party.task.TaskView;
import dev.party.testkit.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling upgrade: nodes of the version before V011 keep using a file the new version has
 * migrated. The old node is played by plain SQL, written as its store wrote it (run_at in epoch
 * milliseconds, no run_at_us, the end of time as 253402214400000, the V005 triggers).
 */
class SqliteMixedVersionsTest {
  private static final long WAITING_MS = 253_402_214_400_000L;
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.atEpochSecond(1_900_000_000L);
  private SqliteStore store;
  private Connection oldNode;

  @BeforeEach
  void open() throws SQLException {
    Path file = dir.resolve("party.db");
    store = SqliteStore.open(file);
    oldNode = DriverManager.getConnection("jdbc:sqlite:" + file);
  }

  @AfterEach
  void close() throws SQLException {
    oldNode.close();
    store.close();
  }

  @Test
  void tasks_an_old_node_stores_are_read_at_their_time_and_a_delayed_one_does_not_run_early() throws SQLException {
    long now = clock.instant().toEpochMilli();
    oldInsert("0123456789abcdef00000001", "PENDING", now + 3_600_000, null, null);
    oldInsert("0123456789abcdef00000002", "RUNNING", now - 60_000, "c", 1);
    oldInsert("0123456789abcdef00000003", "PENDING", WAITING_MS, "c", 2);
    TaskId delayed = new TaskId("0123456789abcdef00000001");
    TaskId first = new TaskId("0123456789abcdef00000002");
    TaskId second = new TaskId("0123456789abcdef00000003");

    assertThat(get(delayed).runAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    assertThat(get(first).runAt()).isEqualTo(clock.instant().minusSeconds(60));
    assertThat(get(second).waiting()).isTrue();
    assertThat(claim()).isEmpty();

    // The old node finishes the first step; the V005 trigger frees the second at its end.
    try (Statement statement = oldNode.createStatement()) {
      statement.executeUpdate("UPDATE party_task SET state = 'FINISHED', finished_at = " + (now - 500)
          + " WHERE id = '" + first.value() + "'");
    }
    assertThat(get(second).runAt()).isEqualTo(clock.instant().minusMillis(500));
    assertThat(claim()).extracting(c -> c.task().id()).containsExactly(second);

    clock.advance(Duration.ofMinutes(59));
    assertThat(claim()).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    assertThat(claim()).extracting(c -> c.task().id()).containsExactly(delayed);
  }

  @Test
  void a_retry_an_old_node_writes_for_a_task_stored_to_the_microsecond_is_read_at_its_new_time() throws SQLException {
    NewTask task = task(clock.instant().minusSeconds(1).plusNanos(86_400_000));
    store.insert(new InsertTasks(List.of(task), clock.pinned()));
    ClaimedTask run = claim().getFirst();

    long retryAt = clock.instant().plusSeconds(30).toEpochMilli();
    try (PreparedStatement retry = oldNode.prepareStatement("""
        UPDATE party_task
           SET state = 'PENDING', run_at = ?, error = ?, lease_owner = NULL, lease_expires_at = NULL
         WHERE id = ? AND lease_token = ? AND state = 'RUNNING'""")) {
      retry.setLong(1, retryAt);
      retry.setString(2, "boom");
      retry.setString(3, task.id().value());
      retry.setLong(4, run.token());
      assertThat(retry.executeUpdate()).isEqualTo(1);
    }

    assertThat(get(task.id()).runAt()).isEqualTo(Instant.ofEpochMilli(retryAt));
  }

  @Test
  void the_new_version_keeps_run_at_in_milliseconds_that_old_nodes_read_and_claim() throws SQLException {
    Instant exact = Instant.parse("2014-03-11T05:12:22.086400Z");
    Instant beforeTheEpoch = Instant.parse("1969-12-31T23:59:59.999500Z");
    NewTask given = task(exact);
    NewTask old = task(beforeTheEpoch);
    NewTask delayed = new NewTask(new TaskId("0123456789abcdef00000013"), "job", "default", "{}", 0, null,
        Duration.ofHours(1), 6, null, null);
    store.insert(new InsertTasks(List.of(given, old, delayed), clock.pinned()));
    NewTask step1 = task(null, "0123456789abcdef00000014");
    NewTask step2 = task(null, "0123456789abcdef00000015");
    store.insertChain(new InsertChain("chain", List.of(step1, step2), clock.pinned(), Map.of()));

    assertThat(rawRunAt(given.id())).isEqualTo(1_394_514_742_086L);
    assertThat(rawRunAt(old.id())).isEqualTo(-1L);
    assertThat(rawRunAt(delayed.id())).isEqualTo(clock.instant().plus(Duration.ofHours(1)).toEpochMilli());
    assertThat(rawRunAt(step2.id())).isEqualTo(WAITING_MS);
    assertThat(get(given.id()).runAt()).isEqualTo(exact);
    assertThat(get(old.id()).runAt()).isEqualTo(beforeTheEpoch);

    // The old node's pick-up: what is due by its millisecond clock, never the waiting step.
    try (PreparedStatement due = oldNode.prepareStatement(
        "SELECT id FROM party_task WHERE state = 'PENDING' AND run_at <= ? ORDER BY run_at, id")) {
      due.setLong(1, clock.instant().toEpochMilli());
      try (ResultSet rows = due.executeQuery()) {
        List<String> ids = new ArrayList<>();
        while (rows.next()) ids.add(rows.getString(1));
        assertThat(ids).containsExactly(old.id().value(), given.id().value(), step1.id().value());
      }
    }
  }

  private void oldInsert(String id, String state, long runAt, String chainId, Integer step) throws SQLException {
    try (PreparedStatement insert = oldNode.prepareStatement("""
        INSERT INTO party_task (id, handler, queue, data, state, priority, run_at, created_at, max_attempts,
                                chain_id, chain_step)
        VALUES (?, 'job', 'default', '{}', ?, 0, ?, ?, 6, ?, ?)""")) {
      insert.setString(1, id);
      insert.setString(2, state);
      insert.setLong(3, runAt);
      insert.setLong(4, clock.instant().toEpochMilli());
      insert.setString(5, chainId);
      insert.setObject(6, step);
      insert.executeUpdate();
    }
  }

  private long rawRunAt(TaskId id) throws SQLException {
    try (PreparedStatement select = oldNode.prepareStatement("SELECT run_at FROM party_task WHERE id = ?")) {
      select.setString(1, id.value());
      try (ResultSet row = select.executeQuery()) {
        assertThat(row.next()).isTrue();
        return row.getLong(1);
      }
    }
  }

  private int next = 1;

  private NewTask task(Instant runAt) {
    return task(runAt, "0123456789abcdef0000000" + Integer.toHexString(next++));
  }

  private static NewTask task(Instant runAt, String id) {
    return new NewTask(new TaskId(id), "job", "default", "{}", 0, runAt, null, 6, null, null);
  }

  private List<ClaimedTask> claim() {
    return store.claim(new Claim("new-node", Set.of("job"), null, 10, LEASE, clock.pinned(), Map.of()));
  }

  private TaskView get(TaskId id) {
    return store.get(id).orElseThrow();
  }
}
