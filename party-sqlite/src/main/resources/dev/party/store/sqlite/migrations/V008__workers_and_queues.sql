-- The worker registry: one row per worker name. A worker registers at start (a restart replaces
-- its row), heartbeats from its lease keeper thread, and sets stopped_at when it stops cleanly.
-- Live: heartbeat within 3 of its own intervals; dead: older, never stopped. Rows whose last
-- heartbeat is a day old are dropped when any worker registers. Times are epoch milliseconds.
CREATE TABLE party_worker (
  name           TEXT    NOT NULL PRIMARY KEY,   -- the lease owner of the tasks it runs
  host           TEXT    NOT NULL,
  pid            INTEGER NOT NULL,
  queues         TEXT    NOT NULL,               -- comma-separated; '' for all queues
  slots          INTEGER NOT NULL,               -- tasks it runs at once
  version        TEXT,                           -- Party's version, when known
  heartbeat_ms   INTEGER NOT NULL,               -- its heartbeat interval, for its own liveness
  started_at     INTEGER NOT NULL,
  last_heartbeat INTEGER NOT NULL,
  stopped_at     INTEGER                         -- set by a clean stop only
);

-- Queues paused cluster-wide: every claim skips the tasks of a queue whose row says paused (tasks
-- already running finish). A queue gets a row when it is first paused; resuming keeps the row.
CREATE TABLE party_queue (
  name      TEXT    NOT NULL PRIMARY KEY,
  paused    INTEGER NOT NULL DEFAULT 0,          -- 1 while paused
  paused_at INTEGER                              -- epoch milliseconds, while paused
);
