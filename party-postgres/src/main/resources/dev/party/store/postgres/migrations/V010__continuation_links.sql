-- Continuations (a handler's Outcome.then): who continued whom, so a client holding the first task
-- can reach the last without reading log text. All four are written in the transaction that
-- finishes a task and stores its continuation; they stay NULL on a task that is in no continuation.
-- continues names the task this one continues; continued_by the task that continued this one.
-- continuation_root is the first task's id, on every later step (the first is its own root), and
-- continuation_step counts the steps after it (1, 2, ...): the last step is the root's highest
-- step, found even after cleanup deleted the steps between.
ALTER TABLE party_task ADD COLUMN continues text;
ALTER TABLE party_task ADD COLUMN continued_by text;
ALTER TABLE party_task ADD COLUMN continuation_root text;
ALTER TABLE party_task ADD COLUMN continuation_step bigint;   -- a recurring class-style task continues itself every run

CREATE INDEX party_task_continuation ON party_task (continuation_root, continuation_step)
  WHERE continuation_root IS NOT NULL;
