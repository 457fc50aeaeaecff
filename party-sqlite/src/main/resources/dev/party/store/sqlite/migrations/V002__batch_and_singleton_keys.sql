-- Batch and singleton tasks (lamegame batchTask and SingletonTask). Existing rows keep NULL in
-- every new column: they batch nothing and are no singletons.

-- Batch key: set while the task waits for its first run; the claim clears it, so a task that
-- started (and may go back to PENDING for a retry) covers no new request.
ALTER TABLE party_task ADD COLUMN batch_key TEXT;

-- Singleton key and policy (SKIP | WAIT), both written at insert from the handler's type.
ALTER TABLE party_task ADD COLUMN singleton_key TEXT;
ALTER TABLE party_task ADD COLUMN singleton_policy TEXT;

-- At most one waiting task per handler and batch key: an enqueue finds the one that covers it here.
CREATE UNIQUE INDEX party_task_batch ON party_task (handler, batch_key)
  WHERE batch_key IS NOT NULL AND state = 'PENDING';

-- The hard guarantee: at most one RUNNING task per singleton key. Claims also look up the holder here.
CREATE UNIQUE INDEX party_task_singleton ON party_task (singleton_key)
  WHERE singleton_key IS NOT NULL AND state = 'RUNNING';

-- Waiting singleton tasks by key: a claim checks that none earlier in pick-up order shares the key,
-- and finds the SKIP tasks to finish.
CREATE INDEX party_task_singleton_pending ON party_task (singleton_key)
  WHERE singleton_key IS NOT NULL AND state = 'PENDING';
