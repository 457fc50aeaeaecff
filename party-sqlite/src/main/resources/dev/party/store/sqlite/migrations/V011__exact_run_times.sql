-- A task's exact run time (the seeds' timestamp, "2014-03-11 05:12:22.086400") to the microsecond,
-- as PostgreSQL's timestamptz keeps it. run_at stays what every earlier version reads and writes,
-- epoch milliseconds (the time floored to the millisecond; the end of time 253402214400000 and the
-- V005 triggers unchanged), so nodes of the previous version keep working on a migrated file.
-- run_at_us is the same time in epoch microseconds, or NULL for run_at's whole millisecond: rows
-- written before V011 or by an older node, and waiting chain steps and callbacks.
ALTER TABLE party_task ADD COLUMN run_at_us INTEGER;

-- An older node sets run_at alone (a retry, a requeue, the V005 triggers releasing a waiting task);
-- the run_at_us of the time it replaced would then be stale. A run_at_us outside run_at's
-- millisecond is dropped, so run_at_us is always NULL or within run_at's millisecond.
CREATE TRIGGER party_task_run_at_us AFTER UPDATE OF run_at ON party_task
WHEN NEW.run_at_us IS NOT NULL AND NEW.run_at_us NOT BETWEEN NEW.run_at * 1000 AND NEW.run_at * 1000 + 999
BEGIN
  UPDATE party_task SET run_at_us = NULL WHERE id = NEW.id;
END;
