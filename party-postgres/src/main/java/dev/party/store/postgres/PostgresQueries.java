package dev.party.store.postgres;

import dev.party.store.TaskStore;
import dev.party.store.jdbc.ScheduleRowMapper;

/**
 * Every statement the PostgreSQL store runs, one constant per operation. {@code ?::timestamptz}
 * parameters named "now" are null in production, so {@code coalesce(?, now())} compares with the
 * database's clock, never a node's. Batches travel as arrays and are unnested in SQL: one round
 * trip however many tasks.
 */
final class PostgresQueries {
  private PostgresQueries() {}

  static final String COLUMNS = """
      id, handler, queue, data::text AS data, state, priority, run_at, created_at, attempts,
      max_attempts, last_run_on, progress, result::text AS result, error, unique_key, lease_owner,
      lease_expires_at, finished_at, lease_token, instance_key,
      batch_key, singleton_key, limit_key, continues, continued_by, crashes""";

  /** Wakes idle workers on every node; delivered when the transaction commits. */
  static final String NOTIFY = "SELECT pg_notify('party_task', '')";

  static final String CHANNEL = "party_task";

  /**
   * Epoch microseconds (a bigint, null-safe) as an interval, exactly: interval arithmetic multiplies
   * by a double, which holds whole seconds and the microseconds below them exactly but not all
   * microseconds since the epoch at once.
   */
  private static String micros(String column) {
    return "((" + column + " / 1000000) * interval '1 second' + (" + column + " % 1000000) * interval '1 microsecond')";
  }

  /**
   * Times in arrays travel as epoch milliseconds (run_at and delays: microseconds): exact, and
   * null-safe element by element. The statement's time, not now(): in a caller's long transaction
   * now() is its start.
   */
  private static final String INSERT_SELECT = """
      INSERT INTO party_task (id, handler, queue, data, state, priority, run_at, created_at,
                              max_attempts, unique_key, last_run_on, batch_key, singleton_key,
                              singleton_policy, instance_key, limit_key)
      SELECT u.id, u.handler, u.queue, u.data::json, 'PENDING', u.priority,
             coalesce('epoch'::timestamptz + """ + micros("u.run_at_us") + """
      ,
                      coalesce(?::timestamptz, statement_timestamp()) + """ + micros("coalesce(u.run_in_us, 0)") + """
      ),
             coalesce(?::timestamptz, statement_timestamp()), u.max_attempts, u.unique_key,
             'epoch'::timestamptz + u.last_run_on_ms * interval '1 millisecond',
             u.batch_key, u.singleton_key, u.singleton_policy, u.instance_key, u.limit_key
        FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::bigint[],
                    ?::int[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
             AS u(id, handler, queue, data, priority, run_at_us, run_in_us, max_attempts, unique_key,
                  last_run_on_ms, batch_key, singleton_key, singleton_policy, instance_key, limit_key)""";

  /** Returns each stored task's id and run time, for the answer to show what a read will. */
  static final String INSERT_TASKS = INSERT_SELECT + """

      RETURNING id, run_at""";

  /**
   * {@link #INSERT_TASKS} for tasks with batch keys: a task whose handler and batch key a waiting
   * task holds (committed, or in another open transaction that then commits, or earlier in this
   * statement) is not stored and not returned; the caller then reads the one that covers it.
   */
  static final String INSERT_TASKS_BATCHED = INSERT_SELECT + """

      ON CONFLICT (handler, batch_key) WHERE batch_key IS NOT NULL AND state = 'PENDING' DO NOTHING
      RETURNING id, run_at""";

  /** The waiting tasks that cover requests, by (handler, batch key); the ordinality is 1-based. */
  static final String FIND_BATCH_COVERS = """
      SELECT u.i, t.id
        FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS u(handler, batch_key, i)
        JOIN party_task t ON t.handler = u.handler AND t.batch_key = u.batch_key AND t.state = 'PENDING'""";

  /**
   * Run before {@link #CLAIM_DUE}, in its transaction. Right after a bulk enqueue the statistics
   * are stale, and the planner then picks a bitmap scan and sorts every pending row on each claim
   * (24 ms at 20,000 pending, growing with the backlog) instead of walking party_task_pickup in
   * order and stopping at LIMIT (0.1 ms). With sorting off, the ordered index scan is the plan.
   */
  static final String CLAIM_PLAN = "SELECT set_config('enable_sort', 'off', true)";

  /**
   * A singleton task {@code t} may start only when no task with its key is RUNNING, no due task
   * with its key that this claim could take comes before it in pick-up order (so one claim never
   * starts two), and no other transaction is claiming that key right now: the advisory lock, taken
   * last (CASE fixes the order), is held to commit. A node whose snapshot predates another's commit
   * can still pick a key just taken; party_task_singleton then refuses the claim, which is retried.
   * Parameters: now, handlers, queues, queues.
   */
  private static final String SINGLETON_FREE = """
      CASE WHEN NOT EXISTS (SELECT 1 FROM party_task r
                             WHERE r.singleton_key = t.singleton_key AND r.state = 'RUNNING')
            AND NOT EXISTS (SELECT 1 FROM party_task e
                             WHERE e.singleton_key = t.singleton_key AND e.state = 'PENDING'
                               AND e.run_at <= coalesce(?::timestamptz, now()) AND e.attempts < e.max_attempts
                               AND e.handler = ANY(?::text[]) AND (?::text[] IS NULL OR e.queue = ANY(?::text[])) AND e.queue NOT IN (SELECT name FROM party_queue WHERE paused)
                               AND (-e.priority, e.run_at, e.attempts, e.created_at, e.id)
                                 < (-t.priority, t.run_at, t.attempts, t.created_at, t.id))
           THEN pg_try_advisory_xact_lock(hashtext('party.singleton ' || current_schema()), hashtext(t.singleton_key))
           ELSE false END""";

