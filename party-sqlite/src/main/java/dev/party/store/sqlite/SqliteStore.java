package dev.party.store.sqlite;

import static dev.party.store.sqlite.SqliteQueries.*;

import dev.party.store.QueueView;
import dev.party.store.RegisterWorker;
import dev.party.store.WorkerRef;
import dev.party.store.WorkerView;
import dev.party.store.jdbc.WorkerRows;

import dev.party.error.PartyException;
import dev.party.error.QueueFullException;
import dev.party.error.StoreException;
import dev.party.error.TaskConflictException;
import dev.party.json.Json;
import dev.party.schedule.ScheduleView;
import dev.party.store.ArchivedTask;
import dev.party.store.Cancel;
import dev.party.store.CleanupRecord;
import dev.party.store.ExpiredQuery;
import dev.party.store.ExpiredTask;
import dev.party.store.Claim;
import dev.party.store.ClaimOne;
import dev.party.store.ClaimedTask;
import dev.party.store.Complete;
import dev.party.store.CompleteAndClaim;
import dev.party.store.CompleteResult;
import dev.party.store.CompletedAndClaimed;
import dev.party.store.CrashPolicy;
import dev.party.store.Completion;
import dev.party.store.FireSchedules;
import dev.party.store.FiredSchedules;
import dev.party.store.Heartbeat;
import dev.party.store.InsertChain;
import dev.party.store.InsertGroup;
import dev.party.store.InsertOnce;
import dev.party.store.InsertedOnce;
import dev.party.store.InsertTasks;
import dev.party.store.LeaseRef;
import dev.party.store.Limits;
import dev.party.store.DeclaredSchedule;
import dev.party.store.NewSchedule;
import dev.party.store.ScheduleTwin;
import dev.party.store.NewTask;
import dev.party.store.NextLeaseExpiry;
import dev.party.store.Purged;
import dev.party.store.ReleaseExpired;
import dev.party.store.ReleaseOwner;
import dev.party.store.Released;
import dev.party.store.Requeue;
import dev.party.store.RunNote;
import dev.party.store.SchedulePlan;
import dev.party.store.StoreStatus;
import dev.party.store.TaskStore;
import dev.party.store.TriggerSchedule;
import dev.party.store.WorkerNameLock;
import dev.party.store.jdbc.EpochMicros;
import dev.party.store.jdbc.GroupCommit;
import dev.party.store.jdbc.IdempotencyKeys;
import dev.party.store.jdbc.LimitRoom;
import dev.party.store.jdbc.Migrator;
import dev.party.store.jdbc.ScheduleRowMapper;
import dev.party.store.jdbc.StatusReader;
import dev.party.store.jdbc.TaskPurge;
import dev.party.store.jdbc.TaskRowMapper;
import dev.party.store.jdbc.WorkflowRows;
import dev.party.task.Enqueued;
import dev.party.task.TaskId;
import dev.party.task.TaskLogEntry;
import dev.party.task.TaskQuery;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import dev.party.store.ThroughputBucket;
import dev.party.store.ThroughputQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The embedded store: one SQLite file in WAL mode. All writes go through one connection in short
 * immediate transactions (SQLite has one writer anyway); reads use a second connection, so they
 * never wait for a write. Several processes may share the file; they queue on SQLite's lock.
 */
public final class SqliteStore implements TaskStore {
  /** The default file, relative to the working directory. */
  public static final Path DEFAULT_FILE = Path.of("party-data", "party.db");

  /** FULL (default): a commit survives power loss. NORMAL: survives a crash of the process only. */
  public enum Durability { FULL, NORMAL }

  private static final TaskPurge PURGE = new TaskPurge(SELECT_PURGE_CHECK, DELETE_LOG, DELETE_TASK);
  static final List<String> MIGRATIONS = List.of(
      "V001__create_party_task.sql", "V002__batch_and_singleton_keys.sql", "V003__create_party_schedule.sql",
      "V004__instance_keys.sql", "V005__chains_and_groups.sql", "V006__limits.sql", "V007__cleanup.sql",
      "V008__workers_and_queues.sql", "V009__supervisor_restarts.sql", "V010__continuation_links.sql",
      "V011__exact_run_times.sql", "V014__idempotency_keys.sql", "V015__crash_isolation.sql");

  /** Times are epoch milliseconds; a task's run time is exact through run_at_us ({@link RunAt}). */
  private static final TaskRowMapper ROWS = new TaskRowMapper((row, column) -> {
    if (column.equals("run_at")) return RunAt.read(row);
    long millis = row.getLong(column);
    return row.wasNull() ? null : Instant.ofEpochMilli(millis);
  });

  private static final ScheduleRowMapper SCHEDULES = new ScheduleRowMapper((row, column) -> {
    long millis = row.getLong(column);
    return row.wasNull() ? null : Instant.ofEpochMilli(millis);
  });
  /** Schedules fired per transaction; a call fires the rest in further ones. */
  static final int FIRE_BATCH = 100;
  /** Limit keys a claim looks at beyond its limit: some may be full by their rate limit. */
  static final int LIMITED_KEYS_SLACK = 16;

  private static final StatusReader STATUS = new StatusReader(COUNT_BY_STATE, COUNT_BY_HANDLER, NEXT_PENDING);

  private final Path file;
  private final SqliteConnection writer;
  private final SqliteConnection reader;
  private final InstantSource databaseClock;
  private final GroupCommit<InsertOnce, InsertedOnce> inserts;
  private static final IdempotencyKeys KEYS =
      new IdempotencyKeys(CLAIM_IDEMPOTENCY_KEY, SELECT_IDEMPOTENCY_KEY, ANSWER_IDEMPOTENCY_KEY);

  private SqliteStore(Path file, SqliteConnection writer, SqliteConnection reader, InstantSource clock) {
    this.file = file;
    this.writer = writer;
    this.reader = reader;
    this.databaseClock = clock;
    this.inserts = new GroupCommit<>(this::insertBatch);
  }

  /** Opens (creating if needed) the file with {@code synchronous=FULL}, and migrates it. */
  public static SqliteStore open(Path file) {
    return open(file, Durability.FULL, InstantSource.system());
  }

