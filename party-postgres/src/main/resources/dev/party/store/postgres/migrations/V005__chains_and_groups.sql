-- Chains (run A, then B, then C) and groups with a callback (fan-out, fan-in). A step or callback
-- that waits for what comes before it is PENDING with run_at at the end of time
-- (9999-12-31T00:00:00Z), so no claim reaches it; the triggers below release it (run_at = the
-- moment it was freed) or cancel it, in the transaction that ends its prerequisite, whichever
-- statement ends it: a finish, a failure, a lost lease out of attempts, a cancel.
-- chain_id and chain_step (1, 2, ...) place a step in its chain; group_id and group_index (0, 1,
-- ...) place a member in its group; callback_of names the group whose callback a task is.
ALTER TABLE party_task ADD COLUMN chain_id text;
ALTER TABLE party_task ADD COLUMN chain_step integer;
ALTER TABLE party_task ADD COLUMN group_id text;
ALTER TABLE party_task ADD COLUMN callback_of text;
ALTER TABLE party_task ADD COLUMN group_index integer;

CREATE INDEX party_task_chain ON party_task (chain_id, chain_step) WHERE chain_id IS NOT NULL;
CREATE INDEX party_task_group ON party_task (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX party_task_callback ON party_task (callback_of) WHERE callback_of IS NOT NULL;

-- Members not yet final, counted down as they end. Its row lock orders members ending at once on
-- different nodes: each looks for unfinished members only after the one before it committed, so
-- the last to end sees none and releases the callback (a member retried after it failed counts
-- again until it ends).
CREATE TABLE party_group (
  created_at timestamptz NOT NULL,
  remaining  integer     NOT NULL,
  id         text        NOT NULL PRIMARY KEY
);

CREATE FUNCTION party_chain_next() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE party_task SET run_at = coalesce(NEW.finished_at, now())
   WHERE chain_id = NEW.chain_id AND chain_step = NEW.chain_step + 1
     AND state = 'PENDING' AND run_at = '9999-12-31T00:00:00Z';
  IF FOUND THEN
    PERFORM pg_notify('party_task', ''); -- idle workers on every node hear of the next step
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER party_chain_next AFTER UPDATE OF state ON party_task FOR EACH ROW
  WHEN (NEW.chain_id IS NOT NULL AND NEW.state = 'FINISHED' AND OLD.state <> 'FINISHED')
  EXECUTE FUNCTION party_chain_next();

CREATE FUNCTION party_chain_broken() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  reason text := 'chain step ' || NEW.chain_step || ' (' || NEW.id || ') ended ' || NEW.state;
BEGIN
  WITH cancelled AS (
    UPDATE party_task
       SET state = 'CANCELLED', finished_at = coalesce(NEW.finished_at, now()),
           error = reason || coalesce(': ' || NEW.error, '')
     WHERE chain_id = NEW.chain_id AND chain_step > NEW.chain_step AND state = 'PENDING'
    RETURNING id, finished_at)
  INSERT INTO party_task_log (at, task_id, from_state, to_state, worker, message)
  SELECT finished_at, id, 'PENDING', 'CANCELLED', NULL, reason FROM cancelled;
  RETURN NULL;
END $$;

CREATE TRIGGER party_chain_broken AFTER UPDATE OF state ON party_task FOR EACH ROW
  -- Not for the steps it cancels itself: the first firing cancels every later step at once, and
  -- firing again for each of those would make a broken chain of n steps cost n^2.
  WHEN (NEW.chain_id IS NOT NULL AND NEW.state IN ('FAILED', 'CANCELLED') AND OLD.state IN ('PENDING', 'RUNNING')
        AND NOT (OLD.state = 'PENDING' AND NEW.state = 'CANCELLED' AND coalesce(NEW.error, '') LIKE 'chain step %'))
  EXECUTE FUNCTION party_chain_broken();

CREATE FUNCTION party_group_member_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE party_group SET remaining = greatest(remaining - 1, 0) WHERE id = NEW.group_id;
  IF NOT EXISTS (SELECT 1 FROM party_task WHERE group_id = NEW.group_id AND state IN ('PENDING', 'RUNNING')) THEN
    UPDATE party_task SET run_at = coalesce(NEW.finished_at, now())
     WHERE callback_of = NEW.group_id AND state = 'PENDING' AND run_at = '9999-12-31T00:00:00Z';
    IF FOUND THEN
      PERFORM pg_notify('party_task', '');
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER party_group_member_ended AFTER UPDATE OF state ON party_task FOR EACH ROW
  WHEN (NEW.group_id IS NOT NULL AND NEW.state IN ('FINISHED', 'FAILED', 'CANCELLED') AND OLD.state IN ('PENDING', 'RUNNING'))
  EXECUTE FUNCTION party_group_member_ended();
