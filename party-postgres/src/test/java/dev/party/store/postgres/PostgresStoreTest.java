package dev.party.store.postgres;

import dev.party.testkit.PostgresSchema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.party.Party;
import dev.party.store.Claim;
import dev.party.store.InsertTasks;
import dev.party.store.NewTask;
import dev.party.store.WorkerNameLock;
import dev.party.task.Outcome;
import dev.party.task.TaskId;
import dev.party.task.TaskQuery;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.testkit.RecordingListener;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What only PostgreSQL does: the caller's transaction, NOTIFY, concurrent migrations, its clock. */
class PostgresStoreTest {
  private PostgresSchema database;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void createSchema() throws Exception {
    database = PostgresSchema.create();
  }

  @AfterEach
  void dropSchema() throws Exception {
    for (AutoCloseable c : closing.reversed()) c.close();
    database.close();
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    closing.add(closeable);
    return closeable;
  }

  private Party client(PostgresStore store) {
    return closeLater(Party.builder(store).handlers(h -> h.handler("job", context -> Outcome.done())).build());
  }

  @Test
  void an_enqueue_in_the_callers_transaction_exists_only_if_it_commits() throws Exception {
    PostgresStore store = closeLater(PostgresStore.open(database.url()));
    Party party = client(store);
    try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
      sql.execute("CREATE TABLE orders (id int PRIMARY KEY)");
      connection.setAutoCommit(false);

      sql.execute("INSERT INTO orders VALUES (1)");
      TaskId committed = party.enqueue(connection, TaskRequest.of("job", "{\"order\":1}"));
      connection.commit();

      sql.execute("INSERT INTO orders VALUES (2)");
      TaskId rolledBack = party.enqueue(connection, TaskRequest.of("job", "{\"order\":2}"));
      assertThat(party.task(rolledBack)).as("not visible before commit").isEmpty();
      connection.rollback();

      assertThat(party.task(committed)).hasValueSatisfying(t -> assertThat(t.state()).isEqualTo(TaskState.PENDING));
      assertThat(party.task(rolledBack)).isEmpty();
      try (ResultSet rows = sql.executeQuery("SELECT count(*) FROM orders")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void an_enqueue_waiting_on_a_unique_key_in_an_open_transaction_holds_up_no_other_enqueue() throws Exception {
    PostgresStore store = closeLater(PostgresStore.open(database.url()));
    Party party = client(store);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      party.enqueue(connection, TaskRequest.of("job").uniqueKey("nightly"));

      // Waits on the open transaction's row lock until it ends.
      Future<TaskId> sameKey = threads.submit(() -> party.enqueue(TaskRequest.of("job").uniqueKey("nightly")));
      await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !sameKey.isDone());

      Future<List<TaskId>> others = threads.submit(() -> {
        List<TaskId> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) ids.add(party.enqueue(TaskRequest.of("job", "{\"n\":" + i + "}")));
        return ids;
      });
      assertThat(others.get(10, TimeUnit.SECONDS)).hasSize(20);
      assertThat(sameKey).isNotDone();

      connection.rollback();
      assertThat(party.task(sameKey.get(10, TimeUnit.SECONDS))).isPresent();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void batches_ending_members_of_two_groups_in_opposite_orders_do_not_deadlock() throws Exception {
    PostgresStore one = closeLater(PostgresStore.open(database.url()));
    PostgresStore other = closeLater(PostgresStore.open(database.url()));
    Party party = client(one);
    int rounds = 40;
    List<TaskRequest> members = new ArrayList<>();
    for (int i = 0; i < rounds * 2; i++) members.add(TaskRequest.of("job"));
    var first = party.group(members, TaskRequest.of("job"));
    var second = party.group(members, TaskRequest.of("job"));
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      var barrier = new java.util.concurrent.CyclicBarrier(2);
      for (int round = 0; round < rounds; round++) {
        int r = round;
        // One node finishes a member of the first group and fails one of the second; the other
        // does the mirror image, at the same moment.
        Future<?> a = threads.submit(() -> endTwo(one, "node-a", first.members().get(2 * r), second.members().get(2 * r), barrier));
        Future<?> b = threads.submit(() -> endTwo(other, "node-b", second.members().get(2 * r + 1), first.members().get(2 * r + 1), barrier));
        a.get(30, TimeUnit.SECONDS);
        b.get(30, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(party.task(first.callback()).orElseThrow().waiting()).isFalse();
    assertThat(party.task(second.callback()).orElseThrow().waiting()).isFalse();
  }

  /** Claims two tasks by id and ends them in one completion batch: the first finished, the second failed. */
  private static Void endTwo(PostgresStore store, String owner, TaskId finish, TaskId fail,
      java.util.concurrent.CyclicBarrier barrier) throws Exception {
    var finished = store.claimOne(new dev.party.store.ClaimOne(finish, owner, Duration.ofMinutes(1), null, java.util.Map.of())).orElseThrow();
    var failed = store.claimOne(new dev.party.store.ClaimOne(fail, owner, Duration.ofMinutes(1), null, java.util.Map.of())).orElseThrow();
    barrier.await(10, TimeUnit.SECONDS);
    store.complete(new dev.party.store.Complete(owner, List.of(
        new dev.party.store.Completion.Finish(finished.ref(), null, List.of()),
        new dev.party.store.Completion.Fail(failed.ref(), "no luck")), null));
    return null;
  }

  @Test
  void an_idle_worker_hears_of_a_task_stored_by_another_node_without_polling() throws Exception {
    RecordingListener events = new RecordingListener();
    PostgresStore workerStore = closeLater(PostgresStore.open(database.url()));
    Party worker = closeLater(Party.builder(workerStore).listener(events).workerId("listener-1")
        .pollInterval(Duration.ofMinutes(10))
        .handlers(h -> h.handler("job", context -> Outcome.done())).build());
    worker.start();
    PostgresStore otherNode = closeLater(PostgresStore.open(database.url()));
    // Wait until the LISTEN connection is up: a first task may be picked up by the start-up claim.
    client(otherNode).enqueue(TaskRequest.of("job"));
    await().atMost(Duration.ofSeconds(10)).until(() -> events.finished("job") == 1);

    client(otherNode).enqueue(TaskRequest.of("job"));
    // With a 10-minute poll, only NOTIFY can start it this soon.
    await().atMost(Duration.ofSeconds(5)).until(() -> events.finished("job") == 2);
  }

  private void terminateNameLocks() throws Exception {
    try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
      sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
          + AdvisoryNameLock.APPLICATION_NAME + "'");
    }
  }

  @Test
  void a_worker_name_whose_connection_dropped_is_taken_again_unless_another_process_took_it() throws Exception {
    PostgresStore mine = closeLater(PostgresStore.open(database.url()));
    PostgresStore theirs = closeLater(PostgresStore.open(database.url()));
    WorkerNameLock lock = closeLater(mine.lockWorkerName("host-1").orElseThrow());
    assertThat(theirs.lockWorkerName("host-1")).isEmpty();

    terminateNameLocks();
    assertThat(lock.stillHeld()).isTrue();
    assertThat(theirs.lockWorkerName("host-1")).isEmpty();

    terminateNameLocks();
    WorkerNameLock taken = await().atMost(Duration.ofSeconds(10))
        .until(() -> theirs.lockWorkerName("host-1").orElse(null), java.util.Objects::nonNull);
    closeLater(taken);
    assertThat(lock.stillHeld()).isFalse();
  }

  @Test
  void nodes_starting_at_the_same_moment_migrate_once() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<PostgresStore>> opened = new ArrayList<>();
      for (int i = 0; i < 4; i++) opened.add(pool.submit((Callable<PostgresStore>) () -> PostgresStore.open(database.url())));
      for (Future<PostgresStore> store : opened) closeLater(store.get());
    } finally {
      pool.shutdown();
    }
    try (Connection connection = database.connect(); Statement sql = connection.createStatement();
        ResultSet rows = sql.executeQuery("SELECT count(*), count(DISTINCT version) FROM party_schema_version")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(PostgresStore.MIGRATIONS.size());
      assertThat(rows.getInt(2)).isEqualTo(PostgresStore.MIGRATIONS.size());
    }
  }

  @Test
  void due_times_and_leases_follow_the_database_clock_when_nothing_is_pinned() throws Exception {
    PostgresStore store = closeLater(PostgresStore.open(database.url()));
    Instant databaseNow;
    try (Connection connection = database.connect(); Statement sql = connection.createStatement();
        ResultSet rows = sql.executeQuery("SELECT now()")) {
      rows.next();
      databaseNow = rows.getObject(1, java.time.OffsetDateTime.class).toInstant();
    }
    TaskId due = TaskId.of("00000001000001aaaaaaaaaa");
    TaskId later = TaskId.of("00000001000002aaaaaaaaaa");
    store.insert(new InsertTasks(List.of(
        new NewTask(due, "job", "default", "{}", 0, null, null, 6, null, null),
        new NewTask(later, "job", "default", "{}", 0, null, Duration.ofHours(1), 6, null, null)), null));

    var claimed = store.claim(new Claim("w", Set.of("job"), null, 10, Duration.ofSeconds(30), null, Map.of()));
    assertThat(claimed).extracting(c -> c.task().id()).containsExactly(due);
    assertThat(claimed.getFirst().task().leaseExpiresAt())
        .isBetween(databaseNow.plusSeconds(29), databaseNow.plusSeconds(60));
    assertThat(store.get(later).orElseThrow().runAt())
        .isBetween(databaseNow.plus(Duration.ofMinutes(59)), databaseNow.plus(Duration.ofMinutes(61)));
    assertThat(store.list(TaskQuery.all())).hasSize(2);
  }

  @Test
  void migrating_a_version_1_database_keeps_its_tasks_and_they_batch_nothing() throws Exception {
    try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
      new dev.party.store.jdbc.Migrator(PostgresStore.class, "/dev/party/store/postgres/migrations",
          List.of(PostgresStore.MIGRATIONS.getFirst())).migrate(connection);
      statement.execute("""
          INSERT INTO party_task (id, handler, queue, data, state, priority, run_at, created_at, max_attempts)
          VALUES ('0123456789abcdef01234567', 'job', 'default', '{"old":true}', 'PENDING', 0, now(), now(), 6)""");
    }
    PostgresStore store = closeLater(PostgresStore.open(database.url()));
    TaskId old = new TaskId("0123456789abcdef01234567");
    assertThat(store.get(old)).hasValueSatisfying(task -> assertThat(task.data()).isEqualTo("{\"old\":true}"));
    Party party = client(store);
    TaskId batched = party.enqueue(TaskRequest.of("job").batchKey("k"));
    assertThat(batched).isNotEqualTo(old);
    assertThat(party.enqueue(TaskRequest.of("job").batchKey("k"))).isEqualTo(batched);
  }

  @Test
  void batch_enqueues_in_a_callers_transaction_cover_each_other_and_vanish_on_rollback() throws Exception {
    PostgresStore store = closeLater(PostgresStore.open(database.url()));
    Party party = client(store);
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      TaskId first = party.enqueue(connection, TaskRequest.of("job").batchKey("k"));
      assertThat(party.enqueue(connection, TaskRequest.of("job").batchKey("k"))).isEqualTo(first);
      connection.rollback();
    }
    assertThat(party.tasks(TaskQuery.all())).isEmpty();
    TaskId stored = party.enqueue(TaskRequest.of("job").batchKey("k"));
    assertThat(party.tasks(TaskQuery.all())).extracting(dev.party.task.TaskView::id).containsExactly(stored);
  }

  @Test
  void a_claim_that_meets_the_singleton_index_after_another_nodes_commit_is_retried_not_failed() throws Exception {
    PostgresStore store = closeLater(PostgresStore.open(database.url()));
    // "b" comes first in pick-up order, but the claim below takes only "a" tasks, so it cannot see
    // b as an earlier task with the key; another node is starting b without the claim knowing.
    NewTask b = new NewTask(new TaskId("0123456789abcdef0123456a"), "b", "default", "{}", 5, null, null, 6, null, null)
        .withSingleton("k", dev.party.task.SingletonPolicy.WAIT);
    NewTask a = new NewTask(new TaskId("0123456789abcdef0123456b"), "a", "default", "{}", 0, null, null, 6, null, null)
        .withSingleton("k", dev.party.task.SingletonPolicy.WAIT);
    store.insert(new InsertTasks(List.of(b, a), null));
    try (Connection otherNode = database.connect(); Statement statement = otherNode.createStatement()) {
      otherNode.setAutoCommit(false);
      statement.executeUpdate("UPDATE party_task SET state = 'RUNNING' WHERE id = '" + b.id().value() + "'");
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<List<dev.party.store.ClaimedTask>> claim = pool.submit(() ->
            store.claim(new Claim("w", Set.of("a"), null, 10, Duration.ofSeconds(30), null, Map.of())));
        // The claim waits on the index entry of the other node's open transaction...
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingOnLocks(statement) > 0);
        otherNode.commit();
        // ...which then commits b as RUNNING: the claim is refused by the index, tried again, and
        // starts nothing with the key.
        assertThat(claim.get(10, TimeUnit.SECONDS)).isEmpty();
      } finally {
        pool.shutdownNow();
      }
    }
    assertThat(store.get(a.id()).orElseThrow().state()).isEqualTo(TaskState.PENDING);
    assertThat(store.get(a.id()).orElseThrow().attempts()).isZero();
  }

  private static int waitingOnLocks(Statement statement) throws Exception {
    try (ResultSet rows = statement.executeQuery(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
