-- Idempotency keys of POST /tasks (the Idempotency-Key header): a retried request with the key of
-- one already stored stores nothing and is answered with the tasks the first stored. The key's row
-- is written in the same transaction as the tasks, so both are stored or neither is; a second
-- insert of the key waits on the first's row lock and then sees its outcome. The cleanup deletes
-- rows older than 24 hours.
CREATE TABLE party_idempotency (
  key         text        PRIMARY KEY,  -- the client's key, as sent
  fingerprint text        NOT NULL,     -- SHA-256 of the request; the key reused for another one is a conflict
  answer      text        NOT NULL,     -- the first request's ids in order, comma separated; '~' marks a covering task
  created_at  timestamptz NOT NULL
);

-- The cleanup deletes by age.
CREATE INDEX party_idempotency_created ON party_idempotency (created_at);
