-- The worker registry: one row per worker name. A worker registers at start (a restart replaces
-- its row), heartbeats from its lease keeper thread, and sets stopped_at when it stops cleanly.
-- Live: heartbeat within 3 of its own intervals; dead: older, never stopped. Rows whose last
-- heartbeat is a day old are dropped when any worker registers.
CREATE TABLE party_worker (
  name           text        NOT NULL PRIMARY KEY,  -- the lease owner of the tasks it runs
  host           text        NOT NULL,
  pid            bigint      NOT NULL,
  queues         text[]      NOT NULL,              -- empty for all queues
  slots          integer     NOT NULL,              -- tasks it runs at once
  version        text,                              -- Party's version, when known
  heartbeat_ms   bigint      NOT NULL,              -- its heartbeat interval, for its own liveness
  started_at     timestamptz NOT NULL,
  last_heartbeat timestamptz NOT NULL,
  stopped_at     timestamptz                        -- set by a clean stop only
);

-- Queues paused cluster-wide: every claim skips the tasks of a queue whose row says paused (tasks
-- already running finish). A queue gets a row when it is first paused; resuming keeps the row.
CREATE TABLE party_queue (
  name      text        NOT NULL PRIMARY KEY,
  paused    boolean     NOT NULL DEFAULT false,
  paused_at timestamptz                            -- while paused
);
