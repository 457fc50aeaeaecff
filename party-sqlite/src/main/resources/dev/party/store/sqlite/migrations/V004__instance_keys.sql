-- Instance keys (EOxServer's task instance id): a task's name among its handler's tasks, for as
-- long as the task is stored. Existing rows keep NULL: they have none.
ALTER TABLE party_task ADD COLUMN instance_key TEXT;

-- One task per handler and instance key, whatever its state (unlike party_task_unique, which only
-- covers unfinished tasks): a second enqueue is refused, and the look-up by handler and instance
-- key reads one row through it. Only keyed rows are in it.
CREATE UNIQUE INDEX party_task_instance ON party_task (handler, instance_key)
  WHERE instance_key IS NOT NULL;
