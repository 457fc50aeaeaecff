-- Worker processes restarted by a supervisor (party worker --processes N), counted per supervisor
-- name so every node's status map can show restarted_workers. One row per supervisor; the count
-- only grows, by an atomic upsert.
CREATE TABLE party_supervisor (
  name            text        PRIMARY KEY,  -- the supervisor's name: hostname-supervisor or --name
  restarts        bigint      NOT NULL,
  last_restart_at timestamptz NOT NULL
);
