package dev.party.store.postgres;

import static dev.party.store.postgres.PostgresQueries.*;

import dev.party.store.QueueView;
import dev.party.store.RegisterWorker;
import dev.party.store.WorkerRef;
import dev.party.store.WorkerView;
import dev.party.store.jdbc.WorkerRows;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.party.error.InvalidTaskException;
import dev.party.error.PartyException;
import dev.party.error.QueueFullException;
import dev.party.error.StoreException;
import dev.party.error.TaskConflictException;
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
import dev.party.store.NextLeaseExpiry;
import dev.party.store.NewTask;
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
import dev.party.store.jdbc.StoreCircuit;
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
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store for many nodes: any number of worker processes on any number of machines share one
 * PostgreSQL database and nothing else. Claims use {@code FOR UPDATE SKIP LOCKED}; every time
 * comparison uses the database's {@code now()}; batches travel as arrays in one statement;
 * {@code LISTEN/NOTIFY} wakes idle workers. Connections are pooled with HikariCP.
 */
public final class PostgresStore implements TaskStore {
  private static final TaskPurge PURGE = new TaskPurge(LOCK_PURGE_CHECK, DELETE_LOG, DELETE_TASK);
  private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
  static final List<String> MIGRATIONS = List.of(
      "V001__create_party_task.sql", "V002__batch_and_singleton_keys.sql", "V003__create_party_schedule.sql",
      "V004__instance_keys.sql", "V005__chains_and_groups.sql", "V006__limits.sql", "V007__cleanup.sql",
      "V008__workers_and_queues.sql", "V009__supervisor_restarts.sql", "V010__continuation_links.sql",
      "V014__idempotency_keys.sql", "V015__crash_isolation.sql");

  /** How long one call may wait on the database's answer before it fails. */
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

  private static final TaskRowMapper ROWS = new TaskRowMapper((row, column) -> {
    OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  });

  private static final ScheduleRowMapper SCHEDULES = new ScheduleRowMapper((row, column) -> {
    OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  });
  /** Schedules fired per transaction; a call fires the rest in further ones. */
  static final int FIRE_BATCH = 100;

  private static final StatusReader STATUS = new StatusReader(COUNT_BY_STATE, COUNT_BY_HANDLER, NEXT_PENDING);

  private final PostgresOptions options;
  private final HikariDataSource pool;
  private final GroupCommit<InsertTasks, List<Enqueued>> inserts = new GroupCommit<>(this::insertBatch);
  /** Inserts of fewer tasks than this are grouped (see {@link #insert}). */
  static final int GROUP_BELOW = 64;
  /**
   * How often a claim is tried again when party_task_singleton refused it (another node took a
   * singleton key after this claim's snapshot), and how often an enqueue with a batch key looks
   * again when the waiting task that refused its insert started before it could be read.
   */
  static final int RACE_TRIES = 10;
  /** Limit keys a claim looks at beyond its limit: some may be full by their rate limit, or locked. */
  static final int LIMITED_KEYS_SLACK = 16;

  /** Fails calls at once while the database is known to be unreachable; see {@link StoreCircuit}. */
  private final StoreCircuit circuit;
  /** Each call's network timeout (see {@link #withCallTimeout}); null: the connections' own. */
  private final Duration callTimeout;
  /** False for a view made by {@link #withCallTimeout}: the pool belongs to the store it came from. */
  private final boolean ownsPool;

  private PostgresStore(PostgresOptions options, HikariDataSource pool) {
    this(options, pool, null, true, new StoreCircuit(InstantSource.system(), StoreCircuit.DEFAULT_PROBE_EVERY, () ->
        pool.getHikariPoolMXBean() != null && pool.getHikariPoolMXBean().getActiveConnections() >= options.poolSize()));
  }

  /** A view shares its store's pool and circuit: the database is down for both or neither. */
  private PostgresStore(PostgresOptions options, HikariDataSource pool, Duration callTimeout, boolean ownsPool,
      StoreCircuit circuit) {
    this.options = options;
    this.pool = pool;
    this.callTimeout = callTimeout;
    this.ownsPool = ownsPool;
    this.circuit = circuit;
  }

  /** Connects to {@code jdbcUrl} (e.g. {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}) and migrates. */
  public static PostgresStore open(String jdbcUrl) {
    return open(PostgresOptions.of(jdbcUrl));
  }

