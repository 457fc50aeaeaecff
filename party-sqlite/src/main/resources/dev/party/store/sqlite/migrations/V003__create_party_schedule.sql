-- One row per recurring schedule; each period's task goes to party_task like any other.
CREATE TABLE party_schedule (
  name         TEXT    NOT NULL PRIMARY KEY,
  handler      TEXT    NOT NULL,
  queue        TEXT    NOT NULL,
  data         TEXT    NOT NULL,
  priority     INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  kind         TEXT    NOT NULL,           -- every | cron
  spec         TEXT    NOT NULL,           -- ISO-8601 interval, or the cron expression
  zone         TEXT    NOT NULL,           -- the cron expression's time zone
  misfire      TEXT    NOT NULL,           -- FIRE_ONCE | CATCH_UP
  overlap      TEXT    NOT NULL,           -- SKIP | ALLOW
  singleton_key    TEXT,                   -- each period's task's, for a singleton handler
  singleton_policy TEXT,                   -- SKIP | WAIT, with singleton_key
  paused       INTEGER NOT NULL DEFAULT 0,
  next_run_at  INTEGER NOT NULL,           -- epoch ms of the next period to fire
  last_run_on  INTEGER,                    -- the period of the latest task stored
  last_task_id TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);

CREATE INDEX party_schedule_due ON party_schedule (next_run_at);
