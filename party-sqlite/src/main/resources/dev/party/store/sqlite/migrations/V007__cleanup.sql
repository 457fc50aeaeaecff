-- The cleanup (TaskCleanup): where final tasks go when no dump file is set, and what the last run did.

-- One row per archived task; `task` is the JSON object a dump file line would hold (task and log).
CREATE TABLE party_task_archive (
  id          TEXT    NOT NULL PRIMARY KEY,
  handler     TEXT    NOT NULL,
  state       TEXT    NOT NULL,                -- FINISHED | FAILED | CANCELLED
  finished_at INTEGER,
  archived_at INTEGER NOT NULL,
  task        TEXT    NOT NULL
) WITHOUT ROWID;

-- A single row (id = 1), written by each cleanup run; every node reads it for the status map.
CREATE TABLE party_cleanup (
  id              INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  last_run_at     INTEGER NOT NULL,
  last_completed  INTEGER NOT NULL,
  last_failed     INTEGER NOT NULL,
  total_completed INTEGER NOT NULL,
  total_failed    INTEGER NOT NULL
);

-- The cleanup's batches: final tasks by end time.
CREATE INDEX party_task_finished ON party_task (finished_at) WHERE state IN ('FINISHED', 'FAILED', 'CANCELLED');