  /**
   * Claim, lease stamp and log row in one statement. SKIP LOCKED lets many workers claim at once
   * without queueing behind each other's row locks. First, due SKIP singleton tasks whose key a
   * RUNNING task holds end FINISHED as skipped, without an attempt, with a log row saying why; a
   * started task no longer covers batch requests (its batch key is cleared).
   *
   * <p>Parameters: now, now, handlers, queues, queues (skipped); owner, now, lease ms (claimed); now,
   * handlers, queues, queues, then {@link #SINGLETON_FREE}'s four, limit (the pick); now, now (log).
   */
  static final String CLAIM_DUE = """
      WITH skipped AS (
        UPDATE party_task
           SET state = 'FINISHED', finished_at = coalesce(?::timestamptz, now()),
               -- compact, as SQLite writes it: {"skipped":true,"singletonKey":"..."}
               result = ('{"skipped":true,"singletonKey":' || to_json(singleton_key)::text || '}')::json
         WHERE id IN (SELECT s.id FROM party_task s
                       WHERE s.singleton_key IS NOT NULL AND s.state = 'PENDING' AND s.singleton_policy = 'SKIP'
                         AND s.run_at <= coalesce(?::timestamptz, now()) AND s.handler = ANY(?::text[])
                         AND (?::text[] IS NULL OR s.queue = ANY(?::text[])) AND s.queue NOT IN (SELECT name FROM party_queue WHERE paused)
                         AND EXISTS (SELECT 1 FROM party_task r
                                      WHERE r.singleton_key = s.singleton_key AND r.state = 'RUNNING')
                       FOR UPDATE SKIP LOCKED)
        RETURNING id, singleton_key),
      claimed AS (
        UPDATE party_task
           SET state = 'RUNNING', attempts = attempts + 1, lease_token = lease_token + 1, batch_key = NULL,
               lease_owner = ?, lease_expires_at = coalesce(?::timestamptz, now()) + ? * interval '1 millisecond'
         WHERE id IN (SELECT id FROM party_task t
                       WHERE state = 'PENDING' AND run_at <= coalesce(?::timestamptz, now())
                         AND attempts < max_attempts AND crashes = 0 AND handler = ANY(?::text[])
                         AND (?::text[] IS NULL OR queue = ANY(?::text[])) AND queue NOT IN (SELECT name FROM party_queue WHERE paused)
                         AND (singleton_key IS NULL OR\s""" + SINGLETON_FREE + """
      )
                       ORDER BY priority DESC, run_at, attempts, created_at, id
                       LIMIT ? FOR UPDATE SKIP LOCKED)
        RETURNING *),
      logged AS (
        INSERT INTO party_task_log (at, task_id, from_state, to_state, worker, message)
        SELECT coalesce(?::timestamptz, now()), id, 'PENDING', 'RUNNING', lease_owner,
               'attempt ' || attempts || ' of ' || max_attempts
          FROM claimed
        UNION ALL
        SELECT coalesce(?::timestamptz, now()), id, 'PENDING', 'FINISHED', NULL,
               format('skipped: another task with singleton key %L was RUNNING', singleton_key)
          FROM skipped)
      SELECT\s""" + COLUMNS + " FROM claimed";

  /**
   * {@link #CLAIM_DUE} for one suspect (a task taken back from a dead worker), for an idle node: the
   * best due one, through the small party_task_suspect index. Parameters: owner, now, lease ms;
   * now, handlers, queues, queues, then {@link #SINGLETON_FREE}'s four (the pick); now (log).
   */
  static final String CLAIM_SUSPECT = """
      WITH claimed AS (
        UPDATE party_task
           SET state = 'RUNNING', attempts = attempts + 1, lease_token = lease_token + 1, batch_key = NULL,
               lease_owner = ?, lease_expires_at = coalesce(?::timestamptz, now()) + ? * interval '1 millisecond'
         WHERE id IN (SELECT id FROM party_task t
                       WHERE state = 'PENDING' AND crashes > 0 AND run_at <= coalesce(?::timestamptz, now())
                         AND attempts < max_attempts AND handler = ANY(?::text[])
                         AND (?::text[] IS NULL OR queue = ANY(?::text[])) AND queue NOT IN (SELECT name FROM party_queue WHERE paused)
                         AND (singleton_key IS NULL OR\s""" + SINGLETON_FREE + """
      )
                       ORDER BY priority DESC, run_at, attempts, created_at, id
                       LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING *),
      logged AS (
        INSERT INTO party_task_log (at, task_id, from_state, to_state, worker, message)
        SELECT coalesce(?::timestamptz, now()), id, 'PENDING', 'RUNNING', lease_owner,
               'attempt ' || attempts || ' of ' || max_attempts
          FROM claimed)
      SELECT\s""" + COLUMNS + " FROM claimed";

