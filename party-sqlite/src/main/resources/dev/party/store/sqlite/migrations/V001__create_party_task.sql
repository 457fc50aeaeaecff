-- One row per task. Times are epoch milliseconds (UTC).
CREATE TABLE party_task (
  id               TEXT    NOT NULL PRIMARY KEY,  -- 24 hex digits, time-ordered
  handler          TEXT    NOT NULL,              -- registered handler name ("party" on the wire)
  queue            TEXT    NOT NULL,
  data             TEXT    NOT NULL,              -- JSON object, kept exactly as accepted
  state            TEXT    NOT NULL,              -- PENDING | RUNNING | FINISHED | FAILED | CANCELLED
  priority         INTEGER NOT NULL,
  run_at           INTEGER NOT NULL,              -- the seeds' timestamp: not before this
  created_at       INTEGER NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,    -- runs started, this one included
  max_attempts     INTEGER NOT NULL,
  last_run_on      INTEGER,                       -- previous run of a recurring task
  unique_key       TEXT,
  lease_owner      TEXT,                          -- worker id while RUNNING
  lease_expires_at INTEGER,
  lease_token      INTEGER NOT NULL DEFAULT 0,    -- +1 per claim; fences every write about a run
  progress         INTEGER NOT NULL DEFAULT 0,
  result           TEXT,
  error            TEXT,
  finished_at      INTEGER
) WITHOUT ROWID;

-- Claims walk this in pick-up order and stop after LIMIT rows; only PENDING rows are in it.
CREATE INDEX party_task_pickup ON party_task (priority DESC, run_at, attempts, created_at, id)
  WHERE state = 'PENDING';

-- At most one unfinished task per unique key.
CREATE UNIQUE INDEX party_task_unique ON party_task (unique_key)
  WHERE unique_key IS NOT NULL AND state IN ('PENDING', 'RUNNING');

-- Listings by state (and handler), newest first; status counts; the lease sweep, which reads the
-- few RUNNING rows through it. One index, because every state change rewrites its entries.
CREATE INDEX party_task_state ON party_task (state, handler, id);

-- Every state transition, and every line a handler writes through its context.
CREATE TABLE party_task_log (
  seq        INTEGER PRIMARY KEY,
  task_id    TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  from_state TEXT NOT NULL,                       -- creation has no row: it is created_at
  to_state   TEXT    NOT NULL,
  worker     TEXT,
  message    TEXT
);
CREATE INDEX party_task_log_task ON party_task_log (task_id, seq);
