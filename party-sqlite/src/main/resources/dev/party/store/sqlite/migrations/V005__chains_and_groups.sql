-- Chains (run A, then B, then C) and groups with a callback (fan-out, fan-in). A step or callback
-- that waits for what comes before it is PENDING with run_at at the end of time
-- (253402214400000 = 9999-12-31T00:00:00Z), so no claim reaches it; the triggers below release it
-- (run_at = the moment it was freed) or cancel it, in the transaction that ends its prerequisite,
-- whichever statement ends it: a finish, a failure, a lost lease out of attempts, a cancel.
-- chain_id and chain_step (1, 2, ...) place a step in its chain; group_id and group_index (0, 1,
-- ...) place a member in its group; callback_of names the group whose callback a task is.
ALTER TABLE party_task ADD COLUMN chain_id TEXT;
ALTER TABLE party_task ADD COLUMN chain_step INTEGER;
ALTER TABLE party_task ADD COLUMN group_id TEXT;
ALTER TABLE party_task ADD COLUMN callback_of TEXT;
ALTER TABLE party_task ADD COLUMN group_index INTEGER;

CREATE INDEX party_task_chain ON party_task (chain_id, chain_step) WHERE chain_id IS NOT NULL;
CREATE INDEX party_task_group ON party_task (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX party_task_callback ON party_task (callback_of) WHERE callback_of IS NOT NULL;

-- Members not yet final, counted down as they end. The callback is released when no member is
-- PENDING or RUNNING any more (a member retried after it failed counts again until it ends).
CREATE TABLE party_group (
  id         TEXT    NOT NULL PRIMARY KEY,
  remaining  INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TRIGGER party_chain_next AFTER UPDATE OF state ON party_task
WHEN NEW.chain_id IS NOT NULL AND NEW.state = 'FINISHED' AND OLD.state <> 'FINISHED'
BEGIN
  UPDATE party_task SET run_at = coalesce(NEW.finished_at, CAST(unixepoch('subsec') * 1000 AS INTEGER))
   WHERE chain_id = NEW.chain_id AND chain_step = NEW.chain_step + 1
     AND state = 'PENDING' AND run_at = 253402214400000;
END;

CREATE TRIGGER party_chain_broken AFTER UPDATE OF state ON party_task
WHEN NEW.chain_id IS NOT NULL AND NEW.state IN ('FAILED', 'CANCELLED') AND OLD.state IN ('PENDING', 'RUNNING')
BEGIN
  INSERT INTO party_task_log (task_id, at, from_state, to_state, worker, message)
  SELECT id, coalesce(NEW.finished_at, CAST(unixepoch('subsec') * 1000 AS INTEGER)), 'PENDING', 'CANCELLED', NULL,
         'chain step ' || NEW.chain_step || ' (' || NEW.id || ') ended ' || NEW.state
    FROM party_task
   WHERE chain_id = NEW.chain_id AND chain_step > NEW.chain_step AND state = 'PENDING';
  UPDATE party_task
     SET state = 'CANCELLED', finished_at = coalesce(NEW.finished_at, CAST(unixepoch('subsec') * 1000 AS INTEGER)),
         error = 'chain step ' || NEW.chain_step || ' (' || NEW.id || ') ended ' || NEW.state
                 || coalesce(': ' || NEW.error, '')
   WHERE chain_id = NEW.chain_id AND chain_step > NEW.chain_step AND state = 'PENDING';
END;

CREATE TRIGGER party_group_member_ended AFTER UPDATE OF state ON party_task
WHEN NEW.group_id IS NOT NULL AND NEW.state IN ('FINISHED', 'FAILED', 'CANCELLED') AND OLD.state IN ('PENDING', 'RUNNING')
BEGIN
  UPDATE party_group SET remaining = remaining - 1 WHERE id = NEW.group_id AND remaining > 0;
  UPDATE party_task SET run_at = coalesce(NEW.finished_at, CAST(unixepoch('subsec') * 1000 AS INTEGER))
   WHERE callback_of = NEW.group_id AND state = 'PENDING' AND run_at = 253402214400000
     AND NOT EXISTS (SELECT 1 FROM party_task WHERE group_id = NEW.group_id AND state IN ('PENDING', 'RUNNING'));
END;
