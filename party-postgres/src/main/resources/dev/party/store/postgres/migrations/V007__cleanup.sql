-- The cleanup (TaskCleanup): where final tasks go when no dump file is set, and what the last run did.

-- One row per archived task; `task` is the JSON object a dump file line would hold (task and log).
CREATE TABLE party_task_archive (
  id          text        NOT NULL PRIMARY KEY,
  handler     text        NOT NULL,
  state       text        NOT NULL,            -- FINISHED | FAILED | CANCELLED
  finished_at timestamptz,
  archived_at timestamptz NOT NULL,
  task        jsonb       NOT NULL
);

-- A single row (id = 1), written by each cleanup run; every node reads it for the status map.
CREATE TABLE party_cleanup (
  id              integer     NOT NULL PRIMARY KEY CHECK (id = 1),
  last_run_at     timestamptz NOT NULL,
  last_completed  bigint      NOT NULL,
  last_failed     bigint      NOT NULL,
  total_completed bigint      NOT NULL,
  total_failed    bigint      NOT NULL
);

-- The cleanup's batches: final tasks by end time.
CREATE INDEX party_task_finished ON party_task (finished_at) WHERE state IN ('FINISHED', 'FAILED', 'CANCELLED');