  /**
   * @param clock the store's own clock, used when a request carries no pinned time
   */
  public static SqliteStore open(Path file, Durability durability, InstantSource clock) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
    } catch (IOException e) {
      throw new StoreException("cannot create the folder for " + file + ": " + e.getMessage(), e);
    }
    SqliteConnection writer = SqliteConnection.open(file, durability);
    writer.write("migrate", connection -> {
      // Under BEGIN IMMEDIATE: two processes starting at once migrate one after the other.
      return new Migrator(SqliteStore.class, "/dev/party/store/sqlite/migrations", MIGRATIONS)
          .migrate(connection);
    });
    return new SqliteStore(file, writer, SqliteConnection.open(file, durability), clock);
  }

  public Path file() {
    return file;
  }

  /**
   * Epoch milliseconds, the unit of every time column. The run times the store picks (now, now plus
   * a delay) start from this too: whole milliseconds plus the delay's microseconds.
   */
  private long now(Instant pinned) {
    return (pinned != null ? pinned : databaseClock.instant()).toEpochMilli();
  }

  /** {@code millis} in epoch microseconds, run_at_us's unit. */
  static long micros(long millis) {
    return Math.multiplyExact(millis, 1_000L);
  }

  /** Concurrent inserts share a transaction, and so a commit (one fsync); see {@link GroupCommit}. */
  @Override
  public List<Enqueued> insert(InsertTasks request) {
    return inserts.submit(new InsertOnce(request), request.maxWait()).enqueued();
  }

  /** Grouped like any insert: the single writer orders two inserts of one key, in one batch or two. */
  @Override
  public InsertedOnce insertOnce(InsertOnce request) {
    return inserts.submit(request, request.insert().maxWait());
  }

  @Override
  public int deleteIdempotencyKeys(Instant before) {
    return writer.write("delete idempotency keys", connection -> {
      try (PreparedStatement delete = connection.prepareStatement(DELETE_IDEMPOTENCY_KEYS)) {
        delete.setLong(1, before.toEpochMilli());
        return delete.executeUpdate();
      }
    });
  }

  /**
   * One transaction for every insert queued meanwhile, each under its own savepoint, so a refused
   * one (a held unique key, a full capacity) is rolled back alone and the others commit.
   */
  private void insertBatch(List<GroupCommit.Pending<InsertOnce, InsertedOnce>> batch) {
    writer.write("insert", connection -> {
      if (batch.size() == 1) {
        batch.getFirst().answer(insertOnce(connection, batch.getFirst().request()));
        return null;
      }
      try (Statement savepoint = connection.createStatement()) {
        for (GroupCommit.Pending<InsertOnce, InsertedOnce> pending : batch) {
          savepoint.execute("SAVEPOINT one_request");
          try {
            pending.answer(insertOnce(connection, pending.request()));
          } catch (PartyException e) {
            savepoint.execute("ROLLBACK TO one_request");
            pending.refuse(e);
          }
          savepoint.execute("RELEASE one_request");
        }
      }
      return null;
    });
  }

  private InsertedOnce insertOnce(Connection connection, InsertOnce request) throws SQLException {
    if (request.key() == null) return new InsertedOnce(insertNow(connection, request.insert()), false);
    long now = now(request.insert().now());
    return KEYS.insertOnce(connection, request, (statement, index) -> statement.setLong(index, now),
        within -> insertNow(within, request.insert()));
  }

  /** Batch keys first: a covered task takes no capacity. */
  private List<Enqueued> insertNow(Connection connection, InsertTasks request) throws SQLException {
    long now = now(request.now());
    Covered covered = cover(connection, request.tasks(), now);
    checkCapacities(connection, request.capacities(), covered.toStore());
    store(connection, covered.toStore(), now);
    return covered.answers();
  }

  /**
   * What to store of {@code tasks}, and the answer for each: a task whose handler and batch key a
   * waiting task (stored earlier, or earlier in this list) holds is covered by it.
   */
  private record Covered(List<NewTask> toStore, List<Enqueued> answers) {}

  private static Covered cover(Connection connection, List<NewTask> tasks, long now) throws SQLException {
    if (tasks.stream().allMatch(task -> task.batchKey() == null)) {
      return new Covered(tasks, tasks.stream().map(task -> stored(task, now)).toList());
    }
    List<NewTask> toStore = new ArrayList<>();
    List<Enqueued> answers = new ArrayList<>();
    Map<List<String>, TaskId> waiting = new HashMap<>();
    try (PreparedStatement find = connection.prepareStatement(FIND_BATCH_COVER)) {
      for (NewTask task : tasks) {
        if (task.batchKey() == null) {
          toStore.add(task);
          answers.add(stored(task, now));
          continue;
        }
        List<String> key = List.of(task.handler(), task.batchKey());
        TaskId cover = waiting.get(key);
        if (cover == null) {
          find.setString(1, task.handler());
          find.setString(2, task.batchKey());
          try (ResultSet rows = find.executeQuery()) {
            if (rows.next()) cover = new TaskId(rows.getString(1));
          }
        }
        if (cover != null) {
          answers.add(Enqueued.coveredBy(cover));
        } else {
          waiting.put(key, task.id());
          toStore.add(task);
          answers.add(stored(task, now));
        }
      }
    }
    return new Covered(toStore, answers);
  }

  /** Inside the insert's transaction; SQLite's single writer makes count-then-insert atomic. */
  private static void checkCapacities(Connection connection, Map<String, Integer> capacities, List<NewTask> tasks)
      throws SQLException {
    for (var entry : capacities.entrySet()) {
      long adding = tasks.stream().filter(task -> task.handler().equals(entry.getKey())).count();
      if (adding > 0) checkCapacity(connection, entry.getKey(), entry.getValue(), adding);
    }
  }

  private static void checkCapacity(Connection connection, String handler, int capacity, long adding)
      throws SQLException {
    try (PreparedStatement count = connection.prepareStatement(COUNT_UNFINISHED)) {
      count.setString(1, handler);
      count.setInt(2, capacity);
      try (ResultSet rows = count.executeQuery()) {
        rows.next();
        if (rows.getLong(1) + adding > capacity) throw new QueueFullException(handler, capacity);
      }
    }
  }

  private static Enqueued stored(NewTask task, long now) {
    return Enqueued.stored(task.id(), EpochMicros.instant(runAt(task, now)));
  }

  /** In microseconds: as given, or now (whole milliseconds) plus the delay. */
  private static long runAt(NewTask task, long now) {
    if (task.runAt() != null) return EpochMicros.of(task.runAt());
    return Math.addExact(micros(now), task.runIn() != null ? EpochMicros.of(task.runIn()) : 0);
  }

  private static void executeInsert(PreparedStatement task, List<NewTask> tasks) throws SQLException {
    try {
      task.executeBatch();
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().contains("party_task.instance_key")) {
        throw instanceKeyTaken(tasks);
      }
      if (e.getMessage() != null && e.getMessage().contains("party_task.unique_key")) {
        throw new TaskConflictException("an unfinished task already holds one of the unique keys "
            + tasks.stream().map(NewTask::uniqueKey).filter(k -> k != null).toList());
      }
      throw e;
    }
  }

  @Override
  public List<ClaimedTask> claim(Claim request) {
    return writer.write("claim", connection -> claimWithin(connection, request));
  }

  @Override
  public Optional<ClaimedTask> claimOne(ClaimOne request) {
    long now = now(request.now());
    return writer.write("claim one", connection -> {
      LimitedTask limited = checkLimits(connection, request, now);
      ClaimedTask claimed;
      try (PreparedStatement update = connection.prepareStatement(CLAIM_ONE)) {
        update.setString(1, request.owner());
        update.setLong(2, now + request.lease().toMillis());
        update.setString(3, request.id().value());
        try (ResultSet rows = update.executeQuery()) {
          if (!rows.next()) return Optional.empty();
          claimed = ROWS.claimed(rows);
        } catch (SQLException e) {
          if (e.getMessage() == null || !e.getMessage().contains("party_task.singleton_key")) throw e;
          throw new TaskConflictException("task %s cannot run now: another task with its singleton key is RUNNING"
              .formatted(request.id()));
        }
      }
      try (PreparedStatement log = connection.prepareStatement(INSERT_LOG)) {
        addLog(log, claimed.task().id(), now, TaskState.PENDING, TaskState.RUNNING, request.owner(),
            "attempt %d of %d, run now by request".formatted(claimed.task().attempts(), claimed.task().maxAttempts()));
        log.executeBatch();
      }
      if (limited != null) countStarts(connection, limited.limits(), limited.handler(), limited.key(), 1, now);
      return Optional.of(claimed);
    });
  }

  /**
   * For a PENDING task of a limited handler: its limits, or a conflict when they leave no room.
   * Null for any other task.
   */
  private static LimitedTask checkLimits(Connection connection, ClaimOne request, long now) throws SQLException {
    String handler;
    String key;
    try (PreparedStatement select = connection.prepareStatement(TASK_LIMIT_KEY)) {
      select.setString(1, request.id().value());
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) return null;
        handler = row.getString(1);
        key = row.getString(2);
      }
    }
    Limits limits = request.limits().get(handler);
    if (limits == null) return null;
    if (room(connection, limits, handler, key, 1, now) == 0) {
      long running = running(connection, handler, key);
      throw new TaskConflictException("task %s cannot run now: %s".formatted(request.id(),
          LimitRoom.reason(limits, running, handler, key)));
    }
    return new LimitedTask(limits, handler, key);
  }

  private record LimitedTask(Limits limits, String handler, String key) {}

  private static long running(Connection connection, String handler, String key) throws SQLException {
    try (PreparedStatement usage = connection.prepareStatement(LIMIT_USAGE)) {
      usage.setString(1, handler);
      usage.setString(2, key);
      try (ResultSet row = usage.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  @Override
  public CompleteResult complete(Complete request) {
    return writer.write("complete", connection -> completeWithin(connection, request));
  }

  /** One transaction, so one commit (and one fsync) per engine step. Outcomes first: continuations they add can be claimed at once. */
  @Override
  public CompletedAndClaimed completeAndClaim(CompleteAndClaim request) {
    return writer.write("complete and claim", connection -> new CompletedAndClaimed(
        request.complete() == null ? null : completeWithin(connection, request.complete()),
        request.claim() == null ? List.of() : claimWithin(connection, request.claim())));
  }

  private CompleteResult completeWithin(Connection connection, Complete request) throws SQLException {
    return new Completions(connection, request.owner(), now(request.now()))
        .apply(request.completions(), SqliteStore::insertWithin);
  }

  /**
   * Limited handlers first, key by key, then the rest in one statement. The single writer makes
   * each key's count-then-claim atomic, so no lock is needed.
   */
  private List<ClaimedTask> claimWithin(Connection connection, Claim request) throws SQLException {
    long now = now(request.now());
    String queues = request.queues() == null ? null : Json.write(request.queues());
    Set<String> plain = new HashSet<>(request.handlers());
    plain.removeAll(request.limits().keySet());
    Map<String, Limits> limits = new HashMap<>(request.limits());
    limits.keySet().retainAll(request.handlers());
    List<ClaimedTask> claimed = new ArrayList<>();
    String handlers = Json.write(plain);
    if (request.idle() && request.limit() > 0 && !plain.isEmpty()) {
      skipSingletons(connection, now, handlers, queues);
      try (PreparedStatement update = connection.prepareStatement(CLAIM_SUSPECT)) {
        update.setString(1, request.owner());
        update.setLong(2, now + request.lease().toMillis());
        update.setLong(3, now);
        update.setString(4, handlers);
        update.setString(5, queues);
        try (ResultSet rows = update.executeQuery()) {
          while (rows.next()) claimed.add(ROWS.claimed(rows));
        }
      }
      if (!claimed.isEmpty()) return logClaimed(connection, request, claimed, now); // a suspect runs alone
    }
    if (!limits.isEmpty()) claimed.addAll(claimLimited(connection, request, limits, now, queues));
    int room = request.limit() - claimed.size();
    if (room > 0 && !plain.isEmpty()) {
      skipSingletons(connection, now, handlers, queues);
      try (PreparedStatement update = connection.prepareStatement(CLAIM_DUE)) {
        update.setString(1, request.owner());
        update.setLong(2, now + request.lease().toMillis());
        update.setLong(3, now);
        update.setString(4, handlers);
        update.setString(5, queues);
        update.setInt(6, room);
        try (ResultSet rows = update.executeQuery()) {
          while (rows.next()) claimed.add(ROWS.claimed(rows));
        }
      }
    }
    return logClaimed(connection, request, claimed, now);
  }

  private static List<ClaimedTask> logClaimed(Connection connection, Claim request, List<ClaimedTask> claimed,
      long now) throws SQLException {
    if (claimed.isEmpty()) return claimed;
    try (PreparedStatement log = connection.prepareStatement(INSERT_LOG)) {
      for (ClaimedTask c : claimed) {
        addLog(log, c.task().id(), now, TaskState.PENDING, TaskState.RUNNING, request.owner(),
            "attempt " + c.task().attempts() + " of " + c.task().maxAttempts());
      }
      log.executeBatch();
    }
    claimed.sort(ClaimedTask.PICKUP_ORDER);
    return claimed;
  }

  /** Due tasks of limited handlers, each key's within the room its limits leave. */
  private static List<ClaimedTask> claimLimited(Connection connection, Claim request, Map<String, Limits> limits,
      long now, String queues) throws SQLException {
    Map<String, Integer> concurrency = new HashMap<>();
    limits.forEach((handler, l) -> concurrency.put(handler, l.concurrencyOrMax()));
    List<String[]> keys = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(LIMITED_KEYS)) {
      select.setString(1, Json.write(concurrency));
      select.setLong(2, now);
      select.setString(3, queues);
      select.setInt(4, request.limit() + LIMITED_KEYS_SLACK);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) keys.add(new String[] {rows.getString(1), rows.getString(2)});
      }
    }
    List<ClaimedTask> claimed = new ArrayList<>();
    for (String[] key : keys) {
      int wanted = request.limit() - claimed.size();
      if (wanted == 0) break;
      Limits of = limits.get(key[0]);
      int room = room(connection, of, key[0], key[1], wanted, now);
      if (room == 0) continue;
      int before = claimed.size();
      try (PreparedStatement update = connection.prepareStatement(CLAIM_LIMITED)) {
        update.setString(1, request.owner());
        update.setLong(2, now + request.lease().toMillis());
        update.setLong(3, now);
        update.setString(4, key[0]);
        update.setString(5, key[1]);
        update.setString(6, queues);
        update.setInt(7, room);
        try (ResultSet rows = update.executeQuery()) {
          while (rows.next()) claimed.add(ROWS.claimed(rows));
        }
      }
      countStarts(connection, of, key[0], key[1], claimed.size() - before, now);
    }
    return claimed;
  }

  /** How many of {@code wanted} tasks of the key may start now. */
  private static int room(Connection connection, Limits limits, String handler, String key, int wanted, long now)
      throws SQLException {
    try (PreparedStatement usage = connection.prepareStatement(LIMIT_USAGE)) {
      usage.setString(1, handler);
      usage.setString(2, key);
      try (ResultSet row = usage.executeQuery()) {
        row.next();
        long running = row.getLong(1);
        long counted = row.getLong(2);
        Long window = row.wasNull() ? null : counted;
        return LimitRoom.room(limits, wanted, running, window, row.getLong(3), now);
      }
    }
  }

  private static void countStarts(Connection connection, Limits limits, String handler, String key, int starts, long now)
      throws SQLException {
    if (limits.rate() == null || starts == 0) return;
    try (PreparedStatement count = connection.prepareStatement(COUNT_STARTS)) {
      count.setString(1, handler);
      count.setString(2, key);
      count.setLong(3, LimitRoom.windowStart(limits.rate(), now));
      count.setInt(4, starts);
      count.executeUpdate();
    }
  }

  /** Due SKIP singletons whose key is held end FINISHED here, each with a log line saying why. */
  private static void skipSingletons(Connection connection, long now, String handlers, String queues)
      throws SQLException {
    try (PreparedStatement skip = connection.prepareStatement(SKIP_SINGLETONS);
        PreparedStatement log = connection.prepareStatement(INSERT_LOG)) {
      skip.setLong(1, now);
      skip.setString(2, handlers);
      skip.setString(3, queues);
      boolean any = false;
      try (ResultSet rows = skip.executeQuery()) {
        while (rows.next()) {
          any = true;
          addLog(log, new TaskId(rows.getString(1)), now, TaskState.PENDING, TaskState.FINISHED, null,
              skippedMessage(rows.getString(2)));
        }
      }
      if (any) log.executeBatch();
    }
  }

  static String skippedMessage(String singletonKey) {
    return "skipped: another task with singleton key '%s' was RUNNING".formatted(singletonKey);
  }

  /** Inserts tasks inside the caller's transaction (a completion's continuations), batch keys first. */
  private static List<Enqueued> insertWithin(Connection connection, List<NewTask> tasks, long now) throws SQLException {
    Covered covered = cover(connection, tasks, now);
    store(connection, covered.toStore(), now);
    return covered.answers();
  }

  private static void store(Connection connection, List<NewTask> tasks, long now) throws SQLException {
    if (tasks.isEmpty()) return;
    try (PreparedStatement task = connection.prepareStatement(INSERT_TASK)) {
      for (NewTask t : tasks) {
        task.setString(1, t.id().value());
        task.setString(2, t.handler());
        task.setString(3, t.queue());
        task.setString(4, t.data());
        task.setInt(5, t.priority());
        RunAt.bind(task, 6, 16, runAt(t, now));
        task.setLong(7, now);
        task.setInt(8, t.maxAttempts());
        task.setString(9, t.uniqueKey());
        setMillis(task, 10, t.lastRunOn());
        task.setString(11, t.batchKey());
        task.setString(12, t.singletonKey());
        task.setString(13, t.singletonPolicy() == null ? null : t.singletonPolicy().name());
        task.setString(14, t.instanceKey());
        task.setString(15, t.limitKey());
        task.addBatch();
      }
      executeInsert(task, tasks);
    }
  }

  @Override
  public List<LeaseRef> heartbeat(Heartbeat request) {
    long expires = now(request.now()) + request.lease().toMillis();
    return writer.write("heartbeat", connection -> {
      List<LeaseRef> lost = new ArrayList<>();
      try (PreparedStatement extend = connection.prepareStatement(EXTEND_LEASE)) {
        for (LeaseRef ref : request.runs()) {
          extend.setLong(1, expires);
          extend.setString(2, ref.id().value());
          extend.setLong(3, ref.token());
          if (extend.executeUpdate() == 0) lost.add(ref);
        }
      }
      return lost;
    });
  }

  @Override
  public List<Released> releaseExpired(ReleaseExpired request) {
    long now = now(request.now());
    return writer.write("release expired leases", connection -> {
      try (PreparedStatement select = connection.prepareStatement(SELECT_EXPIRED)) {
        select.setLong(1, now);
        return releaseLost(connection, select, now, "lease expired (worker died or hung)", request.maxCrashes());
      }
    });
  }

  @Override
  public Optional<Duration> nextLeaseExpiry(NextLeaseExpiry request) {
    long now = now(request.now());
    return reader.read("next lease expiry", connection -> {
      try (PreparedStatement next = connection.prepareStatement(NEXT_LEASE_EXPIRY);
          ResultSet rows = next.executeQuery()) {
        if (!rows.next()) return Optional.empty();
        long expires = rows.getLong(1);
        return rows.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(expires - now));
      }
    });
  }

  @Override
  public List<Released> releaseOwner(ReleaseOwner request) {
    long now = now(request.now());
    return writer.write("release owner", connection -> {
      try (PreparedStatement select = connection.prepareStatement(SELECT_OWNED)) {
        select.setString(1, request.owner());
        return releaseLost(connection, select, now, "worker " + request.owner() + " restarted", request.maxCrashes());
      }
    });
  }

  /** Takes back lost runs as {@link CrashPolicy} judges them; the single writer makes read-then-write atomic. */
  private static List<Released> releaseLost(Connection connection, PreparedStatement select, long now, String reason,
      int maxCrashes) throws SQLException {
    List<LeaseRef> lost = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    List<CrashPolicy.LostRun> runs = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        lost.add(new LeaseRef(new TaskId(rows.getString(1)), rows.getLong(2)));
        owners.add(rows.getString(3));
        runs.add(new CrashPolicy.LostRun(rows.getInt(4), rows.getInt(5), rows.getInt(6)));
      }
    }
    Map<String, LostWorker> workers = new HashMap<>();
    for (String owner : owners) {
      if (!workers.containsKey(owner)) workers.put(owner, lostWorker(connection, owner));
    }
    List<Released> released = new ArrayList<>();
    try (PreparedStatement update = connection.prepareStatement(RELEASE_LOST_RUN);
        PreparedStatement log = connection.prepareStatement(INSERT_LOG)) {
      for (int i = 0; i < lost.size(); i++) {
        LeaseRef ref = lost.get(i);
        LostWorker worker = workers.get(owners.get(i));
        CrashPolicy.Verdict verdict = CrashPolicy.judge(runs.get(i), worker.running(), worker.exitCode(), reason, maxCrashes);
        update.setString(1, verdict.state().name());
        update.setInt(2, verdict.attempts());
        update.setInt(3, verdict.crashes());
        if (verdict.state() == TaskState.FAILED) update.setLong(4, now);
        else update.setNull(4, Types.INTEGER);
        update.setString(5, verdict.error());
        update.setString(6, ref.id().value());
        update.setLong(7, ref.token());
        if (update.executeUpdate() == 0) continue;
        released.add(new Released(ref.id(), owners.get(i), verdict.state()));
        addLog(log, ref.id(), now, TaskState.RUNNING, verdict.state(), owners.get(i), verdict.error());
      }
      log.executeBatch();
    }
    return released;
  }

  private record LostWorker(int running, Integer exitCode) {}

  private static LostWorker lostWorker(Connection connection, String owner) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(LOST_WORKER)) {
      select.setString(1, owner);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        int running = row.getInt(1);
        int exitCode = row.getInt(2);
        return new LostWorker(running, row.wasNull() ? null : exitCode);
      }
    }
  }

  @Override
  public boolean note(RunNote note) {
    long now = now(note.now());
    return writer.write("note", connection -> {
      try (PreparedStatement update = connection.prepareStatement(NOTE_PROGRESS)) {
        if (note.progress() == null) update.setNull(1, Types.INTEGER);
        else update.setInt(1, note.progress());
        update.setString(2, note.ref().id().value());
        update.setLong(3, note.ref().token());
        if (update.executeUpdate() == 0) return false;
      }
      if (note.message() != null) {
        try (PreparedStatement log = connection.prepareStatement(INSERT_LOG)) {
          addLog(log, note.ref().id(), now, TaskState.RUNNING, TaskState.RUNNING, note.worker(), note.message());
          log.executeBatch();
        }
      }
      return true;
    });
  }

  @Override
  public Optional<TaskView> cancel(Cancel request) {
    long now = now(request.now());
    return writer.write("cancel", connection -> {
      Optional<TaskView> before = ROWS.oneTask(connection, SELECT_TASK, request.id());
      if (before.isEmpty() || before.get().state().isFinal()) return before;
      try (PreparedStatement update = connection.prepareStatement(CANCEL_TASK);
          PreparedStatement log = connection.prepareStatement(INSERT_LOG)) {
        update.setLong(1, now);
        update.setString(2, request.id().value());
        update.executeUpdate();
        addLog(log, request.id(), now, before.get().state(), TaskState.CANCELLED, null, request.reason());
        log.executeBatch();
      }
      return ROWS.oneTask(connection, SELECT_TASK, request.id());
    });
  }

  @Override
  public Optional<TaskView> requeue(Requeue request) {
    return writer.write("requeue", connection -> {
      try (PreparedStatement update = connection.prepareStatement(REQUEUE_TASK);
          PreparedStatement log = connection.prepareStatement(INSERT_LOG)) {
        if (requeueWithin(connection, update, log, request)) log.executeBatch();
      }
      return ROWS.oneTask(connection, SELECT_TASK, request.id());
    });
  }

  /**
   * One transaction, so one fsync, for the whole list. A refused task writes nothing before it is
   * refused (SQLite undoes just the failed UPDATE, not the transaction), so the batch goes on.
   */
  @Override
  public int requeueAll(List<Requeue> requests) {
    if (requests.isEmpty()) return 0;
    return writer.write("requeue all", connection -> {
      int requeued = 0;
      try (PreparedStatement update = connection.prepareStatement(REQUEUE_TASK);
          PreparedStatement log = connection.prepareStatement(INSERT_LOG)) {
        for (Requeue request : requests) {
          try {
            if (requeueWithin(connection, update, log, request)) requeued++;
          } catch (QueueFullException | TaskConflictException passedOver) {
            // Stays FAILED; requeueAll passes it over.
          }
        }
        if (requeued > 0) log.executeBatch();
      }
      return requeued;
    });
  }

  /**
   * Puts the task back when it is FAILED, adding its log row to {@code log}'s batch; false when it
   * is not FAILED (or does not exist).
   *
   * @throws QueueFullException when its handler is at {@link Requeue#capacity}
   * @throws TaskConflictException when another unfinished task holds its unique key
   */
  private boolean requeueWithin(Connection connection, PreparedStatement update, PreparedStatement log,
      Requeue request) throws SQLException {
    long now = now(request.now());
    Optional<TaskView> before = ROWS.oneTask(connection, SELECT_TASK, request.id());
    if (before.isEmpty() || before.get().state() != TaskState.FAILED) return false;
    if (request.capacity() != null) checkCapacity(connection, before.get().handler(), request.capacity(), 1);
    update.setLong(1, now);
    update.setString(2, request.id().value());
    try {
      update.executeUpdate();
    } catch (SQLException e) {
      if (e.getMessage() == null || !e.getMessage().contains("party_task.unique_key")) throw e;
      throw new TaskConflictException("task %s cannot go back to the queue: another unfinished task holds its unique key '%s'"
          .formatted(request.id(), before.get().uniqueKey()));
    }
    addLog(log, request.id(), now, TaskState.FAILED, TaskState.PENDING, null, request.reason());
    return true;
  }

  /** Names the task whose key was taken when one of {@code tasks} has an instance key, else them all. */
  private static TaskConflictException instanceKeyTaken(List<NewTask> tasks) {
    List<NewTask> keyed = tasks.stream().filter(task -> task.instanceKey() != null).toList();
    if (keyed.size() == 1) return TaskConflictException.instanceKeyTaken(keyed.getFirst().handler(), keyed.getFirst().instanceKey());
    return new TaskConflictException("a task with one of the handler and instance keys "
        + keyed.stream().map(task -> task.handler() + "/" + task.instanceKey()).toList() + " exists already");
  }

  @Override
  public Optional<TaskView> getByInstanceKey(String handler, String instanceKey) {
    return reader.read("get by instance key", connection -> {
      try (PreparedStatement query = connection.prepareStatement(SELECT_TASK_BY_INSTANCE)) {
        query.setString(1, handler);
        query.setString(2, instanceKey);
        List<TaskView> found = ROWS.tasks(query);
        return found.isEmpty() ? Optional.empty() : Optional.of(ROWS.withLastStep(connection, LAST_STEP, found.getFirst()));
      }
    });
  }

  @Override
  public Optional<TaskView> get(TaskId id) {
    return reader.read("get", connection -> ROWS.oneTaskWithLastStep(connection, SELECT_TASK, LAST_STEP, id));
  }

  @Override
  public List<TaskLogEntry> log(TaskId id) {
    return reader.read("log", connection -> ROWS.log(connection, SELECT_LOG, id));
  }

  @Override
  public List<TaskView> list(TaskQuery q) {
    return reader.read("list", connection -> {
      try (PreparedStatement query = connection.prepareStatement(LIST_TASKS)) {
        query.setString(1, q.state() == null ? null : q.state().name());
        query.setString(2, q.handler());
        query.setString(3, q.before() == null ? null : q.before().value());
        query.setInt(4, q.limit());
        return ROWS.tasks(query);
      }
    });
  }

  @Override
  public List<TaskView> recurringTasks(int limit) {
    return reader.read("recurring tasks", connection -> {
      try (PreparedStatement query = connection.prepareStatement(RECURRING_TASKS)) {
        query.setInt(1, limit);
        return ROWS.tasks(query);
      }
    });
  }

  @Override
  public StoreStatus status() {
    return reader.read("status", STATUS::read);
  }

  @Override
  public List<ThroughputBucket> throughput(ThroughputQuery query) {
    return reader.read("throughput", connection -> {
      try (PreparedStatement select = connection.prepareStatement(THROUGHPUT)) {
        select.setLong(1, query.bucketMillis());
        select.setLong(2, query.since().toEpochMilli());
        List<ThroughputBucket> buckets = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            buckets.add(new ThroughputBucket(Instant.ofEpochMilli(rows.getLong(1)), rows.getLong(2), rows.getLong(3)));
          }
        }
        return buckets;
      }
    });
  }

  static void addLog(PreparedStatement log, TaskId id, long at, TaskState from, TaskState to,
      String worker, String message) throws SQLException {
    log.setString(1, id.value());
    log.setLong(2, at);
    log.setString(3, from == null ? null : from.name());
    log.setString(4, to.name());
    log.setString(5, worker);
    log.setString(6, message);
    log.addBatch();
  }

  static void setMillis(PreparedStatement statement, int index, Instant value) throws SQLException {
    if (value == null) statement.setNull(index, Types.INTEGER);
    else statement.setLong(index, value.toEpochMilli());
  }

  // ---- chains and groups -----------------------------------------------------------------------

  @Override
  public void insertChain(InsertChain request) {
    long now = now(request.now());
    writer.write("insert chain", connection -> {
      checkCapacities(connection, request.capacities(), request.steps());
      insertWithin(connection, request.steps(), now);
      WorkflowRows.markChain(connection, MARK_CHAIN_STEP, request);
      return null;
    });
  }

  @Override
  public void insertGroup(InsertGroup request) {
    long now = now(request.now());
    writer.write("insert group", connection -> {
      checkCapacities(connection, request.capacities(), request.all());
      insertWithin(connection, request.all(), now);
      try (PreparedStatement group = connection.prepareStatement(INSERT_GROUP)) {
        group.setString(1, request.groupId());
        group.setInt(2, request.members().size());
        group.setLong(3, now);
        group.executeUpdate();
      }
      WorkflowRows.markGroup(connection, MARK_GROUP_MEMBER, MARK_CALLBACK, request);
      return null;
    });
  }

  @Override
  public Optional<TaskView> previousStep(TaskId step) {
    return reader.read("previous step", connection -> ROWS.oneTask(connection, SELECT_PREVIOUS_STEP, step));
  }

  @Override
  public List<TaskView> groupMembers(TaskId callback) {
    return reader.read("group members", connection -> {
      try (PreparedStatement query = connection.prepareStatement(SELECT_GROUP_MEMBERS)) {
        query.setString(1, callback.value());
        return ROWS.tasks(query);
      }
    });
  }

  // ---- cleanup --------------------------------------------------------------------------------

  @Override
  public List<ExpiredTask> expired(ExpiredQuery q) {
    return reader.read("expired", connection -> {
      List<TaskView> tasks;
      try (PreparedStatement query = connection.prepareStatement(SELECT_PAST_RETENTION)) {
        query.setLong(1, q.finishedBefore().toEpochMilli());
        query.setString(2, q.handler());
        query.setString(3, Json.write(q.except()));
        query.setInt(4, q.limit());
        tasks = ROWS.tasks(query);
      }
      List<ExpiredTask> expired = new ArrayList<>(tasks.size());
      for (TaskView task : tasks) expired.add(new ExpiredTask(task, ROWS.log(connection, SELECT_LOG, task.id())));
      return expired;
    });
  }

  @Override
  public int deleteFinal(List<TaskId> ids) {
    if (ids.isEmpty()) return 0;
    return writer.write("delete final", connection -> deleteWithin(connection, ids));
  }

  private static int deleteWithin(Connection connection, List<TaskId> ids) throws SQLException {
    try (PreparedStatement log = connection.prepareStatement(DELETE_FINAL_LOG);
        PreparedStatement task = connection.prepareStatement(DELETE_FINAL)) {
      for (TaskId id : ids) {
        log.setString(1, id.value());
        log.addBatch();
        task.setString(1, id.value());
        task.addBatch();
      }
      log.executeBatch();
      int deleted = 0;
      for (int count : task.executeBatch()) deleted += Math.max(count, 0);
      return deleted;
    }
  }

  @Override
  public Purged purge(TaskId id) {
    return writer.write("purge", connection -> PURGE.purge(connection, id));
  }

  @Override
  public int archive(List<ArchivedTask> tasks, Instant pinned) {
    if (tasks.isEmpty()) return 0;
    long now = now(pinned);
    return writer.write("archive", connection -> {
      try (PreparedStatement insert = connection.prepareStatement(INSERT_ARCHIVE)) {
        for (ArchivedTask task : tasks) {
          insert.setString(1, task.id().value());
          insert.setString(2, task.handler());
          insert.setString(3, task.state().name());
          setMillis(insert, 4, task.finishedAt());
          insert.setLong(5, now);
          insert.setString(6, task.json());
          insert.addBatch();
        }
        insert.executeBatch();
      }
      return deleteWithin(connection, tasks.stream().map(ArchivedTask::id).toList());
    });
  }

  @Override
  public void recordCleanup(Instant at, long completed, long failed) {
    writer.write("record cleanup", connection -> {
      try (PreparedStatement record = connection.prepareStatement(RECORD_CLEANUP)) {
        record.setLong(1, at.toEpochMilli());
        record.setLong(2, completed);
        record.setLong(3, failed);
        record.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<CleanupRecord> lastCleanup() {
    return reader.read("last cleanup", connection -> {
      try (PreparedStatement query = connection.prepareStatement(SELECT_CLEANUP); ResultSet row = query.executeQuery()) {
        if (!row.next()) return Optional.empty();
        return Optional.of(new CleanupRecord(Instant.ofEpochMilli(row.getLong(1)), row.getLong(2), row.getLong(3),
            row.getLong(4), row.getLong(5)));
      }
    });
  }

  // ---- schedules ------------------------------------------------------------------------------

  @Override
  public void addSchedule(NewSchedule schedule) {
    long now = now(schedule.now());
    writer.write("add schedule", connection -> {
      if (SCHEDULES.one(connection, SELECT_SCHEDULE, schedule.name()).isPresent()) {
        throw new TaskConflictException("a schedule named '%s' already exists; unschedule it first, or choose another name"
            .formatted(schedule.name()));
      }
      Optional<ScheduleTwin> twin = twin(connection, schedule);
      if (twin.isPresent()) throw schedule.twinOf(twin.get());
      insertSchedule(connection, schedule, now);
      return null;
    });
  }

  @Override
  public DeclaredSchedule declareSchedule(NewSchedule schedule) {
    long now = now(schedule.now());
    return writer.write("declare schedule", connection -> {
      Optional<ScheduleTwin> twin = twin(connection, schedule);
      if (twin.isPresent()) return DeclaredSchedule.skipped(twin.get());
      Optional<ScheduleView> stored = SCHEDULES.one(connection, SELECT_SCHEDULE, schedule.name());
      if (stored.isEmpty()) {
        insertSchedule(connection, schedule, now);
        return DeclaredSchedule.CHANGED;
      }
      if (schedule.sameDefinition(stored.get())) return DeclaredSchedule.UNCHANGED;
      boolean sameTimes = schedule.recurrence().equals(stored.get().recurrence());
      try (PreparedStatement update = connection.prepareStatement(REDEFINE_SCHEDULE)) {
        int next = SCHEDULES.bindDefinition(update, 1, schedule);
        update.setLong(next, (sameTimes ? stored.get().nextRunAt() : schedule.firstRunAt()).toEpochMilli());
        update.setLong(next + 1, now);
        update.setString(next + 2, schedule.name());
        update.executeUpdate();
      }
      return DeclaredSchedule.CHANGED;
    });
  }

  /** One recurring task per handler and data; the single writer keeps the check and the write together. */
  private static Optional<ScheduleTwin> twin(Connection connection, NewSchedule schedule) throws SQLException {
    return SCHEDULES.twin(connection, SELECT_HANDLER_SCHEDULES, SELECT_UNFINISHED_KEY_HOLDER, schedule);
  }

  private static void insertSchedule(Connection connection, NewSchedule schedule, long now) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_SCHEDULE)) {
      insert.setString(1, schedule.name());
      int next = SCHEDULES.bindDefinition(insert, 2, schedule);
      insert.setLong(next, schedule.firstRunAt().toEpochMilli());
      insert.setLong(next + 1, now);
      insert.setLong(next + 2, now);
      insert.executeUpdate();
    }
  }

  @Override
  public boolean removeSchedule(String name) {
    return writer.write("remove schedule", connection -> {
      try (PreparedStatement delete = connection.prepareStatement(DELETE_SCHEDULE)) {
        delete.setString(1, name);
        return delete.executeUpdate() > 0;
      }
    });
  }

  @Override
  public Optional<ScheduleView> pauseSchedule(String name, boolean paused, Instant pinned) {
    long now = now(pinned);
    return writer.write("pause schedule", connection -> {
      Optional<ScheduleView> before = SCHEDULES.one(connection, SELECT_SCHEDULE, name);
      if (before.isEmpty()) return before;
      Instant next = paused ? before.get().nextRunAt() : SchedulePlan.resumedAt(before.get(), Instant.ofEpochMilli(now));
      try (PreparedStatement update = connection.prepareStatement(PAUSE_SCHEDULE)) {
        update.setBoolean(1, paused);
        update.setLong(2, next.toEpochMilli());
        update.setLong(3, now);
        update.setString(4, name);
        update.executeUpdate();
      }
      return SCHEDULES.one(connection, SELECT_SCHEDULE, name);
    });
  }

  @Override
  public Optional<ScheduleView> schedule(String name) {
    return reader.read("schedule", connection -> SCHEDULES.one(connection, SELECT_SCHEDULE, name));
  }

  @Override
  public List<ScheduleView> schedules() {
    return reader.read("schedules", connection -> SCHEDULES.all(connection, SELECT_SCHEDULES));
  }

  /** SQLite's one writer at a time (BEGIN IMMEDIATE, across processes too) makes each period fire once. */
  @Override
  public FiredSchedules fireSchedules(FireSchedules request) {
    long now = now(request.now());
    Instant at = Instant.ofEpochMilli(now);
    return writer.write("fire schedules", connection -> {
      List<TaskId> stored = new ArrayList<>();
      int skipped = 0;
      List<ScheduleView> due = new ArrayList<>();
      Map<String, RuntimeException> broken = new LinkedHashMap<>();
      try (PreparedStatement select = connection.prepareStatement(SELECT_DUE_SCHEDULES)) {
        select.setLong(1, now);
        select.setInt(2, FIRE_BATCH);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            try {
              due.add(SCHEDULES.schedule(rows));
            } catch (RuntimeException unreadable) {
              broken.put(rows.getString("name"), unreadable);
            }
          }
        }
      }
      for (var entry : broken.entrySet()) shelve(connection, entry.getKey(), at, entry.getValue());
      for (ScheduleView schedule : due) {
        SchedulePlan plan;
        try {
          plan = SchedulePlan.of(schedule, at, unfinished(connection, schedule.lastTaskId()),
              request.ids(), request.catchUpLimit());
        } catch (RuntimeException unplannable) {
          shelve(connection, schedule.name(), at, unplannable);
          continue;
        }
        insertWithin(connection, plan.tasks(), now);
        try (PreparedStatement fired = connection.prepareStatement(SCHEDULE_FIRED)) {
          fired.setLong(1, plan.nextRunAt().toEpochMilli());
          setMillis(fired, 2, plan.lastRunOn());
          fired.setString(3, plan.lastTaskId() == null ? null : plan.lastTaskId().value());
          fired.setLong(4, now);
          fired.setString(5, schedule.name());
          fired.executeUpdate();
        }
        plan.tasks().forEach(task -> stored.add(task.id()));
        skipped += plan.skipped();
      }
      return new FiredSchedules(stored, skipped, nextScheduleDue(connection));
    });
  }

  private static void shelve(Connection connection, String name, Instant now, RuntimeException why) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(SHELVE_SCHEDULE)) {
      update.setLong(1, SchedulePlan.shelve(name, now, why).toEpochMilli());
      update.setLong(2, now.toEpochMilli());
      update.setString(3, name);
      update.executeUpdate();
    }
  }

  private static boolean unfinished(Connection connection, TaskId task) throws SQLException {
    if (task == null) return false;
    try (PreparedStatement query = connection.prepareStatement(TASK_UNFINISHED)) {
      query.setString(1, task.value());
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static Instant nextScheduleDue(Connection connection) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(NEXT_SCHEDULE_DUE);
        ResultSet rows = query.executeQuery()) {
      rows.next();
      long next = rows.getLong(1);
      return rows.wasNull() ? null : Instant.ofEpochMilli(next);
    }
  }

  @Override
  public Optional<TaskId> triggerSchedule(TriggerSchedule request) {
    long now = now(request.now());
    return writer.write("trigger schedule", connection -> {
      Optional<ScheduleView> schedule = SCHEDULES.one(connection, SELECT_SCHEDULE, request.name());
      if (schedule.isEmpty()) return Optional.<TaskId>empty();
      Instant at = Instant.ofEpochMilli(now);
      insertWithin(connection, List.of(SchedulePlan.task(schedule.get(), request.id(), at, schedule.get().lastRunOn())), now);
      try (PreparedStatement fired = connection.prepareStatement(SCHEDULE_FIRED)) {
        fired.setLong(1, schedule.get().nextRunAt().toEpochMilli());
        fired.setLong(2, now);
        fired.setString(3, request.id().value());
        fired.setLong(4, now);
        fired.setString(5, request.name());
        fired.executeUpdate();
      }
      return Optional.of(request.id());
    });
  }

  // ---- queues -----------------------------------------------------------------------------------

  @Override
  public QueueView pauseQueue(String name, boolean paused, Instant pinned) {
    long now = now(pinned);
    return writer.write(paused ? "pause queue" : "resume queue", connection -> {
      try (PreparedStatement upsert = connection.prepareStatement(PAUSE_QUEUE)) {
        upsert.setString(1, name);
        upsert.setBoolean(2, paused);
        upsert.setLong(3, now);
        upsert.executeUpdate();
      }
      return readQueues(connection, name).getFirst();
    });
  }

  @Override
  public List<QueueView> queues() {
    return reader.read("queues", connection -> readQueues(connection, null));
  }

  private static List<QueueView> readQueues(Connection connection, String name) throws SQLException {
    List<QueueView> queues = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(SELECT_QUEUES)) {
      select.setString(1, name);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          long pausedAt = rows.getLong("paused_at");
          Instant at = rows.wasNull() ? null : Instant.ofEpochMilli(pausedAt);
          queues.add(new QueueView(rows.getString("name"), rows.getBoolean("paused"), at,
              rows.getLong("pending"), rows.getLong("running")));
        }
      }
    }
    return queues;
  }

  // ---- worker registry --------------------------------------------------------------------------

  @Override
  public void registerWorker(RegisterWorker request) {
    long now = now(request.now());
    writer.write("register worker", connection -> {
      try (PreparedStatement prune = connection.prepareStatement(PRUNE_WORKERS)) {
        prune.setLong(1, now - RegisterWorker.KEPT.toMillis());
        prune.executeUpdate();
      }
      try (PreparedStatement insert = connection.prepareStatement(REGISTER_WORKER)) {
        insert.setString(1, request.name());
        insert.setString(2, request.host());
        insert.setLong(3, request.pid());
        insert.setString(4, String.join(",", request.queues()));
        insert.setInt(5, request.slots());
        insert.setString(6, request.version());
        insert.setLong(7, request.heartbeat().toMillis());
        insert.setLong(8, now);
        insert.setLong(9, now);
        insert.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void workerHeartbeat(WorkerRef request) {
    long now = now(request.now());
    writer.write("worker heartbeat", connection -> {
      try (PreparedStatement update = connection.prepareStatement(WORKER_HEARTBEAT)) {
        update.setLong(1, now);
        update.setString(2, request.name());
        return update.executeUpdate();
      }
    });
  }

  @Override
  public void stopWorker(WorkerRef request) {
    long now = now(request.now());
    writer.write("stop worker", connection -> {
      try (PreparedStatement update = connection.prepareStatement(STOP_WORKER)) {
        update.setLong(1, now);
        update.setLong(2, now);
        update.setString(3, request.name());
        return update.executeUpdate();
      }
    });
  }

  @Override
  public List<WorkerView> workers(Instant pinned) {
    long now = now(pinned);
    return reader.read("workers", connection -> {
      Map<String, List<TaskId>> running = WorkerRows.running(connection, SELECT_RUNNING_OWNERS);
      List<WorkerView> workers = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(SELECT_WORKERS)) {
        select.setLong(1, now);
        select.setLong(2, now - RegisterWorker.KEPT.toMillis());
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            String queues = rows.getString("queues");
            long stopped = rows.getLong("stopped_at");
            Instant stoppedAt = rows.wasNull() ? null : Instant.ofEpochMilli(stopped);
            workers.add(WorkerRows.worker(rows, queues.isEmpty() ? List.of() : List.of(queues.split(",")),
                Instant.ofEpochMilli(rows.getLong("started_at")), Instant.ofEpochMilli(rows.getLong("last_heartbeat")),
                stoppedAt, running));
          }
        }
      }
      return workers;
    });
  }

  // ---- worker processes -----------------------------------------------------------------------

  @Override
  public void recordExit(String worker, int exitCode) {
    writer.write("record exit", connection -> {
      try (PreparedStatement update = connection.prepareStatement(RECORD_EXIT)) {
        update.setInt(1, exitCode);
        update.setString(2, worker);
        update.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void recordRestart(String supervisor) {
    long now = now(null);
    writer.write("record restart", connection -> {
      try (PreparedStatement upsert = connection.prepareStatement(RECORD_RESTART)) {
        upsert.setString(1, supervisor);
        upsert.setLong(2, now);
        upsert.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public long restartedWorkers() {
    return reader.read("restarted workers", connection -> {
      try (PreparedStatement select = connection.prepareStatement(SELECT_RESTARTED_WORKERS);
          ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0L;
      }
    });
  }

  @Override
  public Optional<WorkerNameLock> lockWorkerName(String workerId) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      return FileNameLock.tryAcquire(parent, workerId).map(lock -> lock);
    } catch (IOException e) {
      throw new StoreException("cannot lock worker name " + workerId + " beside " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      reader.close();
    } finally {
      writer.close();
    }
  }
}