  public static PostgresStore open(PostgresOptions options) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(options.jdbcUrl());
    config.setMaximumPoolSize(options.poolSize());
    config.setMinimumIdle(Math.min(2, options.poolSize()));
    config.setPoolName("party-pg");
    // Fail fast while the database is down: callers answer 503 or retry; they never hang.
    config.setConnectionTimeout(options.connectTimeout().toMillis());
    config.setInitializationFailTimeout(options.connectTimeout().toMillis());
    config.setValidationTimeout(Math.max(250, options.connectTimeout().toMillis() / 2));
    config.setDataSourceProperties(driverProperties(options));
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to " + options.redactedUrl() + ": " + rootMessage(e), e);
    }
    PostgresStore store = new PostgresStore(options, pool);
    try {
      store.migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return store;
  }

  /**
   * What every connection of the store gets (pooled, LISTEN, worker name lock). A network partition
   * must fail a call, not hang it until TCP gives up (minutes): connecting fails after the connect
   * timeout, and an answer waited for past {@link #SOCKET_TIMEOUT} fails the call (no statement of
   * Party's runs anywhere near this long; the heartbeat's calls wait less, see {@link #withCallTimeout}).
   */
  static Properties driverProperties(PostgresOptions options) {
    Properties properties = new Properties();
    String connectSeconds = String.valueOf(Math.max(1, (options.connectTimeout().toMillis() + 999) / 1000));
    properties.setProperty("connectTimeout", connectSeconds);
    properties.setProperty("loginTimeout", connectSeconds);
    properties.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
    properties.setProperty("tcpKeepAlive", "true");
    return properties;
  }

  /**
   * A view of this store whose every call fails once PostgreSQL has not answered for {@code
   * timeout} (the network timeout of the borrowed connection; the pool restores it on return), and
   * whose worker name locks ping with that timeout.
   */
  @Override
  public TaskStore withCallTimeout(Duration timeout) {
    return new PostgresStore(options, pool, timeout, false, circuit);
  }

  private Connection borrow() throws SQLException {
    Connection connection = pool.getConnection();
    if (callTimeout != null) {
      try {
        connection.setNetworkTimeout(Runnable::run, (int) Math.max(1, callTimeout.toMillis()));
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
    }
    return connection;
  }

  private void migrate() {
    inTransaction("migrate", connection -> {
      try (PreparedStatement lock = connection.prepareStatement(MIGRATION_LOCK)) {
        lock.execute();
      }
      return new Migrator(PostgresStore.class, "/dev/party/store/postgres/migrations", MIGRATIONS)
          .migrate(connection);
    });
  }

  // ---- writes ----------------------------------------------------------------------------------

  /**
   * Concurrent inserts are written together: see {@link GroupCommit} and {@link #insertBatch}. The
   * pool lets commits overlap, but each still costs a transaction's round trips and a NOTIFY.
   */
  @Override
  public List<Enqueued> insert(InsertTasks request) {
    // A capped insert may wait on its handler's advisory lock, and one with a unique or batch key
    // on the row lock of another open transaction that inserts the same key (a caller's, say);
    // alone, neither keeps every other insert waiting behind it. A large one already spreads its
    // commit over many tasks, and runs in parallel with others on the pool.
    if (!request.capacities().isEmpty() || request.tasks().size() >= GROUP_BELOW
        || request.tasks().stream().anyMatch(task -> task.uniqueKey() != null || task.batchKey() != null
            || task.instanceKey() != null)) {
      return inTransaction("insert", connection -> insertChecked(connection, request));
    }
    // While the database is down, a caller must not queue behind the probe's connection attempt.
    circuit.refuseWhileOpen("insert");
    return inserts.submit(request, request.maxWait());
  }

  private static final IdempotencyKeys KEYS =
      new IdempotencyKeys(CLAIM_IDEMPOTENCY_KEY, SELECT_IDEMPOTENCY_KEY, ANSWER_IDEMPOTENCY_KEY);

  /**
   * In a transaction of its own, like an insert with a unique key: a second insert of the key
   * waits on the first's row lock, which a group of unrelated inserts should not share.
   */
  @Override
  public InsertedOnce insertOnce(InsertOnce request) {
    if (request.key() == null) return new InsertedOnce(insert(request.insert()), false);
    InsertTasks insert = request.insert();
    return inTransaction("insert", connection -> KEYS.insertOnce(connection, request,
        (statement, index) -> setNow(statement, index, insert.now()), within -> insertChecked(within, insert)));
  }

  @Override
  public int deleteIdempotencyKeys(Instant before) {
    return inTransaction("delete idempotency keys", connection -> {
      try (PreparedStatement delete = connection.prepareStatement(DELETE_IDEMPOTENCY_KEYS)) {
        setNow(delete, 1, before);
        return delete.executeUpdate();
      }
    });
  }

  private static List<Enqueued> insertChecked(Connection connection, InsertTasks request) throws SQLException {
    checkCapacities(connection, request);
    return insertWithin(connection, request.tasks(), request.now());
  }

  /**
   * Requests queued together go in one statement and one commit when all share one clock. If that insert is refused (a held unique key, a value PostgreSQL
   * rejects), each request is written alone, so only the one at fault is refused.
   */
  private void insertBatch(List<GroupCommit.Pending<InsertTasks, List<Enqueued>>> batch) {
    InsertTasks first = batch.getFirst().request();
    boolean combinable = batch.size() > 1
        && batch.stream().allMatch(pending -> Objects.equals(pending.request().now(), first.now()));
    if (combinable) {
      List<NewTask> tasks = batch.stream().flatMap(pending -> pending.request().tasks().stream()).toList();
      try {
        List<Enqueued> all = inTransaction("insert", connection -> insertWithin(connection, tasks, first.now()));
        // No batch keys come this way (see insert): every task was stored, each request's in turn.
        int from = 0;
        for (GroupCommit.Pending<InsertTasks, List<Enqueued>> pending : batch) {
          int to = from + pending.request().tasks().size();
          pending.answer(List.copyOf(all.subList(from, to)));
          from = to;
        }
        return;
      } catch (StoreException down) {
        throw down;
      } catch (PartyException refusedByOne) {
        // written alone below
      }
    }
    for (GroupCommit.Pending<InsertTasks, List<Enqueued>> pending : batch) {
      try {
        pending.answer(inTransaction("insert", connection -> insertChecked(connection, pending.request())));
      } catch (PartyException e) {
        pending.refuse(e);
      }
    }
  }

  @Override
  public List<Enqueued> insert(Connection callerTransaction, InsertTasks request) {
    try {
      checkCapacities(callerTransaction, request);
      return insertWithin(callerTransaction, request.tasks(), request.now());
    } catch (SQLException e) {
      throw translate("insert in the caller's transaction", e);
    }
  }

  /** A task that a waiting one covers takes no capacity; that one is looked up before the count. */
  private static void checkCapacities(Connection connection, InsertTasks request) throws SQLException {
    if (request.capacities().isEmpty()) return;
    List<NewTask> batched = request.tasks().stream().filter(task -> task.batchKey() != null).toList();
    Set<String> covered = new HashSet<>();
    for (int i : findCovers(connection, batched).keySet()) covered.add(batched.get(i).id().value());
    for (var entry : request.capacities().entrySet()) { // sorted: every node locks in one order
      long adding = request.tasks().stream()
          .filter(task -> task.handler().equals(entry.getKey()) && !covered.contains(task.id().value())).count();
      if (adding > 0) checkCapacity(connection, entry.getKey(), entry.getValue(), adding);
    }
  }

  private static void checkCapacity(Connection connection, String handler, int capacity, long adding)
      throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(CAPACITY_LOCK);
        PreparedStatement count = connection.prepareStatement(COUNT_UNFINISHED)) {
      lock.setString(1, handler);
      lock.execute();
      count.setString(1, handler);
      count.setInt(2, capacity);
      try (ResultSet rows = count.executeQuery()) {
        rows.next();
        if (rows.getLong(1) + adding > capacity) throw new QueueFullException(handler, capacity);
      }
    }
  }

  /**
   * Stores {@code tasks}, except those a waiting task with their handler and batch key covers.
   * Race-free across nodes: party_task_batch admits one waiting task per key, and an insert it
   * refuses (ON CONFLICT DO NOTHING) reads the one that holds the key. If that one started in
   * between (its key is cleared at claim), the insert is tried again.
   */
  private static List<Enqueued> insertWithin(Connection connection, List<NewTask> tasks, Instant now)
      throws SQLException {
    if (tasks.isEmpty()) return List.of();
    if (tasks.stream().allMatch(task -> task.batchKey() == null)) {
      Map<String, Instant> stored = new HashMap<>();
      try (PreparedStatement insert = prepareInsert(connection, INSERT_TASKS, tasks, now);
          ResultSet rows = insert.executeQuery()) {
        while (rows.next()) stored.put(rows.getString(1), ROWS.time(rows, "run_at"));
      }
      notifyWorkers(connection);
      return tasks.stream().map(task -> Enqueued.stored(task.id(), stored.get(task.id().value()))).toList();
    }
    Enqueued[] answers = new Enqueued[tasks.size()];
    List<Integer> open = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) open.add(i);
    for (int round = 0; round < RACE_TRIES && !open.isEmpty(); round++) {
      List<NewTask> trying = open.stream().map(tasks::get).toList();
      Map<String, Instant> stored = new HashMap<>();
      try (PreparedStatement insert = prepareInsert(connection, INSERT_TASKS_BATCHED, trying, now);
          ResultSet rows = insert.executeQuery()) {
        while (rows.next()) stored.put(rows.getString(1), ROWS.time(rows, "run_at"));
      }
      List<Integer> refused = new ArrayList<>();
      for (int i : open) {
        Instant runAt = stored.get(tasks.get(i).id().value());
        if (runAt != null) answers[i] = Enqueued.stored(tasks.get(i).id(), runAt);
        else refused.add(i);
      }
      List<NewTask> refusedTasks = refused.stream().map(tasks::get).toList();
      Map<Integer, TaskId> covers = findCovers(connection, refusedTasks);
      open = new ArrayList<>();
      for (int j = 0; j < refused.size(); j++) {
        TaskId cover = covers.get(j);
        if (cover != null) answers[refused.get(j)] = Enqueued.coveredBy(cover);
        else open.add(refused.get(j));
      }
    }
    if (!open.isEmpty()) {
      throw new StoreException("insert with batch keys gave up: the waiting tasks holding them kept starting", null);
    }
    notifyWorkers(connection);
    return List.of(answers);
  }

  /** The waiting task holding each batch task's handler and key, by index in {@code tasks}. */
  private static Map<Integer, TaskId> findCovers(Connection connection, List<NewTask> tasks) throws SQLException {
    Map<Integer, TaskId> covers = new HashMap<>();
    if (tasks.isEmpty()) return covers;
    try (PreparedStatement find = connection.prepareStatement(FIND_BATCH_COVERS)) {
      find.setArray(1, connection.createArrayOf("text", tasks.stream().map(NewTask::handler).toArray()));
      find.setArray(2, connection.createArrayOf("text", tasks.stream().map(NewTask::batchKey).toArray()));
      try (ResultSet rows = find.executeQuery()) {
        while (rows.next()) covers.put(rows.getInt(1) - 1, new TaskId(rows.getString(2)));
      }
    }
    return covers;
  }

  private static void notifyWorkers(Connection connection) throws SQLException {
    try (PreparedStatement notify = connection.prepareStatement(NOTIFY)) {
      notify.execute();
    }
  }

  private static PreparedStatement prepareInsert(Connection connection, String sql, List<NewTask> tasks, Instant now)
      throws SQLException {
    int size = tasks.size();
    String[] ids = new String[size], handlers = new String[size], queues = new String[size];
    String[] data = new String[size], uniqueKeys = new String[size];
    String[] batchKeys = new String[size], singletonKeys = new String[size], policies = new String[size];
    String[] instanceKeys = new String[size], limitKeys = new String[size];
    Integer[] priorities = new Integer[size], maxAttempts = new Integer[size];
    Long[] runAt = new Long[size], runIn = new Long[size], lastRunOn = new Long[size];
    for (int i = 0; i < size; i++) {
      NewTask t = tasks.get(i);
      ids[i] = t.id().value();
      handlers[i] = t.handler();
      queues[i] = t.queue();
      data[i] = t.data();
      priorities[i] = t.priority();
      runAt[i] = t.runAt() == null ? null : EpochMicros.of(t.runAt());
      runIn[i] = t.runIn() == null ? null : EpochMicros.of(t.runIn());
      maxAttempts[i] = t.maxAttempts();
      uniqueKeys[i] = t.uniqueKey();
      lastRunOn[i] = t.lastRunOn() == null ? null : t.lastRunOn().toEpochMilli();
      batchKeys[i] = t.batchKey();
      singletonKeys[i] = t.singletonKey();
      policies[i] = t.singletonPolicy() == null ? null : t.singletonPolicy().name();
      instanceKeys[i] = t.instanceKey();
      limitKeys[i] = t.limitKey();
    }
    PreparedStatement insert = connection.prepareStatement(sql);
    try {
      setNow(insert, 1, now);
      setNow(insert, 2, now);
      insert.setArray(3, connection.createArrayOf("text", ids));
      insert.setArray(4, connection.createArrayOf("text", handlers));
      insert.setArray(5, connection.createArrayOf("text", queues));
      insert.setArray(6, connection.createArrayOf("text", data));
      insert.setArray(7, connection.createArrayOf("int4", priorities));
      insert.setArray(8, connection.createArrayOf("int8", runAt));
      insert.setArray(9, connection.createArrayOf("int8", runIn));
      insert.setArray(10, connection.createArrayOf("int4", maxAttempts));
      insert.setArray(11, connection.createArrayOf("text", uniqueKeys));
      insert.setArray(12, connection.createArrayOf("int8", lastRunOn));
      insert.setArray(13, connection.createArrayOf("text", batchKeys));
      insert.setArray(14, connection.createArrayOf("text", singletonKeys));
      insert.setArray(15, connection.createArrayOf("text", policies));
      insert.setArray(16, connection.createArrayOf("text", instanceKeys));
      insert.setArray(17, connection.createArrayOf("text", limitKeys));
      return insert;
    } catch (SQLException | RuntimeException e) {
      insert.close();
      throw e;
    }
  }

  @Override
  public List<ClaimedTask> claim(Claim request) {
    return claiming("claim", connection -> claimWithin(connection, request));
  }

  @Override
  public Optional<ClaimedTask> claimOne(ClaimOne request) {
    return inTransaction("claim one", connection -> {
      LimitedTask limited = checkLimits(connection, request);
      Instant now = limited == null ? request.now() : limited.usage().now();
      Optional<ClaimedTask> claimed;
      try (PreparedStatement claim = connection.prepareStatement(CLAIM_ONE)) {
        claim.setString(1, request.owner());
        setNow(claim, 2, now);
        claim.setLong(3, request.lease().toMillis());
        claim.setString(4, request.id().value());
        setNow(claim, 5, now);
        try (ResultSet rows = claim.executeQuery()) {
          claimed = rows.next() ? Optional.of(ROWS.claimed(rows)) : Optional.<ClaimedTask>empty();
        } catch (SQLException e) {
          if (!singletonTaken(e)) throw e;
          throw new TaskConflictException("task %s cannot run now: another task with its singleton key is RUNNING"
              .formatted(request.id()));
        }
      }
      if (limited != null && claimed.isPresent()) {
        countStarts(connection, limited.limits(), limited.handler(), limited.key(), 1, now);
      }
      return claimed;
    });
  }

  /**
   * For a PENDING task of a limited handler: waits for its key's lock, then returns its limits and
   * usage, or refuses with a conflict when they leave no room. Null for any other task.
   */
  private static LimitedTask checkLimits(Connection connection, ClaimOne request) throws SQLException {
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
    try (PreparedStatement lock = connection.prepareStatement(LOCK_LIMIT_KEY)) {
      lock.setString(1, handler);
      lock.setString(2, key);
      lock.executeQuery().close();
    }
    Usage usage = usage(connection, handler, key, request.now());
    if (usage.room(limits, 1) == 0) {
      throw new TaskConflictException("task %s cannot run now: %s".formatted(request.id(),
          LimitRoom.reason(limits, usage.running(), handler, key)));
    }
    return new LimitedTask(limits, handler, key, usage);
  }

  private record LimitedTask(Limits limits, String handler, String key, Usage usage) {}

  /** A limit key's RUNNING tasks and rate counter, read under its lock, and the time the claim goes by. */
  private record Usage(long running, Long counted, long starts, Instant now) {
    int room(Limits limits, int wanted) {
      return LimitRoom.room(limits, wanted, running, counted, starts, now.toEpochMilli());
    }
  }

  private static Usage usage(Connection connection, String handler, String key, Instant now) throws SQLException {
    try (PreparedStatement usage = connection.prepareStatement(LIMIT_USAGE)) {
      for (int i = 1; i <= 6; i += 2) {
        usage.setString(i, handler);
        usage.setString(i + 1, key);
      }
      setNow(usage, 7, now);
      try (ResultSet row = usage.executeQuery()) {
        row.next();
        long counted = row.getLong(2);
        Long window = row.wasNull() ? null : counted;
        return new Usage(row.getLong(1), window, row.getLong(3), row.getObject(4, OffsetDateTime.class).toInstant());
      }
    }
  }

  private static void countStarts(Connection connection, Limits limits, String handler, String key, int starts,
      Instant now) throws SQLException {
    if (limits.rate() == null || starts == 0) return;
    try (PreparedStatement count = connection.prepareStatement(COUNT_STARTS)) {
      count.setString(1, handler);
      count.setString(2, key);
      count.setLong(3, LimitRoom.windowStart(limits.rate(), now.toEpochMilli()));
      count.setInt(4, starts);
      count.executeUpdate();
    }
  }

  @Override
  public CompleteResult complete(Complete request) {
    return inTransaction("complete", connection -> completeWithin(connection, request));
  }

  /** One transaction: outcomes first, so continuations they add can be claimed at once. */
  @Override
  public CompletedAndClaimed completeAndClaim(CompleteAndClaim request) {
    return claiming("complete and claim", connection -> new CompletedAndClaimed(
        request.complete() == null ? null : completeWithin(connection, request.complete()),
        request.claim() == null ? List.of() : claimWithin(connection, request.claim())));
  }

  /** Limited handlers first, key by key (see {@link #claimLimited}), then the rest in one statement. */
  private List<ClaimedTask> claimWithin(Connection connection, Claim request) throws SQLException {
    Set<String> plain = new HashSet<>(request.handlers());
    plain.removeAll(request.limits().keySet());
    Map<String, Limits> limits = new HashMap<>(request.limits());
    limits.keySet().retainAll(request.handlers());
    Array queues = request.queues() == null ? null : connection.createArrayOf("text", request.queues().toArray());
    if (request.idle() && request.limit() > 0 && !plain.isEmpty()) {
      List<ClaimedTask> suspect = claimSuspect(connection, request, plain, queues);
      if (!suspect.isEmpty()) return suspect; // a suspect runs alone
    }
    List<ClaimedTask> claimed = new ArrayList<>();
    if (!limits.isEmpty()) claimed.addAll(claimLimited(connection, request, limits, queues));
    int room = request.limit() - claimed.size();
    if (room > 0 && !plain.isEmpty()) claimed.addAll(claimPlain(connection, request, plain, queues, room));
    claimed.sort(ClaimedTask.PICKUP_ORDER);
    return claimed;
  }

  private List<ClaimedTask> claimPlain(Connection connection, Claim request, Set<String> plain, Array queues,
      int room) throws SQLException {
    List<ClaimedTask> claimed = new ArrayList<>();
    try (PreparedStatement plan = connection.prepareStatement(CLAIM_PLAN)) {
      plan.execute();
    }
    try (PreparedStatement claim = connection.prepareStatement(CLAIM_DUE)) {
      Array handlers = connection.createArrayOf("text", plain.toArray());
      int i = 0;
      // skipped
      setNow(claim, ++i, request.now());
      setNow(claim, ++i, request.now());
      claim.setArray(++i, handlers);
      i = setQueues(claim, i, queues);
      // claimed
      claim.setString(++i, request.owner());
      setNow(claim, ++i, request.now());
      claim.setLong(++i, request.lease().toMillis());
      // the pick, then SINGLETON_FREE
      for (int pass = 0; pass < 2; pass++) {
        setNow(claim, ++i, request.now());
        claim.setArray(++i, handlers);
        i = setQueues(claim, i, queues);
      }
      claim.setInt(++i, room);
      // logged
      setNow(claim, ++i, request.now());
      setNow(claim, ++i, request.now());
      try (ResultSet rows = claim.executeQuery()) {
        while (rows.next()) claimed.add(ROWS.claimed(rows));
      }
    }
    return claimed;
  }

  /** The best due suspect, for an idle node; see {@link Claim}. */
  private static List<ClaimedTask> claimSuspect(Connection connection, Claim request, Set<String> plain, Array queues)
      throws SQLException {
    List<ClaimedTask> claimed = new ArrayList<>();
    try (PreparedStatement claim = connection.prepareStatement(CLAIM_SUSPECT)) {
      Array handlers = connection.createArrayOf("text", plain.toArray());
      int i = 0;
      claim.setString(++i, request.owner());
      setNow(claim, ++i, request.now());
      claim.setLong(++i, request.lease().toMillis());
      for (int pass = 0; pass < 2; pass++) {
        setNow(claim, ++i, request.now());
        claim.setArray(++i, handlers);
        i = setQueues(claim, i, queues);
      }
      setNow(claim, ++i, request.now());
      try (ResultSet rows = claim.executeQuery()) {
        while (rows.next()) claimed.add(ROWS.claimed(rows));
      }
    }
    return claimed;
  }

  /**
   * Due tasks of limited handlers, key by key in the order of each key's best due task. A key whose
   * lock another transaction holds is left for now (that one is claiming it); under the lock, the
   * key's RUNNING tasks and starts are read afresh and only the room they leave is claimed.
   */
  private static List<ClaimedTask> claimLimited(Connection connection, Claim request, Map<String, Limits> limits,
      Array queues) throws SQLException {
    List<String[]> keys = limitedKeys(connection, request, limits, queues);
    List<ClaimedTask> claimed = new ArrayList<>();
    for (String[] key : keys) {
      int wanted = request.limit() - claimed.size();
      if (wanted == 0) break;
      if (!tryLock(connection, key[0], key[1])) continue;
      Limits of = limits.get(key[0]);
      Usage usage = usage(connection, key[0], key[1], request.now());
      int room = usage.room(of, wanted);
      if (room == 0) continue;
      int before = claimed.size();
      try (PreparedStatement claim = connection.prepareStatement(CLAIM_LIMITED)) {
        OffsetDateTime now = usage.now().atOffset(ZoneOffset.UTC);
        int i = 0;
        claim.setString(++i, request.owner());
        claim.setObject(++i, now);
        claim.setLong(++i, request.lease().toMillis());
        claim.setString(++i, key[0]);
        claim.setString(++i, key[1]);
        claim.setObject(++i, now);
        i = setQueues(claim, i, queues);
        claim.setInt(++i, room);
        claim.setObject(++i, now);
        try (ResultSet rows = claim.executeQuery()) {
          while (rows.next()) claimed.add(ROWS.claimed(rows));
        }
      }
      countStarts(connection, of, key[0], key[1], claimed.size() - before, usage.now());
    }
    return claimed;
  }

  private static List<String[]> limitedKeys(Connection connection, Claim request, Map<String, Limits> limits,
      Array queues) throws SQLException {
    String[] handlers = limits.keySet().toArray(String[]::new);
    Integer[] concurrency = new Integer[handlers.length];
    for (int k = 0; k < handlers.length; k++) concurrency[k] = limits.get(handlers[k]).concurrencyOrMax();
    List<String[]> keys = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(LIMITED_KEYS)) {
      int i = 0;
      select.setArray(++i, connection.createArrayOf("text", handlers));
      select.setArray(++i, connection.createArrayOf("int4", concurrency));
      setNow(select, ++i, request.now());
      i = setQueues(select, i, queues);
      select.setInt(++i, request.limit() + LIMITED_KEYS_SLACK);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) keys.add(new String[] {rows.getString(1), rows.getString(2)});
      }
    }
    return keys;
  }

  private static boolean tryLock(Connection connection, String handler, String key) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(TRY_LOCK_LIMIT_KEY)) {
      lock.setString(1, handler);
      lock.setString(2, key);
      try (ResultSet row = lock.executeQuery()) {
        return row.next() && row.getBoolean(1);
      }
    }
  }

  private CompleteResult completeWithin(Connection connection, Complete request) throws SQLException {
    PostgresCompletions completions = new PostgresCompletions(connection, request.owner(), request.now());
    CompleteResult result = completions.apply(request.completions());
    if (!completions.continuations().isEmpty()) {
      insertWithin(connection, completions.continuations(), request.now());
      completions.linkContinuations();
    }
    return result;
  }

  @Override
  public List<LeaseRef> heartbeat(Heartbeat request) {
    if (request.runs().isEmpty()) return List.of();
    List<LeaseRef> runs = request.runs().stream().sorted(Comparator.comparing(LeaseRef::id)).toList();
    return inTransaction("heartbeat", connection -> {
      List<LeaseRef> lost = new ArrayList<>(runs);
      try (PreparedStatement extend = connection.prepareStatement(EXTEND_LEASES)) {
        setNow(extend, 1, request.now());
        extend.setLong(2, request.lease().toMillis());
        extend.setArray(3, connection.createArrayOf("text", runs.stream().map(r -> r.id().value()).toArray()));
        extend.setArray(4, connection.createArrayOf("int4", runs.stream().map(r -> (int) r.token()).toArray()));
        try (ResultSet rows = extend.executeQuery()) {
          while (rows.next()) lost.remove(new LeaseRef(new TaskId(rows.getString(1)), rows.getLong(2)));
        }
      }
      return lost;
    });
  }

  @Override
  public List<Released> releaseExpired(ReleaseExpired request) {
    return inTransaction("release expired leases", connection -> {
      try (PreparedStatement select = connection.prepareStatement(SELECT_EXPIRED)) {
        setNow(select, 1, request.now());
        return releaseLost(connection, select, request.now(), "lease expired (worker died or hung)", request.maxCrashes());
      }
    });
  }

  @Override
  public Optional<Duration> nextLeaseExpiry(NextLeaseExpiry request) {
    return withConnection("next lease expiry", connection -> {
      try (PreparedStatement next = connection.prepareStatement(NEXT_LEASE_EXPIRY)) {
        setNow(next, 1, request.now());
        try (ResultSet rows = next.executeQuery()) {
          if (!rows.next()) return Optional.empty();
          long millis = rows.getLong(1);
          return rows.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
        }
      }
    });
  }

  @Override
  public List<Released> releaseOwner(ReleaseOwner request) {
    return inTransaction("release owner", connection -> {
      try (PreparedStatement select = connection.prepareStatement(SELECT_OWNED)) {
        select.setString(1, request.owner());
        return releaseLost(connection, select, request.now(), "worker " + request.owner() + " restarted",
            request.maxCrashes());
      }
    });
  }

  /** Locks the lost runs, judges each with {@link CrashPolicy}, and writes them in one statement. */
  private static List<Released> releaseLost(Connection connection, PreparedStatement select, Instant now,
      String reason, int maxCrashes) throws SQLException {
    List<Object> ids = new ArrayList<>();
    List<Object> tokens = new ArrayList<>();
    List<Object> owners = new ArrayList<>();
    List<CrashPolicy.LostRun> runs = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        ids.add(rows.getString(1));
        tokens.add(rows.getInt(2));
        owners.add(rows.getString(3));
        runs.add(new CrashPolicy.LostRun(rows.getInt(4), rows.getInt(5), rows.getInt(6)));
      }
    }
    if (ids.isEmpty()) return List.of();
    Map<Object, LostWorker> workers = new HashMap<>();
    for (Object owner : owners) {
      if (!workers.containsKey(owner)) workers.put(owner, lostWorker(connection, (String) owner));
    }
    List<Object> states = new ArrayList<>();
    List<Object> attempts = new ArrayList<>();
    List<Object> crashes = new ArrayList<>();
    List<Object> errors = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      LostWorker worker = workers.get(owners.get(i));
      CrashPolicy.Verdict verdict = CrashPolicy.judge(runs.get(i), worker.running(), worker.exitCode(), reason, maxCrashes);
      states.add(verdict.state().name());
      attempts.add(verdict.attempts());
      crashes.add(verdict.crashes());
      errors.add(verdict.error());
    }
    List<Released> released = new ArrayList<>();
    try (PreparedStatement release = connection.prepareStatement(RELEASE_LOST)) {
      int i = 0;
      setNow(release, ++i, now);
      release.setArray(++i, connection.createArrayOf("text", ids.toArray()));
      release.setArray(++i, connection.createArrayOf("int4", tokens.toArray()));
      release.setArray(++i, connection.createArrayOf("text", owners.toArray()));
      release.setArray(++i, connection.createArrayOf("text", states.toArray()));
      release.setArray(++i, connection.createArrayOf("int4", attempts.toArray()));
      release.setArray(++i, connection.createArrayOf("int4", crashes.toArray()));
      release.setArray(++i, connection.createArrayOf("text", errors.toArray()));
      setNow(release, ++i, now);
      try (ResultSet rows = release.executeQuery()) {
        while (rows.next()) {
          released.add(new Released(new TaskId(rows.getString(1)), rows.getString(2), TaskState.valueOf(rows.getString(3))));
        }
      }
    }
    if (!released.isEmpty()) {
      try (PreparedStatement notify = connection.prepareStatement(NOTIFY)) {
        notify.execute();
      }
    }
    return released;
  }

  private record LostWorker(int running, Integer exitCode) {}

  private static LostWorker lostWorker(Connection connection, String owner) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(LOST_WORKER)) {
      select.setString(1, owner);
      select.setString(2, owner);
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
    return inTransaction("note", connection -> {
      try (PreparedStatement update = connection.prepareStatement(NOTE)) {
        update.setObject(1, note.progress(), Types.INTEGER);
        update.setString(2, note.ref().id().value());
        update.setInt(3, (int) note.ref().token());
        setNow(update, 4, note.now());
        update.setString(5, note.worker());
        update.setString(6, note.message());
        update.setString(7, note.message());
        try (ResultSet rows = update.executeQuery()) {
          return rows.next() && rows.getLong(1) == 1;
        }
      }
    });
  }

  @Override
  public Optional<TaskView> cancel(Cancel request) {
    return inTransaction("cancel", connection -> {
      Optional<TaskView> before = ROWS.oneTask(connection, LOCK_TASK, request.id());
      if (before.isEmpty() || before.get().state().isFinal()) return before;
      try (PreparedStatement cancel = connection.prepareStatement(CANCEL_TASK)) {
        setNow(cancel, 1, request.now());
        cancel.setString(2, request.id().value());
        setNow(cancel, 3, request.now());
        cancel.setString(4, before.get().state().name());
        cancel.setString(5, request.reason());
        cancel.executeUpdate();
      }
      return ROWS.oneTask(connection, SELECT_TASK, request.id());
    });
  }

  @Override
  public Optional<TaskView> requeue(Requeue request) {
    return inTransaction("requeue", connection -> {
      Optional<TaskView> before = ROWS.oneTask(connection, LOCK_TASK, request.id());
      if (before.isEmpty() || before.get().state() != TaskState.FAILED) return before;
      if (request.capacity() != null) checkCapacity(connection, before.get().handler(), request.capacity(), 1);
      if (putBack(connection, request)) notifyWorkers(connection);
      return ROWS.oneTask(connection, SELECT_TASK, request.id());
    });
  }

  /**
   * One transaction for the whole list. Locks come in one order on every node, so two bulk retries
   * or a bulk retry and a completion cannot deadlock: the rows first, by id, then the handlers'
   * capacity locks, by handler name (the order inserts take them in), with no row lock taken after.
   */
  @Override
  public int requeueAll(List<Requeue> requests) {
    if (requests.isEmpty()) return 0;
    List<Requeue> byId = requests.stream().sorted(Comparator.comparing(request -> request.id().value())).toList();
    return inTransaction("requeue all", connection -> {
      Map<String, List<Locked>> failedByHandler = new TreeMap<>();
      for (Requeue request : byId) {
        Optional<TaskView> task = ROWS.oneTask(connection, LOCK_TASK, request.id());
        if (task.isEmpty() || task.get().state() != TaskState.FAILED) continue;
        failedByHandler.computeIfAbsent(task.get().handler(), handler -> new ArrayList<>())
            .add(new Locked(task.get(), request));
      }
      int requeued = 0;
      for (var handler : failedByHandler.entrySet()) {
        for (Locked failed : handler.getValue()) {
          Requeue request = failed.request();
          if (request.capacity() != null) {
            try {
              checkCapacity(connection, handler.getKey(), request.capacity(), 1);
            } catch (QueueFullException full) {
              continue; // stays FAILED
            }
          }
          if (failed.task().uniqueKey() == null) {
            if (putBack(connection, request)) requeued++;
            continue;
          }
          // A savepoint costs two round trips, so only a task that can meet a held unique key gets one.
          Savepoint keyed = connection.setSavepoint();
          try {
            if (putBack(connection, request)) requeued++;
            connection.releaseSavepoint(keyed);
          } catch (SQLException e) {
            if (!uniqueKeyTaken(e)) throw e;
            connection.rollback(keyed); // undoes this task's UPDATE only; the transaction goes on
          }
        }
      }
      if (requeued > 0) notifyWorkers(connection);
      return requeued;
    });
  }

  /** A FAILED task of a bulk requeue, with its row locked. */
  private record Locked(TaskView task, Requeue request) {}

  /** The UPDATE and its log row; false when the task was not FAILED. The caller holds its row lock. */
  private static boolean putBack(Connection connection, Requeue request) throws SQLException {
    try (PreparedStatement requeue = connection.prepareStatement(REQUEUE_TASK)) {
      setNow(requeue, 1, request.now());
      requeue.setString(2, request.id().value());
      setNow(requeue, 3, request.now());
      requeue.setString(4, request.reason());
      return requeue.executeUpdate() == 1;
    }
  }

  // ---- reads -----------------------------------------------------------------------------------

  @Override
  public Optional<TaskView> getByInstanceKey(String handler, String instanceKey) {
    return withConnection("get by instance key", connection -> {
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
    return withConnection("get", connection -> ROWS.oneTaskWithLastStep(connection, SELECT_TASK, LAST_STEP, id));
  }

  @Override
  public List<TaskLogEntry> log(TaskId id) {
    return withConnection("log", connection -> ROWS.log(connection, SELECT_LOG, id));
  }

  @Override
  public List<TaskView> list(TaskQuery q) {
    return withConnection("list", connection -> {
      try (PreparedStatement query = connection.prepareStatement(LIST_TASKS)) {
        String state = q.state() == null ? null : q.state().name();
        String before = q.before() == null ? null : q.before().value();
        query.setString(1, state);
        query.setString(2, state);
        query.setString(3, q.handler());
        query.setString(4, q.handler());
        query.setString(5, before);
        query.setString(6, before);
        query.setInt(7, q.limit());
        return ROWS.tasks(query);
      }
    });
  }

  @Override
  public List<TaskView> recurringTasks(int limit) {
    return withConnection("recurring tasks", connection -> {
      try (PreparedStatement query = connection.prepareStatement(RECURRING_TASKS)) {
        query.setInt(1, limit);
        return ROWS.tasks(query);
      }
    });
  }

  @Override
  public StoreStatus status() {
    return withConnection("status", STATUS::read);
  }

  @Override
  public List<ThroughputBucket> throughput(ThroughputQuery query) {
    return withConnection("throughput", connection -> {
      try (PreparedStatement select = connection.prepareStatement(THROUGHPUT)) {
        select.setLong(1, query.bucketMillis());
        select.setObject(2, query.since().atOffset(ZoneOffset.UTC));
        List<ThroughputBucket> buckets = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            Instant start = Instant.ofEpochMilli(rows.getLong(1) * query.bucketMillis());
            buckets.add(new ThroughputBucket(start, rows.getLong(2), rows.getLong(3)));
          }
        }
        return buckets;
      }
    });
  }

  @Override
  public AutoCloseable subscribe(Runnable onNewTasks) {
    PostgresNotifier notifier = new PostgresNotifier(options, onNewTasks);
    notifier.start();
    return notifier;
  }

  /** A session advisory lock on a connection of its own; see {@link AdvisoryNameLock}. */
  // ---- chains and groups -----------------------------------------------------------------------

  @Override
  public void insertChain(InsertChain request) {
    inTransaction("insert chain", connection -> {
      checkCapacities(connection, new InsertTasks(request.steps(), request.now(), request.capacities()));
      insertWithin(connection, request.steps(), request.now());
      WorkflowRows.markChain(connection, MARK_CHAIN_STEP, request);
      return null;
    });
  }

  @Override
  public void insertGroup(InsertGroup request) {
    inTransaction("insert group", connection -> {
      checkCapacities(connection, new InsertTasks(request.all(), request.now(), request.capacities()));
      insertWithin(connection, request.all(), request.now());
      try (PreparedStatement group = connection.prepareStatement(INSERT_GROUP)) {
        group.setString(1, request.groupId());
        group.setInt(2, request.members().size());
        setNow(group, 3, request.now());
        group.executeUpdate();
      }
      WorkflowRows.markGroup(connection, MARK_GROUP_MEMBER, MARK_CALLBACK, request);
      return null;
    });
  }

  @Override
  public Optional<TaskView> previousStep(TaskId step) {
    return withConnection("previous step", connection -> ROWS.oneTask(connection, SELECT_PREVIOUS_STEP, step));
  }

  @Override
  public List<TaskView> groupMembers(TaskId callback) {
    return withConnection("group members", connection -> {
      try (PreparedStatement query = connection.prepareStatement(SELECT_GROUP_MEMBERS)) {
        query.setString(1, callback.value());
        return ROWS.tasks(query);
      }
    });
  }

  // ---- cleanup --------------------------------------------------------------------------------

  @Override
  public List<ExpiredTask> expired(ExpiredQuery q) {
    return withConnection("expired", connection -> {
      List<TaskView> tasks;
      try (PreparedStatement query = connection.prepareStatement(SELECT_PAST_RETENTION)) {
        setNow(query, 1, q.finishedBefore());
        query.setString(2, q.handler());
        query.setString(3, q.handler());
        query.setString(4, q.handler());
        query.setArray(5, connection.createArrayOf("text", q.except().toArray()));
        query.setInt(6, q.limit());
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
    return inTransaction("delete final", connection -> deleteWithin(connection, lockFinal(connection, ids)));
  }

  /** The ids whose tasks are still final, locked until the transaction ends. */
  private static Set<String> lockFinal(Connection connection, List<TaskId> ids) throws SQLException {
    Set<String> locked = new HashSet<>();
    try (PreparedStatement lock = connection.prepareStatement(LOCK_FINAL)) {
      lock.setArray(1, connection.createArrayOf("text", ids.stream().map(TaskId::value).toArray()));
      try (ResultSet rows = lock.executeQuery()) {
        while (rows.next()) locked.add(rows.getString(1));
      }
    }
    return locked;
  }

  private static int deleteWithin(Connection connection, Set<String> ids) throws SQLException {
    if (ids.isEmpty()) return 0;
    java.sql.Array array = connection.createArrayOf("text", ids.toArray());
    try (PreparedStatement log = connection.prepareStatement(DELETE_LOGS);
        PreparedStatement task = connection.prepareStatement(DELETE_TASKS)) {
      log.setArray(1, array);
      log.executeUpdate();
      task.setArray(1, array);
      return task.executeUpdate();
    }
  }

  @Override
  public Purged purge(TaskId id) {
    return inTransaction("purge", connection -> PURGE.purge(connection, id));
  }

  @Override
  public int archive(List<ArchivedTask> tasks, Instant now) {
    if (tasks.isEmpty()) return 0;
    return inTransaction("archive", connection -> {
      Set<String> locked = lockFinal(connection, tasks.stream().map(ArchivedTask::id).toList());
      try (PreparedStatement insert = connection.prepareStatement(INSERT_ARCHIVE)) {
        for (ArchivedTask task : tasks) {
          if (!locked.contains(task.id().value())) continue;
          insert.setString(1, task.id().value());
          insert.setString(2, task.handler());
          insert.setString(3, task.state().name());
          setNow(insert, 4, task.finishedAt());
          setNow(insert, 5, now);
          insert.setString(6, task.json());
          insert.addBatch();
        }
        insert.executeBatch();
      }
      return deleteWithin(connection, locked);
    });
  }

  @Override
  public void recordCleanup(Instant at, long completed, long failed) {
    inTransaction("record cleanup", connection -> {
      try (PreparedStatement record = connection.prepareStatement(RECORD_CLEANUP)) {
        setNow(record, 1, at);
        record.setLong(2, completed);
        record.setLong(3, failed);
        record.setLong(4, completed);
        record.setLong(5, failed);
        record.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<CleanupRecord> lastCleanup() {
    return withConnection("last cleanup", connection -> {
      try (PreparedStatement query = connection.prepareStatement(SELECT_CLEANUP); ResultSet row = query.executeQuery()) {
        if (!row.next()) return Optional.empty();
        return Optional.of(new CleanupRecord(row.getObject(1, OffsetDateTime.class).toInstant(), row.getLong(2),
            row.getLong(3), row.getLong(4), row.getLong(5)));
      }
    });
  }

  // ---- schedules ------------------------------------------------------------------------------

  @Override
  public void addSchedule(NewSchedule schedule) {
    inTransaction("add schedule", connection -> {
      Optional<ScheduleTwin> twin = twin(connection, schedule);
      if (twin.isPresent()) throw schedule.twinOf(twin.get());
      if (!insertSchedule(connection, schedule)) {
        throw new TaskConflictException("a schedule named '%s' already exists; unschedule it first, or choose another name"
            .formatted(schedule.name()));
      }
      return null;
    });
  }

  @Override
  public DeclaredSchedule declareSchedule(NewSchedule schedule) {
    return inTransaction("declare schedule", connection -> {
      Optional<ScheduleTwin> twin = twin(connection, schedule);
      if (twin.isPresent()) return DeclaredSchedule.skipped(twin.get());
      if (insertSchedule(connection, schedule)) return DeclaredSchedule.CHANGED;
      Optional<ScheduleView> stored = SCHEDULES.one(connection, SELECT_SCHEDULE_FOR_UPDATE, schedule.name());
      if (stored.isEmpty() || schedule.sameDefinition(stored.get())) {
        return DeclaredSchedule.UNCHANGED; // removed meanwhile, or unchanged
      }
      boolean sameTimes = schedule.recurrence().equals(stored.get().recurrence());
      try (PreparedStatement update = connection.prepareStatement(REDEFINE_SCHEDULE)) {
        int next = SCHEDULES.bindDefinition(update, 1, schedule);
        setNow(update, next, sameTimes ? stored.get().nextRunAt() : schedule.firstRunAt());
        setNow(update, next + 1, schedule.now());
        update.setString(next + 2, schedule.name());
        update.executeUpdate();
      }
      return DeclaredSchedule.CHANGED;
    });
  }

  /**
   * One recurring task per handler and data, across nodes: schedules under the handler's lock. An
   * enqueue of a recurring class-style task does not take it, so only its committed task is seen.
   */
  private static Optional<ScheduleTwin> twin(Connection connection, NewSchedule schedule) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(SCHEDULE_HANDLER_LOCK)) {
      lock.setString(1, schedule.handler());
      lock.executeQuery().close();
    }
    return SCHEDULES.twin(connection, SELECT_HANDLER_SCHEDULES, SELECT_UNFINISHED_KEY_HOLDER, schedule);
  }

  /** False when the name is taken. */
  private static boolean insertSchedule(Connection connection, NewSchedule schedule) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_SCHEDULE)) {
      insert.setString(1, schedule.name());
      int next = SCHEDULES.bindDefinition(insert, 2, schedule);
      setNow(insert, next, schedule.firstRunAt());
      setNow(insert, next + 1, schedule.now());
      setNow(insert, next + 2, schedule.now());
      return insert.executeUpdate() > 0;
    }
  }

  @Override
  public boolean removeSchedule(String name) {
    return inTransaction("remove schedule", connection -> {
      try (PreparedStatement delete = connection.prepareStatement(DELETE_SCHEDULE)) {
        delete.setString(1, name);
        return delete.executeUpdate() > 0;
      }
    });
  }

  @Override
  public Optional<ScheduleView> pauseSchedule(String name, boolean paused, Instant pinned) {
    return inTransaction("pause schedule", connection -> {
      Optional<ScheduleView> before = SCHEDULES.one(connection, SELECT_SCHEDULE_FOR_UPDATE, name);
      if (before.isEmpty()) return before;
      Instant now = databaseNow(connection, pinned);
      Instant next = paused ? before.get().nextRunAt() : SchedulePlan.resumedAt(before.get(), now);
      try (PreparedStatement update = connection.prepareStatement(PAUSE_SCHEDULE)) {
        update.setBoolean(1, paused);
        setNow(update, 2, next);
        setNow(update, 3, now);
        update.setString(4, name);
        update.executeUpdate();
      }
      return SCHEDULES.one(connection, SELECT_SCHEDULE, name);
    });
  }

  @Override
  public Optional<ScheduleView> schedule(String name) {
    return withConnection("schedule", connection -> SCHEDULES.one(connection, SELECT_SCHEDULE, name));
  }

  @Override
  public List<ScheduleView> schedules() {
    return withConnection("schedules", connection -> SCHEDULES.all(connection, SELECT_SCHEDULES));
  }

  @Override
  public FiredSchedules fireSchedules(FireSchedules request) {
    return inTransaction("fire schedules", connection -> {
      Instant now = databaseNow(connection, request.now());
      List<ScheduleView> due = new ArrayList<>();
      Map<String, RuntimeException> broken = new LinkedHashMap<>();
      try (PreparedStatement select = connection.prepareStatement(SELECT_DUE_SCHEDULES)) {
        setNow(select, 1, now);
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
      for (var entry : broken.entrySet()) shelve(connection, entry.getKey(), now, entry.getValue());
      List<TaskId> stored = new ArrayList<>();
      int skipped = 0;
      for (ScheduleView schedule : due) {
        SchedulePlan plan;
        try {
          plan = SchedulePlan.of(schedule, now, unfinished(connection, schedule.lastTaskId()),
              request.ids(), request.catchUpLimit());
        } catch (RuntimeException unplannable) {
          shelve(connection, schedule.name(), now, unplannable);
          continue;
        }
        insertWithin(connection, plan.tasks(), now);
        markFired(connection, schedule.name(), plan.nextRunAt(), plan.lastRunOn(), plan.lastTaskId(), now);
        plan.tasks().forEach(task -> stored.add(task.id()));
        skipped += plan.skipped();
      }
      return new FiredSchedules(stored, skipped, nextScheduleDue(connection));
    });
  }

  private static void shelve(Connection connection, String name, Instant now, RuntimeException why) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(SHELVE_SCHEDULE)) {
      setNow(update, 1, SchedulePlan.shelve(name, now, why));
      setNow(update, 2, now);
      update.setString(3, name);
      update.executeUpdate();
    }
  }

  private static Instant databaseNow(Connection connection, Instant pinned) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(DATABASE_NOW)) {
      setNow(query, 1, pinned);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getObject(1, OffsetDateTime.class).toInstant();
      }
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

  private static void markFired(Connection connection, String name, Instant nextRunAt, Instant lastRunOn,
      TaskId lastTask, Instant now) throws SQLException {
    try (PreparedStatement fired = connection.prepareStatement(SCHEDULE_FIRED)) {
      setNow(fired, 1, nextRunAt);
      setNow(fired, 2, lastRunOn);
      fired.setString(3, lastTask == null ? null : lastTask.value());
      setNow(fired, 4, now);
      fired.setString(5, name);
      fired.executeUpdate();
    }
  }

  private static Instant nextScheduleDue(Connection connection) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(NEXT_SCHEDULE_DUE);
        ResultSet rows = query.executeQuery()) {
      rows.next();
      OffsetDateTime next = rows.getObject(1, OffsetDateTime.class);
      return next == null ? null : next.toInstant();
    }
  }

  @Override
  public Optional<TaskId> triggerSchedule(TriggerSchedule request) {
    return inTransaction("trigger schedule", connection -> {
      Optional<ScheduleView> schedule = SCHEDULES.one(connection, SELECT_SCHEDULE_FOR_UPDATE, request.name());
      if (schedule.isEmpty()) return Optional.<TaskId>empty();
      Instant now = databaseNow(connection, request.now());
      insertWithin(connection, List.of(SchedulePlan.task(schedule.get(), request.id(), now, schedule.get().lastRunOn())), now);
      markFired(connection, request.name(), schedule.get().nextRunAt(), now, request.id(), now);
      return Optional.of(request.id());
    });
  }

  // ---- queues -----------------------------------------------------------------------------------

  /** A resume notifies, so idle workers on every node claim the queue's tasks at once. */
  @Override
  public QueueView pauseQueue(String name, boolean paused, Instant now) {
    return inTransaction(paused ? "pause queue" : "resume queue", connection -> {
      try (PreparedStatement upsert = connection.prepareStatement(PAUSE_QUEUE)) {
        upsert.setString(1, name);
        upsert.setBoolean(2, paused);
        upsert.setBoolean(3, paused);
        setNow(upsert, 4, now);
        upsert.executeUpdate();
      }
      if (!paused) notifyWorkers(connection);
      return readQueues(connection, name).getFirst();
    });
  }

  @Override
  public List<QueueView> queues() {
    return withConnection("queues", connection -> readQueues(connection, null));
  }

  private static List<QueueView> readQueues(Connection connection, String name) throws SQLException {
    List<QueueView> queues = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(SELECT_QUEUES)) {
      select.setString(1, name);
      select.setString(2, name);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          queues.add(new QueueView(rows.getString("name"), rows.getBoolean("paused"), instant(rows, "paused_at"),
              rows.getLong("pending"), rows.getLong("running")));
        }
      }
    }
    return queues;
  }

  // ---- worker registry --------------------------------------------------------------------------

  @Override
  public void registerWorker(RegisterWorker request) {
    inTransaction("register worker", connection -> {
      try (PreparedStatement prune = connection.prepareStatement(PRUNE_WORKERS)) {
        setNow(prune, 1, request.now());
        prune.executeUpdate();
      }
      try (PreparedStatement insert = connection.prepareStatement(REGISTER_WORKER)) {
        insert.setString(1, request.name());
        insert.setString(2, request.host());
        insert.setLong(3, request.pid());
        insert.setArray(4, connection.createArrayOf("text", request.queues().toArray()));
        insert.setInt(5, request.slots());
        insert.setString(6, request.version());
        insert.setLong(7, request.heartbeat().toMillis());
        setNow(insert, 8, request.now());
        setNow(insert, 9, request.now());
        insert.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void workerHeartbeat(WorkerRef request) {
    withConnection("worker heartbeat", connection -> {
      try (PreparedStatement update = connection.prepareStatement(WORKER_HEARTBEAT)) {
        setNow(update, 1, request.now());
        update.setString(2, request.name());
        return update.executeUpdate();
      }
    });
  }

  @Override
  public void stopWorker(WorkerRef request) {
    withConnection("stop worker", connection -> {
      try (PreparedStatement update = connection.prepareStatement(STOP_WORKER)) {
        setNow(update, 1, request.now());
        setNow(update, 2, request.now());
        update.setString(3, request.name());
        return update.executeUpdate();
      }
    });
  }

  @Override
  public List<WorkerView> workers(Instant now) {
    return inTransaction("workers", connection -> {
      Map<String, List<TaskId>> running = WorkerRows.running(connection, SELECT_RUNNING_OWNERS);
      List<WorkerView> workers = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(SELECT_WORKERS)) {
        setNow(select, 1, now);
        setNow(select, 2, now);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            List<String> queues = List.of((String[]) rows.getArray("queues").getArray());
            workers.add(WorkerRows.worker(rows, queues, instant(rows, "started_at"), instant(rows, "last_heartbeat"),
                instant(rows, "stopped_at"), running));
          }
        }
      }
      return workers;
    });
  }

  private static Instant instant(ResultSet rows, String column) throws SQLException {
    OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }

  // ---- worker processes -----------------------------------------------------------------------

  @Override
  public void recordExit(String worker, int exitCode) {
    withConnection("record exit", connection -> {
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
    withConnection("record restart", connection -> {
      try (PreparedStatement upsert = connection.prepareStatement(RECORD_RESTART)) {
        upsert.setString(1, supervisor);
        upsert.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public long restartedWorkers() {
    return withConnection("restarted workers", connection -> {
      try (PreparedStatement select = connection.prepareStatement(SELECT_RESTARTED_WORKERS);
          ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0L;
      }
    });
  }

  @Override
  public Optional<WorkerNameLock> lockWorkerName(String workerId) {
    try {
      Duration timeout = callTimeout != null ? callTimeout : SOCKET_TIMEOUT;
      return AdvisoryNameLock.tryAcquire(options.jdbcUrl(), workerId, driverProperties(options), timeout).map(lock -> lock);
    } catch (SQLException e) {
      throw translate("lock worker name " + workerId, e);
    }
  }

  @Override
  public void close() {
    if (ownsPool) pool.close();
  }

  // ---- plumbing --------------------------------------------------------------------------------

  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T inTransaction(String operation, Work<T> work) {
    return circuit.call(operation, () -> inTransactionNow(operation, work));
  }

  private <T> T inTransactionNow(String operation, Work<T> work) {
    try (Connection connection = borrow()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    } catch (SQLException e) {
      throw translate(operation, e);
    }
  }

  private <T> T withConnection(String operation, Work<T> work) {
    return circuit.call(operation, () -> {
      try (Connection connection = borrow()) {
        return work.run(connection);
      } catch (SQLException e) {
        throw translate(operation, e);
      }
    });
  }

  /**
   * A claim in a transaction of its own, tried again when party_task_singleton refused it: another
   * node took a singleton key after this claim's snapshot, and a fresh statement sees that.
   */
  private <T> T claiming(String operation, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return inTransaction(operation, work);
      } catch (SingletonTaken race) {
        if (attempt == RACE_TRIES) {
          throw new StoreException(operation + " failed: singleton keys kept being taken by other nodes", race);
        }
        LOG.debug("{}: a singleton key was taken by another node meanwhile; trying again", operation);
      }
    }
  }

  /** party_task_singleton refused a write: some task with that singleton key is RUNNING already. */
  private static final class SingletonTaken extends RuntimeException {
    SingletonTaken(SQLException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private static boolean singletonTaken(SQLException e) {
    return "23505".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("party_task_singleton");
  }

  /** party_task_unique refused a write: another unfinished task holds that unique key. */
  private static boolean uniqueKeyTaken(SQLException e) {
    return "23505".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("party_task_unique");
  }

  private static int setQueues(PreparedStatement statement, int index, Array queues) throws SQLException {
    for (int k = 0; k < 2; k++) {
      if (queues == null) statement.setNull(++index, Types.ARRAY);
      else statement.setArray(++index, queues);
    }
    return index;
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the pool discards it and the transaction is gone with it.
    }
  }

  static void setNow(PreparedStatement statement, int index, Instant now) throws SQLException {
    if (now == null) statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    else statement.setObject(index, now.atOffset(ZoneOffset.UTC));
  }

  private static RuntimeException translate(String operation, SQLException e) {
    if (singletonTaken(e)) return new SingletonTaken(e);
    String state = String.valueOf(e.getSQLState());
    if ("23505".equals(state) && String.valueOf(e.getMessage()).contains("party_task_instance")) {
      return instanceKeyTaken(e);
    }
    if (uniqueKeyTaken(e)) {
      return new TaskConflictException("an unfinished task already holds that unique key");
    }
    // Data exceptions and constraint violations: the statement's values, not the store, are at
    // fault, and retrying the same write cannot help. The driver's text goes to the log only: it
    // quotes the values and names the schema, which callers over HTTP should not see.
    if (state.startsWith("22") || state.startsWith("23")) {
      LOG.info("{} refused by PostgreSQL ({}): {}", operation, state, e.getMessage());
      return InvalidTaskException.invalid(operation + " refused: PostgreSQL rejected a value (SQLSTATE " + state + ")");
    }
    return new StoreException(operation + " failed: " + e.getMessage(), e);
  }

  /** PostgreSQL's detail names the pair: {@code Key (handler, instance_key)=(h, k) already exists.} */
  private static final Pattern INSTANCE_DETAIL = Pattern.compile("Key \\(handler, instance_key\\)=\\((.*), (.*)\\) already exists");

  private static TaskConflictException instanceKeyTaken(SQLException e) {
    Matcher pair = INSTANCE_DETAIL.matcher(String.valueOf(e.getMessage()));
    if (pair.find()) return TaskConflictException.instanceKeyTaken(pair.group(1), pair.group(2));
    return new TaskConflictException("a task with that handler and instance key exists already");
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) root = root.getCause();
    return root.getMessage();
  }

}
