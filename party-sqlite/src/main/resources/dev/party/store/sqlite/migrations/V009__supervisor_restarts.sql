-- Worker processes restarted by a supervisor (party worker --processes N), counted per supervisor
-- name so every node's status map can show restarted_workers. One row per supervisor; the count
-- only grows. last_restart_at is epoch milliseconds.
CREATE TABLE party_supervisor (
  name            TEXT    PRIMARY KEY,      -- the supervisor's name: hostname-supervisor or --name
  restarts        INTEGER NOT NULL,
  last_restart_at INTEGER NOT NULL
);