  /**
   * The seeds' "run it now": one PENDING task by id, due or not. A singleton task whose key a
   * RUNNING task holds trips party_task_singleton, reported as a conflict.
   */
  static final String CLAIM_ONE = """
      WITH claimed AS (
        UPDATE party_task
           SET state = 'RUNNING', attempts = attempts + 1, lease_token = lease_token + 1, batch_key = NULL,
               lease_owner = ?, lease_expires_at = coalesce(?::timestamptz, now()) + ? * interval '1 millisecond'
         WHERE id = ? AND state = 'PENDING' AND attempts < max_attempts AND run_at <> '9999-12-31T00:00:00Z'
        RETURNING *),
      logged AS (
        INSERT INTO party_task_log (at, task_id, from_state, to_state, worker, message)
        SELECT coalesce(?::timestamptz, now()), id, 'PENDING', 'RUNNING', lease_owner,
               'attempt ' || attempts || ' of ' || max_attempts || ', run now by request'
          FROM claimed)
      SELECT\s""" + COLUMNS + " FROM claimed";

  // ---- limits ---------------------------------------------------------------------------------

  /**
   * The keys of limited handlers (arrays: handler, concurrency limit) that have due tasks and fewer
   * RUNNING ones than their limit, best first by their best due task. Read without locks: the
   * count is checked again under each key's lock. Parameters: handlers, limits, now, queues,
   * queues, how many keys.
   */
  static final String LIMITED_KEYS = """
      SELECT k.handler, k.limit_key FROM (
        SELECT DISTINCT ON (t.handler, coalesce(t.limit_key, ''))
               t.handler, coalesce(t.limit_key, '') AS limit_key, l.concurrency,
               t.priority, t.run_at, t.attempts, t.created_at, t.id
          FROM party_task t JOIN unnest(?::text[], ?::int[]) AS l(handler, concurrency) ON l.handler = t.handler
         WHERE t.state = 'PENDING' AND t.run_at <= coalesce(?::timestamptz, now()) AND t.attempts < t.max_attempts
           AND (?::text[] IS NULL OR t.queue = ANY(?::text[])) AND t.queue NOT IN (SELECT name FROM party_queue WHERE paused)
         ORDER BY t.handler, coalesce(t.limit_key, ''), t.priority DESC, t.run_at, t.attempts, t.created_at, t.id) k
       WHERE (SELECT count(*) FROM party_task r
               WHERE r.handler = k.handler AND coalesce(r.limit_key, '') = k.limit_key
                 AND r.lease_expires_at IS NOT NULL AND r.state = 'RUNNING') < k.concurrency
       ORDER BY k.priority DESC, k.run_at, k.attempts, k.created_at, k.id
       LIMIT ?""";

  /**
   * One limit key's lock, held to commit: claims of a key's tasks on every node take it, so each
   * counts the key's RUNNING tasks and starts after the previous claim of the key committed. A claim
   * does not wait for it (another node is claiming that key right now); a run-now does.
   */
  static final String TRY_LOCK_LIMIT_KEY =
      "SELECT pg_try_advisory_xact_lock(hashtext('party.limit ' || current_schema() || ' ' || ?), hashtext(?))";

  static final String LOCK_LIMIT_KEY =
      "SELECT true FROM (SELECT pg_advisory_xact_lock(hashtext('party.limit ' || current_schema() || ' ' || ?), hashtext(?))) l";

  /**
   * Run after the key's lock, in a statement of its own so its snapshot sees every claim of the key
   * committed before: the key's RUNNING tasks, its rate counter (window start and starts, null
   * without a row), and the time the claim goes by. That is clock_timestamp(), not now(): claims of
   * one key follow one another in this order, so their times and windows only move forward.
   * Parameters: handler, key (three times), now.
   */
  static final String LIMIT_USAGE = """
      SELECT (SELECT count(*) FROM party_task
               WHERE handler = ? AND coalesce(limit_key, '') = ? AND lease_expires_at IS NOT NULL
                 AND state = 'RUNNING'),
             (SELECT window_start FROM party_rate WHERE handler = ? AND limit_key = ?),
             (SELECT starts FROM party_rate WHERE handler = ? AND limit_key = ?),
             coalesce(?::timestamptz, clock_timestamp())""";

  /**
   * {@link #CLAIM_DUE} for the due tasks of one limit key, at most LIMIT (the room its limits
   * leave), at the time {@link #LIMIT_USAGE} gave. Parameters: owner, now, lease ms, handler, key,
   * now, queues, queues, limit, now.
   */
  static final String CLAIM_LIMITED = """
      WITH claimed AS (
        UPDATE party_task
           SET state = 'RUNNING', attempts = attempts + 1, lease_token = lease_token + 1, batch_key = NULL,
               lease_owner = ?, lease_expires_at = ?::timestamptz + ? * interval '1 millisecond'
         WHERE id IN (SELECT id FROM party_task
                       WHERE handler = ? AND coalesce(limit_key, '') = ? AND state = 'PENDING'
                         AND run_at <= ?::timestamptz AND attempts < max_attempts
                         AND (?::text[] IS NULL OR queue = ANY(?::text[])) AND queue NOT IN (SELECT name FROM party_queue WHERE paused)
                       ORDER BY priority DESC, run_at, attempts, created_at, id
                       LIMIT ? FOR UPDATE SKIP LOCKED)
        RETURNING *),
      logged AS (
        INSERT INTO party_task_log (at, task_id, from_state, to_state, worker, message)
        SELECT ?::timestamptz, id, 'PENDING', 'RUNNING', lease_owner, 'attempt ' || attempts || ' of ' || max_attempts
          FROM claimed)
      SELECT\s""" + COLUMNS + " FROM claimed";

