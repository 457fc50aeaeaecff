-- One row per task. Fixed-width columns first, so the row carries no alignment padding.
CREATE TABLE party_task (
  run_at           timestamptz NOT NULL,              -- the seeds' timestamp: not before this
  created_at       timestamptz NOT NULL,
  last_run_on      timestamptz,                       -- previous run of a recurring task
  lease_expires_at timestamptz,
  finished_at      timestamptz,
  lease_token      integer     NOT NULL DEFAULT 0,    -- +1 per claim; fences every write about a run
  priority         integer     NOT NULL,
  attempts         smallint    NOT NULL DEFAULT 0,    -- runs started, this one included
  max_attempts     smallint    NOT NULL,
  progress         smallint    NOT NULL DEFAULT 0,
  id               text        NOT NULL PRIMARY KEY,  -- 24 hex digits, time-ordered
  handler          text        NOT NULL,              -- registered handler name ("party" on the wire)
  queue            text        NOT NULL,
  state            text        NOT NULL,              -- PENDING | RUNNING | FINISHED | FAILED | CANCELLED
  data             json        NOT NULL,              -- json, not jsonb: the bytes exactly as accepted
  unique_key       text,
  lease_owner      text,                              -- worker name while RUNNING
  result           json,
  error            text
);

-- Claims walk this in pick-up order, skipping locked rows, and stop after LIMIT; only PENDING rows are in it.
CREATE INDEX party_task_pickup ON party_task (priority DESC, run_at, attempts, created_at, id)
  WHERE state = 'PENDING';

-- At most one unfinished task per unique key.
CREATE UNIQUE INDEX party_task_unique ON party_task (unique_key)
  WHERE unique_key IS NOT NULL AND state IN ('PENDING', 'RUNNING');

-- Listings and counts of final tasks, newest first. Only final rows are in it, on purpose: an
-- index holding PENDING or RUNNING rows tempts the planner, whenever statistics are stale (right
-- after a burst), to look runs up through it instead of the primary key, walking every dead entry
-- the churn of those states leaves (0.7 ms a row, measured). Pending rows are reached through
-- party_task_pickup, running ones through party_task_lease.
CREATE INDEX party_task_final ON party_task (state, handler, id)
  WHERE state IN ('FINISHED', 'FAILED', 'CANCELLED');

-- The lease sweep: only running tasks hold a lease. Its predicate names a column the completion
-- statements do not, so they keep using the primary key.
CREATE INDEX party_task_lease ON party_task (lease_expires_at) WHERE lease_expires_at IS NOT NULL;

-- Every state transition, and every line a handler writes through its context.
CREATE TABLE party_task_log (
  seq        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at         timestamptz NOT NULL,
  task_id    text        NOT NULL,
  from_state text        NOT NULL,                    -- creation has no row: it is created_at
  to_state   text        NOT NULL,
  worker     text,
  message    text
);
CREATE INDEX party_task_log_task ON party_task_log (task_id, seq);
