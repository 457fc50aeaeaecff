-- One row per recurring schedule; each period's task goes to party_task like any other.
CREATE TABLE party_schedule (
  next_run_at  timestamptz NOT NULL,               -- the next period to fire
  last_run_on  timestamptz,                        -- the period of the latest task stored
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  priority     integer     NOT NULL,
  max_attempts smallint    NOT NULL,
  paused       boolean     NOT NULL DEFAULT false,
  name         text        NOT NULL PRIMARY KEY,
  handler      text        NOT NULL,
  queue        text        NOT NULL,
  data         json        NOT NULL,
  kind         text        NOT NULL,               -- every | cron
  spec         text        NOT NULL,               -- ISO-8601 interval, or the cron expression
  zone         text        NOT NULL,               -- the cron expression's time zone
  misfire      text        NOT NULL,               -- FIRE_ONCE | CATCH_UP
  overlap      text        NOT NULL,               -- SKIP | ALLOW
  singleton_key    text,                           -- each period's task's, for a singleton handler
  singleton_policy text,                           -- SKIP | WAIT, with singleton_key
  last_task_id text
);

CREATE INDEX party_schedule_due ON party_schedule (next_run_at);