  /** Counts starts in a key's rate window; a later window starts the count again. Parameters: handler, key, window start, starts. */
  static final String COUNT_STARTS = """
      INSERT INTO party_rate (handler, limit_key, window_start, starts) VALUES (?, ?, ?, ?)
      ON CONFLICT (handler, limit_key) DO UPDATE
         SET starts = CASE WHEN party_rate.window_start = excluded.window_start
                           THEN party_rate.starts + excluded.starts ELSE excluded.starts END,
             window_start = excluded.window_start
       WHERE excluded.window_start >= party_rate.window_start""";

  /** A PENDING task's handler and limit key ('' for none), for a run-now of a limited task. */
  static final String TASK_LIMIT_KEY =
      "SELECT handler, coalesce(limit_key, '') FROM party_task WHERE id = ? AND state = 'PENDING'";

  /**
   * Taken before counting a capped handler's unfinished tasks and held to the insert's commit, so
   * two concurrent inserts cannot both see room for the last slot.
   */
  static final String CAPACITY_LOCK = "SELECT pg_advisory_xact_lock(hashtext('party.capacity'), hashtext(?))";

  /**
   * Counts at most LIMIT rows: the check only needs to know whether the capacity is reached. It
   * reads the pending rows through party_task_pickup; no index on unfinished rows by handler, for
   * the reason given at party_task_final.
   */
  static final String COUNT_UNFINISHED = """
      SELECT count(*) FROM (SELECT 1 FROM party_task
                             WHERE state IN ('PENDING', 'RUNNING') AND handler = ? LIMIT ?) capped""";

  /** A FAILED task back to the queue with a fresh set of attempts; its last error stays. */
  static final String REQUEUE_TASK = """
      WITH requeued AS (
        UPDATE party_task SET state = 'PENDING', attempts = 0, crashes = 0, run_at = coalesce(?::timestamptz, now()),
                              finished_at = NULL
         WHERE id = ? AND state = 'FAILED'
        RETURNING id)
      INSERT INTO party_task_log (at, task_id, from_state, to_state, worker, message)
      SELECT coalesce(?::timestamptz, now()), id, 'FAILED', 'PENDING', NULL, ? FROM requeued""";

  /**
   * Shared tail of the completion statements: the log rows of the runs that still held their
   * lease, and those runs as (id, lease token), so a stale run of the same task is told apart.
   */
  private static final String LOG_APPLIED = """
      logged AS (
        INSERT INTO party_task_log (at, task_id, from_state, to_state, worker, message)
        SELECT coalesce(?::timestamptz, now()), id, 'RUNNING', state, ?, message FROM applied)
      SELECT id, lease_token FROM applied""";

  static final String FINISH_RUNS = """
      WITH applied AS (
        UPDATE party_task t
           SET state = 'FINISHED', result = u.result::json, progress = 100, crashes = 0,
               finished_at = coalesce(?::timestamptz, now()), lease_owner = NULL, lease_expires_at = NULL
          FROM unnest(?::text[], ?::int[], ?::text[], ?::text[]) AS u(id, token, result, message)
         WHERE t.id = u.id AND t.lease_token = u.token AND t.state = 'RUNNING'
        RETURNING t.id, t.lease_token, t.state, u.message),
      """ + LOG_APPLIED;

  static final String RETRY_RUNS = """
      WITH applied AS (
        UPDATE party_task t
           SET state = 'PENDING', error = u.error, lease_owner = NULL, lease_expires_at = NULL,
               run_at = coalesce('epoch'::timestamptz + """ + micros("u.run_at_us") + """
      ,
                                 coalesce(?::timestamptz, now()) + """ + micros("u.delay_us") + """
      )
          FROM unnest(?::text[], ?::int[], ?::bigint[], ?::bigint[], ?::text[])
               AS u(id, token, run_at_us, delay_us, error)
         WHERE t.id = u.id AND t.lease_token = u.token AND t.state = 'RUNNING'
        RETURNING t.id, t.lease_token, t.state,
                  'retry at ' || to_char(t.run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                  || ' after: ' || split_part(u.error, E'\\n', 1) AS message),
      """ + LOG_APPLIED;

  static final String FAIL_RUNS = """
      WITH applied AS (
        UPDATE party_task t
           SET state = 'FAILED', error = u.error, finished_at = coalesce(?::timestamptz, now()),
               lease_owner = NULL, lease_expires_at = NULL
          FROM unnest(?::text[], ?::int[], ?::text[]) AS u(id, token, error)
         WHERE t.id = u.id AND t.lease_token = u.token AND t.state = 'RUNNING'
        RETURNING t.id, t.lease_token, t.state, split_part(u.error, E'\\n', 1) AS message),
      """ + LOG_APPLIED;

  /** A run stopped by shutdown: back to the queue, the attempt not counted. */
  static final String RELEASE_RUNS = """
      WITH applied AS (
        UPDATE party_task t
           SET state = 'PENDING', attempts = attempts - 1, lease_owner = NULL, lease_expires_at = NULL
          FROM unnest(?::text[], ?::int[], ?::text[]) AS u(id, token, reason)
         WHERE t.id = u.id AND t.lease_token = u.token AND t.state = 'RUNNING'
        RETURNING t.id, t.lease_token, t.state, u.reason AS message),
      """ + LOG_APPLIED;

  /**
   * Locks the rows a batch of completions will write, in id order, before writing them: every
   * writer of running rows (completions, heartbeats) then takes its locks in one order and none
   * deadlocks with another.
   */
  static final String LOCK_RUNS = "SELECT id FROM party_task WHERE id = ANY(?::text[]) ORDER BY id FOR UPDATE";

