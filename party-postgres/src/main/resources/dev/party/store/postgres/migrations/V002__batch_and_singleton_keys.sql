-- Batch and singleton tasks (lamegame batchTask and SingletonTask). Adding nullable columns without
-- a default rewrites no row; existing tasks keep NULL in each: they batch nothing and are no singletons.

-- Batch key: set while the task waits for its first run; the claim clears it, so a task that
-- started (and may go back to PENDING for a retry) covers no new request.
ALTER TABLE party_task ADD COLUMN batch_key text;

-- Singleton key and policy (SKIP | WAIT), both written at insert from the handler's type.
ALTER TABLE party_task ADD COLUMN singleton_key text;
ALTER TABLE party_task ADD COLUMN singleton_policy text;

-- At most one waiting task per handler and batch key, across nodes: an enqueue inserts with
-- ON CONFLICT on this index DO NOTHING, then reads the waiting task that covers it.
CREATE UNIQUE INDEX party_task_batch ON party_task (handler, batch_key)
  WHERE batch_key IS NOT NULL AND state = 'PENDING';

-- The hard guarantee: at most one RUNNING task per singleton key. Claims filter held keys (with an
-- advisory lock per key against other nodes); a claim that still trips this is retried.
CREATE UNIQUE INDEX party_task_singleton ON party_task (singleton_key)
  WHERE singleton_key IS NOT NULL AND state = 'RUNNING';

-- Waiting singleton tasks by key, in pick-up order: a claim checks that none earlier shares the
-- key, and finds the SKIP tasks to finish. Only singleton rows are in it.
CREATE INDEX party_task_singleton_pending
  ON party_task (singleton_key, priority DESC, run_at, attempts, created_at, id)
  WHERE singleton_key IS NOT NULL AND state = 'PENDING';
