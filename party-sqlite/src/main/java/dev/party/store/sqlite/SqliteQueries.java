package dev.party.store.sqlite;

import dev.party.store.TaskStore;
import dev.party.store.jdbc.ScheduleRowMapper;

/**
 * Every statement the SQLite store runs, one constant per operation. Times are epoch milliseconds;
 * a task's exact run time is in run_at_us beside them (see {@link RunAt}). A claim's "now" is whole
 * milliseconds, so a task is due when run_at <= now and run_at_us, if set, <= now * 1000.
 */
final class SqliteQueries {
  private SqliteQueries() {}

  static final String COLUMNS = """
      id, handler, queue, data, state, priority, run_at, run_at_us, created_at, attempts, max_attempts,
      last_run_on, progress, result, error, unique_key, lease_owner, lease_expires_at,
      finished_at, lease_token, instance_key,
      batch_key, singleton_key, limit_key, continues, continued_by, crashes""";

  static final String INSERT_TASK = """
      INSERT INTO party_task (id, handler, queue, data, state, priority, run_at, created_at,
                              max_attempts, unique_key, last_run_on, batch_key, singleton_key,
                              singleton_policy, instance_key, limit_key, run_at_us)
      VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

  /**
   * The waiting task that covers a request with this handler and batch key. Run inside the
   * insert's write transaction: SQLite's single writer makes look-up-then-insert atomic.
   */
  static final String FIND_BATCH_COVER = """
      SELECT id FROM party_task WHERE handler = ? AND batch_key = ? AND state = 'PENDING'""";

  /**
   * Due SKIP singleton tasks whose key a RUNNING task holds end FINISHED as skipped, without an
   * attempt. Runs before {@link #CLAIM_DUE} in its transaction, for the claim's handlers and queues.
   * Parameters: now, handlers, queues.
   */
  static final String SKIP_SINGLETONS = """
      UPDATE party_task
         SET state = 'FINISHED', finished_at = ?1,
             result = json_object('skipped', json('true'), 'singletonKey', singleton_key)
       WHERE state = 'PENDING' AND singleton_key IS NOT NULL AND singleton_policy = 'SKIP'
         AND run_at <= ?1 AND (run_at_us IS NULL OR run_at_us <= ?1 * 1000)
         AND handler IN (SELECT value FROM json_each(?2))
         AND (?3 IS NULL OR queue IN (SELECT value FROM json_each(?3)))
         AND queue NOT IN (SELECT name FROM party_queue WHERE paused)
         AND EXISTS (SELECT 1 FROM party_task AS r
                      WHERE r.singleton_key = party_task.singleton_key AND r.state = 'RUNNING')
      RETURNING id, singleton_key""";

  static final String INSERT_LOG = """
      INSERT INTO party_task_log (task_id, at, from_state, to_state, worker, message)
      VALUES (?, ?, ?, ?, ?, ?)""";

  /**
   * A singleton task {@code t} may start only when no task with its key is RUNNING and no due task
   * with its key that this claim could take comes before it in pick-up order: one claim then never
   * starts two tasks with one key. Parameters as in {@link #CLAIM_DUE}.
   */
  private static final String SINGLETON_FREE = """
      NOT EXISTS (SELECT 1 FROM party_task AS r WHERE r.singleton_key = t.singleton_key AND r.state = 'RUNNING')
      AND NOT EXISTS (SELECT 1 FROM party_task AS e
                       WHERE e.singleton_key = t.singleton_key AND e.state = 'PENDING'
                         AND e.run_at <= ?3 AND (e.run_at_us IS NULL OR e.run_at_us <= ?3 * 1000)
                         AND e.attempts < e.max_attempts
                         AND e.handler IN (SELECT value FROM json_each(?4))
                         AND (?5 IS NULL OR e.queue IN (SELECT value FROM json_each(?5)))
                         AND e.queue NOT IN (SELECT name FROM party_queue WHERE paused)
                         AND (-e.priority, e.run_at, e.attempts, e.created_at, e.id)
                           < (-t.priority, t.run_at, t.attempts, t.created_at, t.id))""";

  /**
   * Claim and lease stamp happen in one UPDATE: a crash between two statements would leave a
   * RUNNING task that no one owns. INDEXED BY makes the sub-select walk party_task_pickup in
   * pick-up order and stop at LIMIT; left to itself the planner may pick the handler index and sort
   * every pending row on each claim. A started task no longer covers batch requests: its batch key
   * is cleared. Parameters: owner, lease expiry, now, handlers, queues, limit.
   */
  static final String CLAIM_DUE = """
      UPDATE party_task
         SET state = 'RUNNING', attempts = attempts + 1, lease_token = lease_token + 1,
             lease_owner = ?1, lease_expires_at = ?2, batch_key = NULL
       WHERE id IN (SELECT id FROM party_task AS t INDEXED BY party_task_pickup
                     WHERE state = 'PENDING' AND run_at <= ?3 AND (run_at_us IS NULL OR run_at_us <= ?3 * 1000)
                       AND attempts < max_attempts AND crashes = 0 AND handler IN (SELECT value FROM json_each(?4))
                       AND (?5 IS NULL OR queue IN (SELECT value FROM json_each(?5)))
                       AND queue NOT IN (SELECT name FROM party_queue WHERE paused)
                       AND (singleton_key IS NULL OR (""" + SINGLETON_FREE + """
                     ))
                     ORDER BY priority DESC, run_at, attempts, created_at, id
                     LIMIT ?6)
      RETURNING\s""" + COLUMNS;

  /**
   * {@link #CLAIM_DUE} for one suspect (a task taken back from a dead worker), for an idle node:
   * the best due one, through the small party_task_suspect index. Parameters as in CLAIM_DUE, but
   * no limit.
   */
  static final String CLAIM_SUSPECT = """
      UPDATE party_task
         SET state = 'RUNNING', attempts = attempts + 1, lease_token = lease_token + 1,
             lease_owner = ?1, lease_expires_at = ?2, batch_key = NULL
       WHERE id IN (SELECT id FROM party_task AS t INDEXED BY party_task_suspect
                     WHERE state = 'PENDING' AND crashes > 0 AND run_at <= ?3
                       AND (run_at_us IS NULL OR run_at_us <= ?3 * 1000) AND attempts < max_attempts
                       AND handler IN (SELECT value FROM json_each(?4))
                       AND (?5 IS NULL OR queue IN (SELECT value FROM json_each(?5)))
                       AND queue NOT IN (SELECT name FROM party_queue WHERE paused)
                       AND (singleton_key IS NULL OR (""" + SINGLETON_FREE + """
                     ))
                     ORDER BY priority DESC, run_at, attempts, created_at, id
                     LIMIT 1)
      RETURNING\s""" + COLUMNS;

  /**
   * The seeds' "run it now": one PENDING task by id, due or not. A singleton task whose key is held
   * by a RUNNING task trips party_task_singleton; the store reports that as a conflict.
   */
  static final String CLAIM_ONE = """
      UPDATE party_task
         SET state = 'RUNNING', attempts = attempts + 1, lease_token = lease_token + 1,
             lease_owner = ?, lease_expires_at = ?, batch_key = NULL
       WHERE id = ? AND state = 'PENDING' AND attempts < max_attempts AND run_at <> 253402214400000
      RETURNING\s""" + COLUMNS;

  /**
   * The keys of limited handlers ({@code ?1}, a JSON object: handler to concurrency limit) that have
   * due tasks and fewer RUNNING ones than their limit, best first by their best due task. Rate
   * limits are checked per key afterwards. Parameters: limits, now, queues, how many keys.
   */
  static final String LIMITED_KEYS = """
      SELECT t.handler, coalesce(t.limit_key, '') AS k
        FROM party_task AS t JOIN json_each(?1) AS l ON l.key = t.handler
       WHERE t.state = 'PENDING' AND t.run_at <= ?2 AND (t.run_at_us IS NULL OR t.run_at_us <= ?2 * 1000)
         AND t.attempts < t.max_attempts
         AND (?3 IS NULL OR t.queue IN (SELECT value FROM json_each(?3)))
         AND t.queue NOT IN (SELECT name FROM party_queue WHERE paused)
       GROUP BY t.handler, k
      HAVING (SELECT count(*) FROM party_task AS r
               WHERE r.handler = t.handler AND coalesce(r.limit_key, '') = coalesce(t.limit_key, '')
                 AND r.state = 'RUNNING') < max(l.value)
       ORDER BY max(t.priority) DESC, min(t.run_at), min(t.id)
       LIMIT ?4""";

  /** One key's RUNNING tasks and its rate counter (window start and starts, null without a row). */
  static final String LIMIT_USAGE = """
      SELECT (SELECT count(*) FROM party_task
               WHERE handler = ?1 AND coalesce(limit_key, '') = ?2 AND state = 'RUNNING'),
             (SELECT window_start FROM party_rate WHERE handler = ?1 AND limit_key = ?2),
             (SELECT starts FROM party_rate WHERE handler = ?1 AND limit_key = ?2)""";

  /**
   * {@link #CLAIM_DUE} for the due tasks of one limit key, at most LIMIT (the room its limits
   * leave). Parameters: owner, lease expiry, now, handler, key, queues, limit.
   */
  static final String CLAIM_LIMITED = """
      UPDATE party_task
         SET state = 'RUNNING', attempts = attempts + 1, lease_token = lease_token + 1,
             lease_owner = ?1, lease_expires_at = ?2, batch_key = NULL
       WHERE id IN (SELECT id FROM party_task
                     WHERE handler = ?4 AND coalesce(limit_key, '') = ?5 AND state = 'PENDING'
                       AND run_at <= ?3 AND (run_at_us IS NULL OR run_at_us <= ?3 * 1000)
                       AND attempts < max_attempts AND (?6 IS NULL OR queue IN (SELECT value FROM json_each(?6)))
                       AND queue NOT IN (SELECT name FROM party_queue WHERE paused)
                     ORDER BY priority DESC, run_at, attempts, created_at, id
                     LIMIT ?7)
      RETURNING\s""" + COLUMNS;

  /** Counts starts in a key's rate window; a later window starts the count again. Parameters: handler, key, window start, starts. */
  static final String COUNT_STARTS = """
      INSERT INTO party_rate (handler, limit_key, window_start, starts) VALUES (?1, ?2, ?3, ?4)
      ON CONFLICT (handler, limit_key) DO UPDATE
         SET starts = CASE WHEN window_start = excluded.window_start THEN starts + excluded.starts ELSE excluded.starts END,
             window_start = excluded.window_start
       WHERE excluded.window_start >= window_start""";

  /** A PENDING task's handler and limit key ('' for none), for a run-now of a limited task. */
  static final String TASK_LIMIT_KEY = """
      SELECT handler, coalesce(limit_key, '') FROM party_task WHERE id = ? AND state = 'PENDING'""";

  /** Counts at most LIMIT rows: the check only needs to know whether the capacity is reached. */
  static final String COUNT_UNFINISHED = """
      SELECT count(*) FROM (SELECT 1 FROM party_task
                             WHERE state IN ('PENDING', 'RUNNING') AND handler = ? LIMIT ?)""";

  static final String FINISH_RUN = """
      UPDATE party_task
         SET state = 'FINISHED', result = ?, progress = 100, finished_at = ?,
             lease_owner = NULL, lease_expires_at = NULL, crashes = 0
       WHERE id = ? AND lease_token = ? AND state = 'RUNNING'""";

  /**
   * Marks a stored continuation (?2) as the step after the task it continues (?1), in the finish's
   * transaction: the same root, one step further. {@link #LINK_CONTINUED} links the other way.
   */
  static final String LINK_CONTINUATION = """
      UPDATE party_task
         SET continues = ?1,
             continuation_root = (SELECT coalesce(continuation_root, id) FROM party_task WHERE id = ?1),
             continuation_step = (SELECT coalesce(continuation_step, 0) + 1 FROM party_task WHERE id = ?1)
       WHERE id = ?2""";

  static final String LINK_CONTINUED = "UPDATE party_task SET continued_by = ?2 WHERE id = ?1";

  /**
   * The newest step of the continuation task ? is part of: its root's highest step. Empty when
   * cleanup removed every step after the root.
   */
  static final String LAST_STEP = """
      SELECT id, state, run_at, run_at_us FROM party_task
       WHERE continuation_root = (SELECT coalesce(continuation_root, id) FROM party_task WHERE id = ?)
       ORDER BY continuation_step DESC LIMIT 1""";

  /** Parameters: run_at, run_at_us, error, id, lease token. */
  static final String RETRY_RUN = """
      UPDATE party_task
         SET state = 'PENDING', run_at = ?, run_at_us = ?, error = ?, lease_owner = NULL, lease_expires_at = NULL
       WHERE id = ? AND lease_token = ? AND state = 'RUNNING'""";

  static final String FAIL_RUN = """
      UPDATE party_task
         SET state = 'FAILED', error = ?, finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
       WHERE id = ? AND lease_token = ? AND state = 'RUNNING'""";

  /** A run stopped by shutdown: back to the queue, the attempt not counted. */
  static final String RELEASE_RUN = """
      UPDATE party_task
         SET state = 'PENDING', attempts = attempts - 1, lease_owner = NULL, lease_expires_at = NULL
       WHERE id = ? AND lease_token = ? AND state = 'RUNNING'""";

  static final String EXTEND_LEASE = """
      UPDATE party_task SET lease_expires_at = ?
       WHERE id = ? AND lease_token = ? AND state = 'RUNNING'""";

  static final String SELECT_EXPIRED = """
      SELECT id, lease_token, lease_owner, attempts, max_attempts, crashes FROM party_task
       WHERE state = 'RUNNING' AND lease_expires_at < ?""";

  /** Through party_task_state: only the RUNNING rows are read. */
  static final String NEXT_LEASE_EXPIRY = "SELECT min(lease_expires_at) FROM party_task WHERE state = 'RUNNING'";

  static final String SELECT_OWNED = """
      SELECT id, lease_token, lease_owner, attempts, max_attempts, crashes FROM party_task
       WHERE state = 'RUNNING' AND lease_owner = ?""";

  /** How many tasks a lost worker was running, and the exit code its supervisor recorded (or NULL). */
  static final String LOST_WORKER = """
      SELECT (SELECT count(*) FROM party_task WHERE state = 'RUNNING' AND lease_owner = ?1),
             (SELECT exit_code FROM party_worker WHERE name = ?1)""";

  /**
   * A lost run, as CrashPolicy judged it. Parameters: state, attempts, crashes, finished_at (null
   * unless FAILED), error, id, lease token.
   */
  static final String RELEASE_LOST_RUN = """
      UPDATE party_task
         SET state = ?, attempts = ?, crashes = ?, finished_at = ?, error = ?,
             lease_owner = NULL, lease_expires_at = NULL
       WHERE id = ? AND lease_token = ? AND state = 'RUNNING'""";

  static final String NOTE_PROGRESS = """
      UPDATE party_task SET progress = coalesce(?, progress)
       WHERE id = ? AND lease_token = ? AND state = 'RUNNING'""";

  static final String SELECT_STATE = "SELECT state FROM party_task WHERE id = ?";

  static final String CANCEL_TASK = """
      UPDATE party_task
         SET state = 'CANCELLED', finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
       WHERE id = ? AND state IN ('PENDING', 'RUNNING')""";

  /** A FAILED task back to the queue with a fresh set of attempts; its last error stays. */
  static final String REQUEUE_TASK = """
      UPDATE party_task SET state = 'PENDING', attempts = 0, crashes = 0, run_at = ?, run_at_us = NULL, finished_at = NULL
       WHERE id = ? AND state = 'FAILED'""";

  static final String SELECT_TASK = "SELECT " + COLUMNS + " FROM party_task WHERE id = ?";

  /** The task with this handler and instance key, through party_task_instance. */
  static final String SELECT_TASK_BY_INSTANCE =
      "SELECT " + COLUMNS + " FROM party_task WHERE handler = ? AND instance_key = ?";

  static final String SELECT_LOG = """
      SELECT at, from_state, to_state, worker, message FROM party_task_log
       WHERE task_id = ? ORDER BY seq""";

  /** Newest first; the cursor is the last id of the previous page. */
  static final String LIST_TASKS = "SELECT " + COLUMNS + "\n" + """
       FROM party_task
       WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR handler = ?2) AND (?3 IS NULL OR id < ?3)
       ORDER BY id DESC LIMIT ?4""";

  /**
   * Unfinished recurring class-style tasks, next run first. Its conditions are those of the
   * partial index party_task_unique, so only unfinished keyed rows are read.
   */
  static final String RECURRING_TASKS = "SELECT " + COLUMNS + "\n" + """
       FROM party_task
       WHERE unique_key IS NOT NULL AND state IN ('PENDING', 'RUNNING')
         AND substr(unique_key, 1, %d) = '%s'
       ORDER BY run_at, id LIMIT ?""".formatted(TaskStore.RECURRING_KEY_PREFIX.length(), TaskStore.RECURRING_KEY_PREFIX);

  static final String COUNT_BY_STATE = "SELECT state, count(*) FROM party_task GROUP BY state";

  /**
   * Tasks that ended per bucket (epoch milliseconds, floored to the bucket length), read from the
   * partial index on finished_at that cleanup uses too. Left to itself, SQLite (never ANALYZEd
   * here) prefers the state index, which reads every kept task: 1.26 s instead of 0.08 s on a
   * million. INDEXED BY names the index, and SQLite can use a partial index only when the WHERE
   * repeats its condition word for word (a narrower IN list does not count; the statement would
   * not prepare), so CANCELLED rows are read and counted for neither, and HAVING drops a bucket
   * that holds nothing else, as though they had not been read.
   */
  static final String THROUGHPUT = """
      SELECT (finished_at / ?1) * ?1 AS bucket,
             sum(CASE WHEN state = 'FINISHED' THEN 1 ELSE 0 END),
             sum(CASE WHEN state = 'FAILED' THEN 1 ELSE 0 END)
        FROM party_task INDEXED BY party_task_finished
       WHERE state IN ('FINISHED', 'FAILED', 'CANCELLED') AND finished_at >= ?2
       GROUP BY bucket HAVING sum(CASE WHEN state = 'CANCELLED' THEN 0 ELSE 1 END) > 0
       ORDER BY bucket""";

  static final String COUNT_BY_HANDLER = """
      SELECT handler, count(*) FROM party_task WHERE state = ? GROUP BY handler ORDER BY handler""";

  static final String NEXT_PENDING = """
      SELECT id FROM party_task INDEXED BY party_task_pickup
       WHERE state = 'PENDING' AND handler = ? AND run_at <> 253402214400000
       ORDER BY priority DESC, run_at, attempts, created_at, id LIMIT 1""";

  // ---- schedules ------------------------------------------------------------------------------

  static final String INSERT_SCHEDULE = """
      INSERT INTO party_schedule (name, handler, queue, data, priority, max_attempts, kind, spec, zone,
                                  misfire, overlap, singleton_key, singleton_policy, next_run_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

  static final String REDEFINE_SCHEDULE = """
      UPDATE party_schedule SET handler = ?, queue = ?, data = ?, priority = ?, max_attempts = ?, kind = ?,
             spec = ?, zone = ?, misfire = ?, overlap = ?, singleton_key = ?, singleton_policy = ?, next_run_at = ?,
             updated_at = ?
       WHERE name = ?""";

  static final String DELETE_SCHEDULE = "DELETE FROM party_schedule WHERE name = ?";

  static final String PAUSE_SCHEDULE =
      "UPDATE party_schedule SET paused = ?, next_run_at = ?, updated_at = ? WHERE name = ?";

  static final String SELECT_SCHEDULE = "SELECT " + ScheduleRowMapper.COLUMNS + " FROM party_schedule WHERE name = ?";

  /** The unfinished task holding a unique key: a recurring class-style task, for the one-per-handler-and-data check. */
  static final String SELECT_UNFINISHED_KEY_HOLDER =
      "SELECT id FROM party_task WHERE unique_key = ? AND state IN ('PENDING', 'RUNNING')";

  /** A handler's schedules, for the one-per-handler-and-data check (the single writer keeps it race-free). */
  static final String SELECT_HANDLER_SCHEDULES = "SELECT " + ScheduleRowMapper.COLUMNS
      + " FROM party_schedule WHERE handler = ?";

  static final String SELECT_SCHEDULES = "SELECT " + ScheduleRowMapper.COLUMNS + " FROM party_schedule ORDER BY name";

  static final String SELECT_DUE_SCHEDULES = "SELECT " + ScheduleRowMapper.COLUMNS
      + " FROM party_schedule WHERE next_run_at <= ? ORDER BY next_run_at, name LIMIT ?";

  static final String TASK_UNFINISHED = "SELECT 1 FROM party_task WHERE id = ? AND state IN ('PENDING', 'RUNNING')";

  static final String SCHEDULE_FIRED = """
      UPDATE party_schedule SET next_run_at = ?, last_run_on = ?, last_task_id = ?, updated_at = ?
       WHERE name = ?""";

  static final String SHELVE_SCHEDULE = "UPDATE party_schedule SET paused = 1, next_run_at = ?, updated_at = ? WHERE name = ?";

  static final String NEXT_SCHEDULE_DUE = "SELECT min(next_run_at) FROM party_schedule";

  /** TaskView.WAITING_UNTIL_RELEASED in epoch milliseconds; CLAIM_ONE, NEXT_PENDING and the V005 triggers name it too. */
  static final long WAITING = 253_402_214_400_000L;

  // ---- chains and groups ----------------------------------------------------------------------

  /** Marks a stored task as step n of a chain; every step after the first waits (run_at at the end of time). */
  static final String MARK_CHAIN_STEP = "UPDATE party_task SET chain_id = ?1, chain_step = ?2,"
      + " run_at = CASE WHEN ?3 THEN " + WAITING + " ELSE run_at END,"
      + " run_at_us = CASE WHEN ?3 THEN NULL ELSE run_at_us END WHERE id = ?4";

  static final String MARK_GROUP_MEMBER = "UPDATE party_task SET group_id = ?, group_index = ? WHERE id = ?";

  static final String MARK_CALLBACK =
      "UPDATE party_task SET callback_of = ?, run_at = " + WAITING + ", run_at_us = NULL WHERE id = ?";

  static final String INSERT_GROUP = "INSERT INTO party_group (id, remaining, created_at) VALUES (?, ?, ?)";

  static final String SELECT_PREVIOUS_STEP = "SELECT " + COLUMNS
      + " FROM party_task WHERE (chain_id, chain_step) IN (SELECT chain_id, chain_step - 1 FROM party_task WHERE id = ?)";

  static final String SELECT_GROUP_MEMBERS = "SELECT " + COLUMNS
      + " FROM party_task WHERE group_id IN (SELECT callback_of FROM party_task WHERE id = ?) ORDER BY group_index";

  // ---- worker registry --------------------------------------------------------------------------

  /** A restart under the same name starts a new entry: its stop and start times are reset. */
  static final String REGISTER_WORKER = """
      INSERT INTO party_worker (name, host, pid, queues, slots, version, heartbeat_ms, started_at, last_heartbeat)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET host = excluded.host, pid = excluded.pid, queues = excluded.queues,
             slots = excluded.slots, version = excluded.version, heartbeat_ms = excluded.heartbeat_ms,
             started_at = excluded.started_at, last_heartbeat = excluded.last_heartbeat, stopped_at = NULL,
             exit_code = NULL""";

  /** Drops workers whose last heartbeat is older than the given time (a day ago). */
  static final String PRUNE_WORKERS = "DELETE FROM party_worker WHERE last_heartbeat < ?";

  static final String WORKER_HEARTBEAT = "UPDATE party_worker SET last_heartbeat = ? WHERE name = ? AND stopped_at IS NULL";

  static final String STOP_WORKER = "UPDATE party_worker SET stopped_at = ?, last_heartbeat = ? WHERE name = ? AND stopped_at IS NULL";

  /** Parameters: now, now, the oldest heartbeat still listed. */
  static final String SELECT_WORKERS = """
      SELECT name, host, pid, queues, slots, version, heartbeat_ms, started_at, last_heartbeat, stopped_at,
             CASE WHEN stopped_at IS NOT NULL THEN 'STOPPED'
                  WHEN last_heartbeat + 3 * heartbeat_ms >= ? THEN 'LIVE'
                  ELSE 'DEAD' END AS state
        FROM party_worker WHERE last_heartbeat >= ? ORDER BY name""";

  /** The running tasks by lease owner, for the registry's lists. */
  static final String SELECT_RUNNING_OWNERS =
      "SELECT lease_owner, id FROM party_task WHERE state = 'RUNNING' AND lease_owner IS NOT NULL ORDER BY lease_owner, id";

  // ---- queues -----------------------------------------------------------------------------------

  /** Parameters: name, paused, now. A second pause keeps the first pause time; a resume clears it. */
  static final String PAUSE_QUEUE = """
      INSERT INTO party_queue (name, paused, paused_at) VALUES (?1, ?2, CASE WHEN ?2 THEN ?3 END)
      ON CONFLICT (name) DO UPDATE SET paused = excluded.paused,
             paused_at = CASE WHEN NOT excluded.paused THEN NULL
                              WHEN party_queue.paused THEN party_queue.paused_at
                              ELSE excluded.paused_at END""";

  /** Queues with unfinished tasks or a row, with their counts; parameter: one name, or null for all. */
  static final String SELECT_QUEUES = """
      WITH counts AS (
        SELECT queue AS name, count(*) FILTER (WHERE state = 'PENDING') AS pending,
               count(*) FILTER (WHERE state = 'RUNNING') AS running
          FROM party_task WHERE state IN ('PENDING', 'RUNNING') GROUP BY queue)
      SELECT n.name, coalesce(p.paused, 0) AS paused, p.paused_at,
             coalesce(c.pending, 0) AS pending, coalesce(c.running, 0) AS running
        FROM (SELECT name FROM counts UNION SELECT name FROM party_queue) AS n
        LEFT JOIN party_queue AS p ON p.name = n.name
        LEFT JOIN counts AS c ON c.name = n.name
       WHERE ?1 IS NULL OR n.name = ?1
       ORDER BY n.name""";
  // ---- cleanup --------------------------------------------------------------------------------

  /**
   * Final tasks ended before ?1, of handler ?2, or when ?2 is null of any handler not in the JSON
   * array ?3; oldest first, at most ?4. Chain steps and group members still read by the step or
   * callback after them are left out.
   */
  static final String SELECT_PAST_RETENTION = "SELECT " + COLUMNS + "\n" + """
       FROM party_task t
       WHERE state IN ('FINISHED', 'FAILED', 'CANCELLED') AND finished_at < ?1
         AND (?2 IS NULL OR handler = ?2)
         AND (?2 IS NOT NULL OR handler NOT IN (SELECT value FROM json_each(?3)))
         AND (chain_id IS NULL OR NOT EXISTS (SELECT 1 FROM party_task n
               WHERE n.chain_id = t.chain_id AND n.chain_step = t.chain_step + 1 AND n.state IN ('PENDING', 'RUNNING')))
         AND (group_id IS NULL OR NOT EXISTS (SELECT 1 FROM party_task c
               WHERE c.callback_of = t.group_id AND c.state IN ('PENDING', 'RUNNING')))
       ORDER BY finished_at, id LIMIT ?4""";

  static final String DELETE_FINAL_LOG = """
      DELETE FROM party_task_log WHERE task_id = ?1
         AND EXISTS (SELECT 1 FROM party_task WHERE id = ?1 AND state IN ('FINISHED', 'FAILED', 'CANCELLED'))""";

  static final String DELETE_FINAL = "DELETE FROM party_task WHERE id = ? AND state IN ('FINISHED', 'FAILED', 'CANCELLED')";

  /**
   * A task's state, and whether a chain's next step or a group's callback that reads it is still
   * PENDING or RUNNING: what a purge checks.
   */
  static final String SELECT_PURGE_CHECK = """
      SELECT state,
             (chain_id IS NOT NULL AND EXISTS (SELECT 1 FROM party_task n WHERE n.chain_id = t.chain_id
                AND n.chain_step = t.chain_step + 1 AND n.state IN ('PENDING', 'RUNNING')))
          OR (group_id IS NOT NULL AND EXISTS (SELECT 1 FROM party_task c WHERE c.callback_of = t.group_id
                AND c.state IN ('PENDING', 'RUNNING'))) AS needed
        FROM party_task t WHERE id = ?""";

  static final String DELETE_LOG = "DELETE FROM party_task_log WHERE task_id = ?";

  static final String DELETE_TASK = "DELETE FROM party_task WHERE id = ?";

  static final String INSERT_ARCHIVE = """
      INSERT INTO party_task_archive (id, handler, state, finished_at, archived_at, task)
      SELECT ?1, ?2, ?3, ?4, ?5, ?6
       WHERE EXISTS (SELECT 1 FROM party_task WHERE id = ?1 AND state IN ('FINISHED', 'FAILED', 'CANCELLED'))
      ON CONFLICT (id) DO NOTHING""";

  static final String RECORD_CLEANUP = """
      INSERT INTO party_cleanup (id, last_run_at, last_completed, last_failed, total_completed, total_failed)
      VALUES (1, ?1, ?2, ?3, ?2, ?3)
      ON CONFLICT (id) DO UPDATE SET last_run_at = excluded.last_run_at, last_completed = excluded.last_completed,
        last_failed = excluded.last_failed, total_completed = total_completed + excluded.last_completed,
        total_failed = total_failed + excluded.last_failed""";

  static final String SELECT_CLEANUP = """
      SELECT last_run_at, last_completed, last_failed, total_completed, total_failed FROM party_cleanup WHERE id = 1""";

  /** One more restart for a supervisor ({@code party worker --processes N}). */
  static final String RECORD_RESTART = """
      INSERT INTO party_supervisor (name, restarts, last_restart_at) VALUES (?, 1, ?)
      ON CONFLICT (name) DO UPDATE SET restarts = restarts + 1, last_restart_at = excluded.last_restart_at""";

  /** The exit code of a dead worker process, for the restarted one to read. Parameters: exit code, name. */
  static final String RECORD_EXIT = "UPDATE party_worker SET exit_code = ? WHERE name = ?";

  static final String SELECT_RESTARTED_WORKERS = "SELECT coalesce(sum(restarts), 0) FROM party_supervisor";

  // ---- idempotency keys (V014) ------------------------------------------------------------------

  /** Claims the key for this insert; no row changed means it was claimed before (see IdempotencyKeys). */
  static final String CLAIM_IDEMPOTENCY_KEY = """
      INSERT INTO party_idempotency (key, fingerprint, answer, created_at) VALUES (?, ?, '', ?)
      ON CONFLICT (key) DO NOTHING""";

  static final String SELECT_IDEMPOTENCY_KEY = "SELECT fingerprint, answer FROM party_idempotency WHERE key = ?";

  static final String ANSWER_IDEMPOTENCY_KEY = "UPDATE party_idempotency SET answer = ? WHERE key = ?";

  static final String DELETE_IDEMPOTENCY_KEYS = "DELETE FROM party_idempotency WHERE created_at < ?";
}