  /**
   * The groups these runs are members of, locked in id order before the completion statements:
   * their triggers lock each group row as a member ends, in whatever order the rows come, and two
   * batches ending members of the same two groups would otherwise deadlock.
   */
  static final String LOCK_GROUPS = """
      SELECT id FROM party_group
       WHERE id IN (SELECT group_id FROM party_task WHERE id = ANY(?::text[]) AND group_id IS NOT NULL)
       ORDER BY id FOR UPDATE""";

  static final String EXTEND_LEASES = """
      UPDATE party_task t
         SET lease_expires_at = coalesce(?::timestamptz, now()) + ? * interval '1 millisecond'
        FROM unnest(?::text[], ?::int[]) AS u(id, token)
       WHERE t.id = u.id AND t.lease_token = u.token AND t.state = 'RUNNING'
      RETURNING t.id, t.lease_token""";

  /** Lost runs, locked, skipping any a worker is writing right now; the columns CrashPolicy reads. */
  private static final String LOST_COLUMNS = "SELECT id, lease_token, lease_owner, attempts, max_attempts, crashes FROM party_task";

  static final String SELECT_EXPIRED = LOST_COLUMNS + """

       WHERE lease_expires_at < coalesce(?::timestamptz, now()) AND state = 'RUNNING'
       ORDER BY id FOR UPDATE SKIP LOCKED""";

  static final String SELECT_OWNED = LOST_COLUMNS + """

       WHERE lease_expires_at IS NOT NULL AND state = 'RUNNING' AND lease_owner = ?
       ORDER BY id FOR UPDATE SKIP LOCKED""";

  /** How many tasks a lost worker was running, and the exit code its supervisor recorded (or NULL). */
  static final String LOST_WORKER = """
      SELECT (SELECT count(*) FROM party_task WHERE state = 'RUNNING' AND lease_owner = ?),
             (SELECT exit_code FROM party_worker WHERE name = ?)""";

  /**
   * Lost runs as CrashPolicy judged them, with a log row each. Parameters: now; arrays of id, token,
   * owner, state, attempts, crashes, error; now.
   */
  static final String RELEASE_LOST = """
      WITH released AS (
        UPDATE party_task t
           SET state = u.state, attempts = u.attempts, crashes = u.crashes, error = u.error,
               finished_at = CASE WHEN u.state = 'FAILED' THEN coalesce(?::timestamptz, now()) END,
               lease_owner = NULL, lease_expires_at = NULL
          FROM unnest(?::text[], ?::int[], ?::text[], ?::text[], ?::int[], ?::int[], ?::text[])
               AS u(id, token, owner, state, attempts, crashes, error)
         WHERE t.id = u.id AND t.lease_token = u.token AND t.state = 'RUNNING'
        RETURNING t.id, t.state, u.owner, u.error),
      logged AS (
        INSERT INTO party_task_log (at, task_id, from_state, to_state, worker, message)
        SELECT coalesce(?::timestamptz, now()), id, 'RUNNING', state, owner, error FROM released)
      SELECT id, owner, state FROM released""";

  static final String NOTE = """
      WITH noted AS (
        UPDATE party_task SET progress = coalesce(?, progress)
         WHERE id = ? AND lease_token = ? AND state = 'RUNNING'
        RETURNING id),
      logged AS (
        INSERT INTO party_task_log (at, task_id, from_state, to_state, worker, message)
        SELECT coalesce(?::timestamptz, now()), id, 'RUNNING', 'RUNNING', ?, ?::text FROM noted
         WHERE ?::text IS NOT NULL)
      SELECT count(*) FROM noted""";

  static final String LOCK_TASK = "SELECT " + COLUMNS + " FROM party_task WHERE id = ? FOR UPDATE";

  static final String CANCEL_TASK = """
      WITH cancelled AS (
        UPDATE party_task
           SET state = 'CANCELLED', finished_at = coalesce(?::timestamptz, now()),
               lease_owner = NULL, lease_expires_at = NULL
         WHERE id = ? AND state IN ('PENDING', 'RUNNING')
        RETURNING id)
      INSERT INTO party_task_log (at, task_id, from_state, to_state, worker, message)
      SELECT coalesce(?::timestamptz, now()), id, ?, 'CANCELLED', NULL, ? FROM cancelled""";

  /**
   * Links each finished task (prev) and its stored continuation (next) both ways, in the finish's
   * transaction: the continuation gets the root and the step after prev's. A continuation that a
   * waiting task covered (by its batch key) was not stored and links nothing.
   */
  static final String LINK_CONTINUATIONS = """
      WITH pair AS (
        SELECT u.prev, u.next, coalesce(p.continuation_root, p.id) AS root,
               coalesce(p.continuation_step, 0) + 1 AS step
          FROM unnest(?::text[], ?::text[]) AS u(prev, next)
          JOIN party_task p ON p.id = u.prev
         WHERE EXISTS (SELECT 1 FROM party_task n WHERE n.id = u.next)),
      linked AS (
        UPDATE party_task t SET continues = pair.prev, continuation_root = pair.root, continuation_step = pair.step
          FROM pair WHERE t.id = pair.next)
      UPDATE party_task t SET continued_by = pair.next FROM pair WHERE t.id = pair.prev""";

