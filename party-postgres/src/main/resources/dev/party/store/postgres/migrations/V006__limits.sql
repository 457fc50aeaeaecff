-- Concurrency and rate limits (TaskType.concurrency, TaskType.rateLimit). The limits themselves
-- come with each claim from the node's task types; a task carries only its limit key. A nullable
-- column without a default rewrites no row; existing tasks keep NULL: tasks without a key share
-- their handler's limits ('' below).
ALTER TABLE party_task ADD COLUMN limit_key text;

-- A claim counts a key's RUNNING tasks here, under the key's advisory lock. The predicate names
-- lease_expires_at (set exactly while RUNNING) rather than state, so the completion statements,
-- which name state, keep using the primary key (see party_task_final).
CREATE INDEX party_task_limit_running ON party_task (handler, coalesce(limit_key, ''))
  WHERE lease_expires_at IS NOT NULL;

-- A claim finds each limit key's best due task here (DISTINCT ON in index order), then claims a
-- key's tasks in pick-up order.
CREATE INDEX party_task_limit_pending
  ON party_task (handler, coalesce(limit_key, ''), priority DESC, run_at, attempts, created_at, id)
  WHERE state = 'PENDING';

-- One counter per rate-limited key: the fixed window it counts (epoch milliseconds at its start)
-- and the starts claimed in it. Written only under the key's advisory lock; a claim in a later
-- window starts the count again.
CREATE TABLE party_rate (
  window_start bigint  NOT NULL,
  starts       integer NOT NULL,
  handler      text    NOT NULL,
  limit_key    text    NOT NULL,             -- '' for tasks without a key
  PRIMARY KEY (handler, limit_key)
);
