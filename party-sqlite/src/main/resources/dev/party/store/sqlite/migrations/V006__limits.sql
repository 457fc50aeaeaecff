-- Concurrency and rate limits (TaskType.concurrency, TaskType.rateLimit). The limits themselves
-- come with each claim from the node's task types; a task carries only its limit key. Existing
-- rows keep NULL: tasks without a key share their handler's limits ('' below).
ALTER TABLE party_task ADD COLUMN limit_key TEXT;

-- A claim counts a key's RUNNING tasks here.
CREATE INDEX party_task_limit_running ON party_task (handler, coalesce(limit_key, ''))
  WHERE state = 'RUNNING';

-- A claim finds the due tasks of a limited handler by key here.
CREATE INDEX party_task_limit_pending ON party_task (handler, coalesce(limit_key, ''))
  WHERE state = 'PENDING';

-- One counter per rate-limited key: the fixed window it counts (epoch milliseconds at its start)
-- and the starts claimed in it. A claim in a later window starts the count again.
CREATE TABLE party_rate (
  handler      TEXT    NOT NULL,
  limit_key    TEXT    NOT NULL,            -- '' for tasks without a key
  window_start INTEGER NOT NULL,
  starts       INTEGER NOT NULL,
  PRIMARY KEY (handler, limit_key)
);