  /**
   * The newest step of the continuation task ? is part of: its root's highest step. Empty when
   * cleanup removed every step after the root.
   */
  static final String LAST_STEP = """
      SELECT id, state, run_at FROM party_task
       WHERE continuation_root = (SELECT coalesce(continuation_root, id) FROM party_task WHERE id = ?)
       ORDER BY continuation_step DESC LIMIT 1""";

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
       WHERE (?::text IS NULL OR state = ?) AND (?::text IS NULL OR handler = ?) AND (?::text IS NULL OR id < ?)
       ORDER BY id DESC LIMIT ?""";

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
   * Tasks that ended per bucket (epoch milliseconds, floored to the bucket length); served by
   * the partial index on finished_at that cleanup uses too. Unlike SQLite, PostgreSQL proves that
   * the narrower IN list implies the index's condition, so the WHERE can leave CANCELLED out.
   */
  static final String THROUGHPUT = """
      SELECT floor(extract(epoch FROM finished_at) * 1000 / ?)::bigint AS bucket,
             count(*) FILTER (WHERE state = 'FINISHED'),
             count(*) FILTER (WHERE state = 'FAILED')
        FROM party_task
       WHERE state IN ('FINISHED', 'FAILED') AND finished_at >= ?
       GROUP BY bucket ORDER BY bucket""";

  static final String COUNT_BY_HANDLER = """
      SELECT handler, count(*) FROM party_task WHERE state = ? GROUP BY handler ORDER BY handler""";

  static final String NEXT_PENDING = """
      SELECT id FROM party_task WHERE state = 'PENDING' AND handler = ? AND run_at <> '9999-12-31T00:00:00Z'
       ORDER BY priority DESC, run_at, attempts, created_at, id LIMIT 1""";

  /** Keyed by schema and name, so installations in two schemas of one database do not collide. */
  static final String LOCK_WORKER_NAME =
      "SELECT pg_try_advisory_lock(hashtext('party worker ' || current_schema()), hashtext(?))";

  /** The backend holding a worker name's lock (see LOCK_WORKER_NAME: two int4 keys, objsubid 2). */
  static final String WORKER_NAME_HOLDER = """
      SELECT pid FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND objsubid = 2
         AND classid = hashtext('party worker ' || current_schema())::oid AND objid = hashtext(?)::oid""";

  static final String NEXT_LEASE_EXPIRY = """
      SELECT (extract(epoch FROM min(lease_expires_at) - coalesce(?::timestamptz, now())) * 1000)::bigint
        FROM party_task WHERE lease_expires_at IS NOT NULL""";

  /** Serialises migrations of nodes that start at the same moment. */
  static final String MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(hashtext('party_task migrations'))";

  // ---- schedules ------------------------------------------------------------------------------

  static final String INSERT_SCHEDULE = """
      INSERT INTO party_schedule (name, handler, queue, data, priority, max_attempts, kind, spec, zone,
                                  misfire, overlap, singleton_key, singleton_policy, next_run_at, created_at, updated_at)
      VALUES (?, ?, ?, ?::json, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?::timestamptz, now()), coalesce(?::timestamptz, now()))
      ON CONFLICT (name) DO NOTHING""";

  /** The stored row, locked: a declaration compares and rewrites it while no node fires it. */
  static final String SELECT_SCHEDULE_FOR_UPDATE = "SELECT " + ScheduleRowMapper.COLUMNS
      + " FROM party_schedule WHERE name = ? FOR UPDATE";

  static final String REDEFINE_SCHEDULE = """
      UPDATE party_schedule SET handler = ?, queue = ?, data = ?::json, priority = ?, max_attempts = ?, kind = ?,
             spec = ?, zone = ?, misfire = ?, overlap = ?, singleton_key = ?, singleton_policy = ?, next_run_at = ?,
             updated_at = coalesce(?::timestamptz, now())
       WHERE name = ?""";

  static final String DELETE_SCHEDULE = "DELETE FROM party_schedule WHERE name = ?";

  /**
   * Held while a schedule of this handler is added or redefined, so two nodes adding the same task
   * under two names cannot both miss each other's row (one recurring task per handler and data).
   */
  static final String SCHEDULE_HANDLER_LOCK =
      "SELECT true FROM (SELECT pg_advisory_xact_lock(hashtext('party.schedule ' || current_schema()), hashtext(?))) l";

  /** The unfinished task holding a unique key: a recurring class-style task, for the one-per-handler-and-data check. */
  static final String SELECT_UNFINISHED_KEY_HOLDER =
      "SELECT id FROM party_task WHERE unique_key = ? AND state IN ('PENDING', 'RUNNING')";

  /** A handler's schedules, for the one-per-handler-and-data check. */
  static final String SELECT_HANDLER_SCHEDULES = "SELECT " + ScheduleRowMapper.COLUMNS
      + " FROM party_schedule WHERE handler = ?";

  static final String PAUSE_SCHEDULE =
      "UPDATE party_schedule SET paused = ?, next_run_at = ?, updated_at = ? WHERE name = ?";

  static final String SELECT_SCHEDULE = "SELECT " + ScheduleRowMapper.COLUMNS + " FROM party_schedule WHERE name = ?";

  static final String SELECT_SCHEDULES = "SELECT " + ScheduleRowMapper.COLUMNS + " FROM party_schedule ORDER BY name";

  static final String DATABASE_NOW = "SELECT coalesce(?::timestamptz, now())";

  /**
   * Due rows, locked. A row another node is firing is skipped; one it has just fired is re-read
   * under the lock with its new next_run_at, no longer due, and left out: each period fires once.
   */
  static final String SELECT_DUE_SCHEDULES = "SELECT " + ScheduleRowMapper.COLUMNS
      + " FROM party_schedule WHERE next_run_at <= ? ORDER BY next_run_at, name LIMIT ? FOR UPDATE SKIP LOCKED";

  static final String TASK_UNFINISHED = "SELECT 1 FROM party_task WHERE id = ? AND state IN ('PENDING', 'RUNNING')";

  static final String SCHEDULE_FIRED = """
      UPDATE party_schedule SET next_run_at = ?, last_run_on = ?, last_task_id = ?, updated_at = ?
       WHERE name = ?""";

  static final String SHELVE_SCHEDULE = "UPDATE party_schedule SET paused = true, next_run_at = ?, updated_at = ? WHERE name = ?";

  static final String NEXT_SCHEDULE_DUE = "SELECT min(next_run_at) FROM party_schedule";

  // ---- chains and groups ----------------------------------------------------------------------

  /** Marks a stored task as step n of a chain; every step after the first waits (run_at at the end of time). */
  static final String MARK_CHAIN_STEP = """
      UPDATE party_task SET chain_id = ?, chain_step = ?, run_at = CASE WHEN ? THEN '9999-12-31T00:00:00Z'::timestamptz ELSE run_at END
       WHERE id = ?""";

  static final String MARK_GROUP_MEMBER = "UPDATE party_task SET group_id = ?, group_index = ? WHERE id = ?";

  static final String MARK_CALLBACK = "UPDATE party_task SET callback_of = ?, run_at = '9999-12-31T00:00:00Z' WHERE id = ?";

  static final String INSERT_GROUP = "INSERT INTO party_group (id, remaining, created_at) VALUES (?, ?, coalesce(?::timestamptz, now()))";

  static final String SELECT_PREVIOUS_STEP = "SELECT " + COLUMNS
      + " FROM party_task WHERE (chain_id, chain_step) IN (SELECT chain_id, chain_step - 1 FROM party_task WHERE id = ?)";

  static final String SELECT_GROUP_MEMBERS = "SELECT " + COLUMNS
      + " FROM party_task WHERE group_id IN (SELECT callback_of FROM party_task WHERE id = ?) ORDER BY group_index";

  // ---- worker registry --------------------------------------------------------------------------

  /** A restart under the same name starts a new entry: its stop and start times are reset. */
  static final String REGISTER_WORKER = """
      INSERT INTO party_worker (name, host, pid, queues, slots, version, heartbeat_ms, started_at, last_heartbeat)
      VALUES (?, ?, ?, ?, ?, ?, ?, coalesce(?::timestamptz, now()), coalesce(?::timestamptz, now()))
      ON CONFLICT (name) DO UPDATE SET host = excluded.host, pid = excluded.pid, queues = excluded.queues,
             slots = excluded.slots, version = excluded.version, heartbeat_ms = excluded.heartbeat_ms,
             started_at = excluded.started_at, last_heartbeat = excluded.last_heartbeat, stopped_at = NULL,
             exit_code = NULL""";

  /** Drops workers whose last heartbeat is a day old. */
  static final String PRUNE_WORKERS =
      "DELETE FROM party_worker WHERE last_heartbeat < coalesce(?::timestamptz, now()) - interval '1 day'";

  static final String WORKER_HEARTBEAT = """
      UPDATE party_worker SET last_heartbeat = coalesce(?::timestamptz, now())
       WHERE name = ? AND stopped_at IS NULL""";

  static final String STOP_WORKER = """
      UPDATE party_worker SET stopped_at = coalesce(?::timestamptz, now()), last_heartbeat = coalesce(?::timestamptz, now())
       WHERE name = ? AND stopped_at IS NULL""";

  /** Parameters: now, now (null: the database's). */
  static final String SELECT_WORKERS = """
      SELECT name, host, pid, queues, slots, version, heartbeat_ms, started_at, last_heartbeat, stopped_at,
             CASE WHEN stopped_at IS NOT NULL THEN 'STOPPED'
                  WHEN last_heartbeat + 3 * heartbeat_ms * interval '1 millisecond' >= coalesce(?::timestamptz, now()) THEN 'LIVE'
                  ELSE 'DEAD' END AS state
        FROM party_worker WHERE last_heartbeat >= coalesce(?::timestamptz, now()) - interval '1 day' ORDER BY name""";

  /** The running tasks by lease owner, for the registry's lists. */
  static final String SELECT_RUNNING_OWNERS =
      "SELECT lease_owner, id FROM party_task WHERE state = 'RUNNING' AND lease_owner IS NOT NULL ORDER BY lease_owner, id";

  // ---- queues -----------------------------------------------------------------------------------

  /** Parameters: name, paused, paused, now. A second pause keeps the first pause time; a resume clears it. */
  static final String PAUSE_QUEUE = """
      INSERT INTO party_queue AS q (name, paused, paused_at)
      VALUES (?, ?, CASE WHEN ?::boolean THEN coalesce(?::timestamptz, now()) END)
      ON CONFLICT (name) DO UPDATE SET paused = excluded.paused,
             paused_at = CASE WHEN NOT excluded.paused THEN NULL
                              WHEN q.paused THEN q.paused_at
                              ELSE excluded.paused_at END""";

  /** Queues with unfinished tasks or a row, with their counts; parameters: one name, or null for all, twice. */
  static final String SELECT_QUEUES = """
      WITH counts AS (
        SELECT queue AS name, count(*) FILTER (WHERE state = 'PENDING') AS pending,
               count(*) FILTER (WHERE state = 'RUNNING') AS running
          FROM party_task WHERE state IN ('PENDING', 'RUNNING') GROUP BY queue)
      SELECT n.name, coalesce(p.paused, false) AS paused, p.paused_at,
             coalesce(c.pending, 0) AS pending, coalesce(c.running, 0) AS running
        FROM (SELECT name FROM counts UNION SELECT name FROM party_queue) AS n
        LEFT JOIN party_queue AS p ON p.name = n.name
        LEFT JOIN counts AS c ON c.name = n.name
       WHERE ?::text IS NULL OR n.name = ?
       ORDER BY n.name""";
  // ---- cleanup --------------------------------------------------------------------------------

  /**
   * Final tasks ended before the time, of the handler, or when it is null of any handler not in the
   * array; oldest first, at most the limit. Chain steps and group members still read by the step or
   * callback after them are left out.
   */
  static final String SELECT_PAST_RETENTION = "SELECT " + COLUMNS + "\n" + """
       FROM party_task t
       WHERE state IN ('FINISHED', 'FAILED', 'CANCELLED') AND finished_at < ?
         AND (?::text IS NULL OR handler = ?)
         AND (?::text IS NOT NULL OR NOT (handler = ANY (?::text[])))
         AND (chain_id IS NULL OR NOT EXISTS (SELECT 1 FROM party_task n
               WHERE n.chain_id = t.chain_id AND n.chain_step = t.chain_step + 1 AND n.state IN ('PENDING', 'RUNNING')))
         AND (group_id IS NULL OR NOT EXISTS (SELECT 1 FROM party_task c
               WHERE c.callback_of = t.group_id AND c.state IN ('PENDING', 'RUNNING')))
       ORDER BY finished_at, id LIMIT ?""";

  /** The tasks still final among the ids, locked so no requeue slips in between. */
  static final String LOCK_FINAL = """
      SELECT id FROM party_task WHERE id = ANY (?::text[]) AND state IN ('FINISHED', 'FAILED', 'CANCELLED')
       FOR UPDATE""";

  static final String DELETE_LOGS = "DELETE FROM party_task_log WHERE task_id = ANY (?::text[])";

  static final String DELETE_TASKS = "DELETE FROM party_task WHERE id = ANY (?::text[])";

  /**
   * A task's state, locked, and whether a chain's next step or a group's callback that reads it is
   * still PENDING or RUNNING: what a purge checks.
   */
  static final String LOCK_PURGE_CHECK = """
      SELECT state,
             (chain_id IS NOT NULL AND EXISTS (SELECT 1 FROM party_task n WHERE n.chain_id = t.chain_id
                AND n.chain_step = t.chain_step + 1 AND n.state IN ('PENDING', 'RUNNING')))
          OR (group_id IS NOT NULL AND EXISTS (SELECT 1 FROM party_task c WHERE c.callback_of = t.group_id
                AND c.state IN ('PENDING', 'RUNNING'))) AS needed
        FROM party_task t WHERE id = ? FOR UPDATE OF t""";

  static final String DELETE_LOG = "DELETE FROM party_task_log WHERE task_id = ?";

  static final String DELETE_TASK = "DELETE FROM party_task WHERE id = ?";

  static final String INSERT_ARCHIVE = """
      INSERT INTO party_task_archive (id, handler, state, finished_at, archived_at, task)
      VALUES (?, ?, ?, ?, coalesce(?::timestamptz, now()), ?::jsonb)
      ON CONFLICT (id) DO NOTHING""";

  static final String RECORD_CLEANUP = """
      INSERT INTO party_cleanup AS c (id, last_run_at, last_completed, last_failed, total_completed, total_failed)
      VALUES (1, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET last_run_at = excluded.last_run_at, last_completed = excluded.last_completed,
        last_failed = excluded.last_failed, total_completed = c.total_completed + excluded.last_completed,
        total_failed = c.total_failed + excluded.last_failed""";

  static final String SELECT_CLEANUP = """
      SELECT last_run_at, last_completed, last_failed, total_completed, total_failed FROM party_cleanup WHERE id = 1""";

  /** One more restart for a supervisor ({@code party worker --processes N}); one statement, atomic. */
  static final String RECORD_RESTART = """
      INSERT INTO party_supervisor (name, restarts, last_restart_at) VALUES (?, 1, now())
      ON CONFLICT (name) DO UPDATE SET restarts = party_supervisor.restarts + 1, last_restart_at = now()""";

  /** The exit code of a dead worker process, for the restarted one to read. Parameters: exit code, name. */
  static final String RECORD_EXIT = "UPDATE party_worker SET exit_code = ? WHERE name = ?";

  static final String SELECT_RESTARTED_WORKERS = "SELECT coalesce(sum(restarts), 0) FROM party_supervisor";

  // ---- idempotency keys (V014) ------------------------------------------------------------------

  /** Claims the key for this insert; no row changed means it was claimed before (see IdempotencyKeys). */
  static final String CLAIM_IDEMPOTENCY_KEY = """
      INSERT INTO party_idempotency (key, fingerprint, answer, created_at) VALUES (?, ?, '', coalesce(?, now()))
      ON CONFLICT (key) DO NOTHING""";

  static final String SELECT_IDEMPOTENCY_KEY = "SELECT fingerprint, answer FROM party_idempotency WHERE key = ?";

  static final String ANSWER_IDEMPOTENCY_KEY = "UPDATE party_idempotency SET answer = ? WHERE key = ?";

  static final String DELETE_IDEMPOTENCY_KEYS = "DELETE FROM party_idempotency WHERE created_at < ?";
}
