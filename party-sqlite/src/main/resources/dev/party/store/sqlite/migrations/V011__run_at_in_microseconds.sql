-- A task's run time (run_at, the seeds' timestamp) becomes epoch microseconds, as PostgreSQL's
-- timestamptz keeps it: a time given as "2014-03-11 05:12:22.086400" is stored and shown as given.
-- Integers, not text: claims compare and sort run_at through party_task_pickup, and integer
-- comparison is exact and cheap; microseconds up to year 9999 fit in 64 bits many times over.
-- Every other time column stays in epoch milliseconds. The end of time that marks a waiting chain
-- step or callback is now 253402214400000000 (9999-12-31T00:00:00Z), and the triggers that release
-- one write the finishing task's finished_at (milliseconds) in microseconds.
UPDATE party_task SET run_at = run_at * 1000;

DROP TRIGGER party_chain_next;

CREATE TRIGGER party_chain_next AFTER UPDATE OF state ON party_task
WHEN NEW.chain_id IS NOT NULL AND NEW.state = 'FINISHED' AND OLD.state <> 'FINISHED'
BEGIN
  UPDATE party_task SET run_at = coalesce(NEW.finished_at, CAST(unixepoch('subsec') * 1000 AS INTEGER)) * 1000
   WHERE chain_id = NEW.chain_id AND chain_step = NEW.chain_step + 1
     AND state = 'PENDING' AND run_at = 253402214400000000;
END;

DROP TRIGGER party_group_member_ended;

CREATE TRIGGER party_group_member_ended AFTER UPDATE OF state ON party_task
WHEN NEW.group_id IS NOT NULL AND NEW.state IN ('FINISHED', 'FAILED', 'CANCELLED') AND OLD.state IN ('PENDING', 'RUNNING')
BEGIN
  UPDATE party_group SET remaining = remaining - 1 WHERE id = NEW.group_id AND remaining > 0;
  UPDATE party_task SET run_at = coalesce(NEW.finished_at, CAST(unixepoch('subsec') * 1000 AS INTEGER)) * 1000
   WHERE callback_of = NEW.group_id AND state = 'PENDING' AND run_at = 253402214400000000
     AND NOT EXISTS (SELECT 1 FROM party_task WHERE group_id = NEW.group_id AND state IN ('PENDING', 'RUNNING'));
END;
