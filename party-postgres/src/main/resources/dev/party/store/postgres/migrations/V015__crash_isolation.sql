-- Crash isolation. A task taken back from a worker that died (or hung) under it is a suspect:
-- crashes counts those take-backs since it last finished. A suspect runs alone on its node, so
-- the next crash is blamed on it and on nothing else; one that finishes is cleared (0); one that
-- reaches the configured limit (workers.max-crashes) is quarantined: FAILED, never retried.
-- A constant default: no table rewrite.
ALTER TABLE party_task ADD COLUMN crashes integer NOT NULL DEFAULT 0;

-- The few suspects, in pick-up order: an idle node looks here first, without walking the backlog.
CREATE INDEX party_task_suspect ON party_task (priority DESC, run_at, attempts, created_at, id)
  WHERE state = 'PENDING' AND crashes > 0;

-- The exit code of a worker process that died, written by its supervisor before it starts the
-- process again; the restarted process reads it as it takes back its runs, for their errors. A
-- new registration clears it.
ALTER TABLE party_worker ADD COLUMN exit_code integer;
